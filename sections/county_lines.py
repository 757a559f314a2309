"""County lines: the task force's results with their lower bounds, its funding, and dated context."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import Filters
from figures.chart import Chart, build_chart
from figures.charts import category_bars

SLUG = "county-lines"
NAME = "County lines"
TITLE = "County lines"
INTRO = (
    "The County Lines Task Force, set up with Home Office money, targets the most harmful drug "
    "lines across the region. Its results, and public figures for context."
)
DESCRIPTION = "The County Lines Task Force's arrests, young people safeguarded and lines closed."
DATASETS = ("county_lines", "county_lines_context")


def _results_title(rows: pd.DataFrame) -> str:
    parts = [
        f"{format_value(v, str(u), str(q))} {lower_first(m) if m != 'Arrested' else 'people arrested'}"
        for m, v, u, q in zip(rows["measure"], rows["value"], rows["unit"], rows["qualifier"], strict=True)
    ]
    return f"The task force reports {', '.join(parts)} ({rows['period'].iloc[0]})"


def _context_title(rows: pd.DataFrame, where: str) -> str:
    figures, reports = len(rows), rows["period"].nunique()
    return f"{where}: {figures} figure{'s' if figures != 1 else ''} from {reports} dated report{'s' if reports != 1 else ''}"


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    cl = store.dataset("county_lines")
    context = store.dataset("county_lines_context")
    results = cl[cl["category"] == "Results"]
    out = [
        build_chart(
            "cl-results",
            results,
            filters,
            title=_results_title,
            summary=lambda r: (
                "The paper gives each result as a lower bound ('over' or 'in excess of'); the bars "
                "show the stated figure and the labels keep the words."
            ),
            figure=lambda r: category_bars(r, label="measure"),
            caveats=["Each figure is a minimum: the true count is higher than the bar shows."],
            empty_title="The task force's results",
        ),
        build_chart(
            "cl-funding",
            cl[cl["category"] == "Funding"],
            filters,
            title=lambda r: (
                f"The Home Office gave {format_value(r['value'].iloc[0], 'GBP million', str(r['qualifier'].iloc[0]))} to set up the task force ({r['period'].iloc[0]})"
            ),
            summary="Funding allocated to West Midlands Police to target the most harmful lines across the region.",
            facts=True,
            empty_title="Funding",
        ),
        build_chart(
            "cl-context-wm",
            context[context["category"] == "West Midlands"],
            filters,
            title=lambda r: _context_title(r, "West Midlands operations"),
            summary="Dated results of local operations and weeks of action, from public sources other than the "
            "board paper. They cover different periods, so they are points, not a trend.",
            facts=True,
            caveats=["Periods differ from report to report; do not add the figures together."],
            empty_title="West Midlands operations",
            context=True,
        ),
        build_chart(
            "cl-context-national",
            context[context["category"] == "National programme"],
            filters,
            title=lambda r: _context_title(r, "The national County Lines Programme"),
            summary="Running totals and windows reported for England and Wales, from public sources other than the "
            "board paper; the windows differ, so they cannot be joined into one series.",
            facts=True,
            empty_title="The national County Lines Programme",
            context=True,
        ),
    ]
    return out
