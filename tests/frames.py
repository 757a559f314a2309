"""Small literal frames for tests of logic: rows written in the test, never the shipped data.

``row(...)`` is one figure as a dict with every column of ``data.schema.FRAME_COLUMNS`` (sensible
defaults; ``start``/``end`` are short for ``period_start``/``period_end``). ``frame(*rows)`` turns rows
into a frame typed as ``data.loader.load_store`` types its frame: ``value`` float (NaN where blank),
``period_start``/``period_end`` datetimes (NaT where blank), ``schema.CATEGORICAL_COLUMNS`` as pandas
categoricals and every other column a string ('' where blank).
"""

from __future__ import annotations

import pandas as pd

from data import schema

EARLIER = "Dec 2018 to Nov 2019"
LATER = "Dec 2019 to Nov 2020"
#: Period labels with their first and last days, for ``row(**PERIODS[label])``.
PERIODS: dict[str, dict[str, str]] = {
    EARLIER: {"period": EARLIER, "start": "2018-12-01", "end": "2019-11-30"},
    LATER: {"period": LATER, "start": "2019-12-01", "end": "2020-11-30"},
}

DEFAULTS: dict[str, object] = {
    "dataset": "sample",
    "measure": "Arrested",
    "category": "Criminal justice outcomes",
    "breakdown": "",
    "period": LATER,
    "period_start": "2019-12-01",
    "period_end": "2020-11-30",
    "force": "West Midlands region",
    "strand": "",
    "value": 560,
    "value_text": "",
    "unit": "people",
    "qualifier": "exact",
    "derived": "no",
    "series_break": "",
    "publication": "paper-1",
    "source": "para 88",
    "source_type": "paper",
    "note": "",
    "revised_from": "",
}
assert tuple(DEFAULTS) == schema.FRAME_COLUMNS, "DEFAULTS must name every frame column, in order"

_DATES = ("period_start", "period_end")


def row(*, start: str | None = None, end: str | None = None, **values: object) -> dict[str, object]:
    """One figure: ``DEFAULTS`` with ``values`` over them. ``value=None`` is a figure not stated (its
    qualifier becomes 'not stated' unless one is given); ``start``/``end`` are the period's first and
    last days, YYYY-MM-DD ('' where not known)."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"not a frame column: {sorted(unknown)}")
    out = {**DEFAULTS, **values}
    if start is not None:
        out["period_start"] = start
    if end is not None:
        out["period_end"] = end
    if values.get("value", 0) is None and "qualifier" not in values:
        out["qualifier"] = schema.NOT_STATED
    return out


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    """The rows as a frame typed like the loader's (see the module docstring)."""
    columns: dict[str, pd.Series] = {}
    for col in schema.FRAME_COLUMNS:
        cells = [r.get(col, DEFAULTS[col]) for r in rows]
        if col == "value":
            series = pd.Series([float("nan") if v is None or v == "" else float(v) for v in cells], dtype=float)
        elif col in _DATES:
            series = pd.to_datetime(pd.Series([v or None for v in cells], dtype=object)).astype("datetime64[s]")
        else:
            # The loader's own column is pandas' string dtype; the columns read from files are objects.
            series = pd.Series(
                ["" if v is None else str(v) for v in cells], dtype="str" if col == "revised_from" else object
            )
            if col in schema.CATEGORICAL_COLUMNS:
                series = series.astype("category")
        columns[col] = series
    return pd.DataFrame(columns)
