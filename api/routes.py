"""The data API, ``/api/v1``: datasets (``/datasets``, ``/datasets/<name>.csv|.json`` and each CSV's
CSVW metadata, ``/datasets/<name>.csv-metadata.json``), publications, checks, and the published
versions (``/versions``, ``/versions/<n>``, and ``/changes?from=A&to=B``, figure by figure).

Every answer is at the version the address names (``?version=N``), else the current one, and holds
only what the reader may see (``web.view`` chose the data). Names are looked up in the catalogue; user
input is never used as a path. CSV output neutralises text cells that a spreadsheet would run as
formulas.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from data.checks import store_checks
from data.loader import DataStore
from data.metadata import csvw
from data.published import View, current_view
from data.rows import API_COLUMNS, to_csv, to_records
from data.versions import Version
from sections import links
from web.shared_cache import kept

FORMATS: tuple[str, ...] = ("csv", "json")
#: The CSVW metadata of a dataset's CSV: the CSV's own address plus '-metadata.json'.
METADATA = "csv-metadata.json"


def _records_json(name: str, store: DataStore) -> bytes:
    """The dataset ``name`` as the API's JSON (as ``jsonify`` writes it)."""
    return current_app.json.response({"dataset": name, "rows": to_records(store.dataset(name))}).get_data()


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
                "marking": info.marking,
                "links": {
                    **{fmt: links.dataset_api(info.name, fmt) for fmt in FORMATS},
                    "csvw": links.dataset_metadata(info.name),
                },
            }
            for info in store.catalogue.values()
        ]
        return jsonify({"version": store.version, "datasets": items, "columns": list(API_COLUMNS)})

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
        known = {f"{name}.{fmt}": (name, fmt) for name in store.names for fmt in (*FORMATS, METADATA)}
        if filename not in known:
            return _error(404, "No such dataset. GET /api/v1/datasets lists the names.")
        name, fmt = known[filename]
        if fmt == METADATA:
            info = store.catalogue[name]
            csv_url = links.dataset_api(name, "csv").rsplit("/", 1)[-1]  # relative: beside this file
            body = json.dumps(csvw(store, info, csv_url), indent=2, ensure_ascii=False)
            return Response(body, mimetype="application/csvm+json")
        if fmt == "csv":
            return Response(
                kept(store, ("dataset", name, fmt), lambda: to_csv(store.dataset(name)).encode()),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        return Response(
            kept(store, ("dataset", name, fmt), lambda: _records_json(name, store)), mimetype="application/json"
        )

    @bp.get("/versions")
    def list_versions():
        """Every published version, newest first."""
        view = current_view()
        return jsonify({"current": view.current, "versions": [_version(v, view) for v in view.library.listing()]})

    @bp.get("/versions/<int:number>")
    def one_version(number: int):
        view = current_view()
        info = view.library.info(number)
        if info is None:
            return _error(404, f"There is no version {number}. GET /api/v1/versions lists them.")
        return jsonify(_version(info, view))

    @bp.get("/changes")
    def changes():
        """What changed between two versions (``?from=A&to=B``), figure by figure."""
        view = current_view()
        try:
            old, new = int(request.args.get("from", "")), int(request.args.get("to", ""))
        except ValueError:
            return _error(400, "Name two versions: /api/v1/changes?from=1&to=2.")
        if not (1 <= old <= view.current and 1 <= new <= view.current):
            return _error(404, f"Versions are numbered 1 to {view.current}.")
        found = view.compared(old, new)
        return jsonify(
            {
                "from": old,
                "to": new,
                "summary": found.summary(),
                "datasets_added": list(found.datasets_added),
                "datasets_removed": list(found.datasets_removed),
                "publications_added": list(found.publications_added),
                "markings_changed": [
                    {"dataset": name, "old": old_mark, "new": new_mark}
                    for name, old_mark, new_mark in found.markings_changed
                ],
                "withheld": found.withheld,
                "changes": [c.as_dict() for c in found.changes],
            }
        )

    return bp


def _version(v: Version, view: View) -> dict:
    who = {"published_by": v.published_by} if g.get("user") is not None else {}  # names for signed-in users only
    return {
        "number": v.number,
        "published_at": v.published_at.isoformat(),
        **who,
        "note": v.note,
        "changed": view.shown_changes(v.changed),
        "republished_from": v.republished_from,
        "presented": [{"date": p.presented_on.isoformat(), "meeting": p.meeting} for p in v.presentations],
        "links": {
            "dashboard": f"/?version={v.number}",
            "datasets": f"{links.API}/datasets?version={v.number}",
            "changes": f"{links.API}/changes?from={v.number - 1}&to={v.number}" if v.number > 1 else None,
        },
    }


def register_api(server: Flask, get_store: Callable[[], DataStore]) -> None:
    """Mount the API on ``server``, with JSON errors for every /api path."""
    server.json.sort_keys = False  # keep the documented column order
    server.register_blueprint(create_blueprint(get_store))

    @server.get("/api/<path:_rest>")
    def unknown_api(_rest: str):
        return _error(404, "Not found. GET /api/v1/datasets lists the datasets.")
