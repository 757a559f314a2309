"""``/api/v1/datasets`` and ``/api/v1/datasets/<name>.csv|.json``.

Names are looked up in the catalogue; user input is never used as a path.
CSV output neutralises text cells that a spreadsheet would run as formulas.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, Response, jsonify

from data.checks import store_checks
from data.loader import DataStore
from data.rows import API_COLUMNS, to_csv, to_records
from sections import links

FORMATS: tuple[str, ...] = ("csv", "json")


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message, "status": status}), status


def create_blueprint(get_store: Callable[[], DataStore]) -> Blueprint:
    """The API blueprint; reads data through ``get_store`` (cached per process)."""
    bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

    @bp.get("/datasets")
    def list_datasets():
        store = get_store()
        items = [
            {
                "name": info.name,
                "title": info.title,
                "topic": info.topic,
                "description": info.description,
                "rows": info.rows,
                "sources": list(info.sources),
                # The day its latest figures were published (a month-dated paper counts as the month's
                # last day); ``as_at`` gives the same date at its own precision ("2021-01").
                "updated": info.updated.isoformat(),
                "as_at": info.as_at.iso,
                "publications": list(info.publications),
                "links": {fmt: links.dataset_api(info.name, fmt) for fmt in FORMATS},
            }
            for info in store.catalogue.values()
        ]
        return jsonify({"datasets": items, "columns": list(API_COLUMNS)})

    @bp.get("/publications")
    def list_publications():
        """Every publication the figures come from, latest first."""
        store = get_store()
        pubs = sorted(store.publications.values(), key=lambda p: p.date.last_day, reverse=True)
        return jsonify(
            {
                "publications": [
                    {
                        "id": p.id,
                        "title": p.title,
                        "short_title": p.short_title,
                        "publisher": p.publisher,
                        "board": p.board,
                        "meeting": p.meeting,
                        "date": p.date.iso,
                        "date_note": p.date_note,
                        "link": p.link,
                        "next_update": p.next_update,
                    }
                    for p in pubs
                ]
            }
        )

    @bp.get("/checks")
    def list_checks():
        """The checks on each publication's figures, with their verdicts (as on the page 'Checks on the paper')."""
        results = store_checks(get_store())
        return jsonify(
            {
                "checks": [
                    {
                        "publication": r.publication.id,
                        "rule": r.rule.id,
                        "title": r.rule.title,
                        "description": r.rule.description,
                        "verdict": r.verdict.kind,
                        "label": r.verdict.label,
                        "difference": r.verdict.difference,
                        "finding": r.verdict.text,
                        "paragraphs": r.paragraphs,
                        "figures": r.figures,
                    }
                    for r in results
                ]
            }
        )

    @bp.get("/datasets/<string:filename>")
    def get_dataset(filename: str):
        store = get_store()
        known = {f"{name}.{fmt}": (name, fmt) for name in store.names for fmt in FORMATS}
        if filename not in known:
            return _error(404, "No such dataset. GET /api/v1/datasets lists the names.")
        name, fmt = known[filename]
        frame = store.dataset(name)
        if fmt == "csv":
            return Response(
                to_csv(frame),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        return jsonify({"dataset": name, "rows": to_records(frame)})

    return bp


def register_api(server: Flask, get_store: Callable[[], DataStore]) -> None:
    """Mount the API on ``server``, with JSON errors for every /api path."""
    server.json.sort_keys = False  # keep the documented column order
    server.register_blueprint(create_blueprint(get_store))

    @server.get("/api/<path:_rest>")
    def unknown_api(_rest: str):
        return _error(404, "Not found. GET /api/v1/datasets lists the datasets.")
