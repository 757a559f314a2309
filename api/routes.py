"""``/api/v1/datasets`` and ``/api/v1/datasets/<name>.csv|.json``.

Names are looked up in the catalogue; user input is never used as a path.
CSV output neutralises text cells that a spreadsheet would run as formulas.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import pandas as pd
from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from data.checks import store_checks
from data.loader import DataStore
from data.schema import FORMULA_PREFIXES

#: Columns of the API rows, in order. Adding columns is allowed; removing or renaming is not.
API_COLUMNS: tuple[str, ...] = (
    "dataset",
    "measure",
    "category",
    "breakdown",
    "period",
    "period_start",
    "period_end",
    "force",
    "strand",
    "value",
    "value_text",
    "unit",
    "qualifier",
    "derived",
    "series_break",
    "source",
    "source_type",
    "note",
    # Added within v1 (new columns may be added; none removed or renamed):
    "publication",
    "revised_from",
)
FORMATS: tuple[str, ...] = ("csv", "json")


def api_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as API rows: plain strings, dates as YYYY-MM-DD, blanks as ''."""
    out = pd.DataFrame(index=frame.index)
    for col in API_COLUMNS:
        series = frame[col]
        if col in ("period_start", "period_end"):
            out[col] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif col == "value":
            out[col] = series
        else:
            out[col] = series.astype(str)
    return out.reset_index(drop=True)


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would read as a formula."""
    if text.startswith(FORMULA_PREFIXES):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def to_csv(frame: pd.DataFrame) -> str:
    rows = api_rows(frame)
    for col in API_COLUMNS:
        if col != "value":
            rows[col] = rows[col].map(neutralise)
    buf = io.StringIO()
    rows.to_csv(buf, index=False, lineterminator="\n", float_format=lambda v: f"{v:.15g}")
    return buf.getvalue()


def to_records(frame: pd.DataFrame) -> list[dict]:
    records = api_rows(frame).to_dict(orient="records")
    for rec in records:
        value = rec["value"]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            rec["value"] = None
        elif float(value).is_integer():
            rec["value"] = int(value)
    return records


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
                "links": {fmt: f"/api/v1/datasets/{info.name}.{fmt}" for fmt in FORMATS},
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

    def json_error(err: HTTPException):
        if request.path.startswith("/api/"):
            return _error(err.code or 500, err.description or err.name)
        return err

    @server.get("/api/<path:_rest>")
    def unknown_api(_rest: str):
        return _error(404, "Not found. GET /api/v1/datasets lists the datasets.")

    server.register_error_handler(404, json_error)
    server.register_error_handler(405, json_error)
