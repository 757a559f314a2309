"""County lines: the task force's results with their lower bounds, its funding, and dated context."""

from __future__ import annotations

import pandas as pd

from data import schema
from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import Filters
from figures.chart import HALF, Chart, build_chart
from figures.charts import category_bars, period_bars
from sections.base import Section, latest_rows, latest_statements, only, pick


def _results_title(rows: pd.DataFrame) -> str:
    latest = latest_rows(rows)
    parts = [
        f"{format_value(v, str(u), str(q))} {lower_first(m) if m != 'Arrested' else 'people arrested'}"
        for m, v, u, q in zip(latest["measure"], latest["value"], latest["unit"], latest["qualifier"], strict=True)
    ]
    return f"The task force reported {', '.join(parts)} ({latest['period'].iloc[0]})"


def _results_summary(rows: pd.DataFrame) -> str:
    words = sorted({str(q) for q in rows["qualifier"] if str(q) in schema.LOWER_BOUNDS})
    if words and rows["qualifier"].astype(str).isin(schema.LOWER_BOUNDS).all():
        said = " or ".join(f"'{w}'" for w in words)
        return f"Each result is given as a lower bound ({said}); the bars show the stated figure and the labels keep the words."
    return "The bars show the figures as stated; the labels keep any qualifier the source gives."


def _results_caveats(rows: pd.DataFrame) -> list[str]:
    out = []
    if rows["qualifier"].astype(str).isin(schema.LOWER_BOUNDS).any():
        out.append("A figure given as a lower bound is a minimum: the true count is higher than the bar shows.")
    return out + list(dict.fromkeys(n for n in latest_rows(rows)["note"] if n))


def _results_figure(rows: pd.DataFrame):
    if rows["period"].nunique() > 1:
        return period_bars(rows, category="measure", horizontal=True)
    return category_bars(rows, label="measure")


def _context_title(rows: pd.DataFrame, where: str) -> str:
    """'West Midlands operations: 24 figures from 8 public sources' (sources are publications, not periods)."""
    figures, sources = len(rows), rows["publication"].nunique()
    return f"{where}: {figures} figure{'s' if figures != 1 else ''} from {sources} public source{'s' if sources != 1 else ''}"


def _funding_title(rows: pd.DataFrame) -> str:
    row = only(latest_rows(rows))
    if row is None:
        return "Funding"
    return f"{row['measure']}: {format_value(row['value'], str(row['unit']), str(row['qualifier']))} ({row['period']})"


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    cl = store.dataset("county_lines")
    context = store.dataset("county_lines_context")
    return [
        build_chart(
            "cl-results",
            pick(cl, category="Results"),
            filters,
            title=_results_title,
            summary=_results_summary,
            figure=_results_figure,
            caveats=_results_caveats,
            empty_title="The task force's results",
            width=HALF,
        ),
        build_chart(
            "cl-funding",
            latest_statements(pick(cl, category="Funding")),
            filters,
            title=_funding_title,
            summary=lambda r: " ".join(dict.fromkeys(n for n in r["note"] if n)),
            facts=True,
            empty_title="Funding",
            width=HALF,
        ),
        build_chart(
            "cl-context-wm",
            pick(context, category="West Midlands"),
            filters,
            title=lambda r: _context_title(r, "West Midlands operations"),
            summary="Dated results of local operations and weeks of action, from public sources other than the "
            "board paper. They cover different periods, so they are points, not a trend.",
            facts=True,
            caveats=["Periods differ from report to report; do not add the figures together."],
            empty_title="West Midlands operations",
            width=HALF,
            context=True,
        ),
        build_chart(
            "cl-context-national",
            pick(context, category="National programme"),
            filters,
            title=lambda r: _context_title(r, "The national County Lines Programme"),
            summary="Running totals and windows reported for England and Wales, from public sources other than the "
            "board paper; the windows differ, so they cannot be joined into one series.",
            facts=True,
            empty_title="The national County Lines Programme",
            width=HALF,
            context=True,
        ),
    ]


SECTION = Section(
    slug="county-lines",
    name="County lines",
    title="County lines",
    intro="The County Lines Task Force's results and funding, as the papers report them, and public figures for context.",
    description="The County Lines Task Force's arrests, young people safeguarded and lines closed.",
    datasets=("county_lines", "county_lines_context"),
    build=charts,
)
