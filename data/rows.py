"""Rows as the API and the exports write them: plain strings, dates as YYYY-MM-DD, and CSV that no
spreadsheet runs as a formula. (Pure pandas; the API blueprint and the chart exports both use it.)"""

from __future__ import annotations

import io
import math

import pandas as pd

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
