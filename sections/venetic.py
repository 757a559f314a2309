"""Operation Venetic (EncroChat): the regional unit's results, lead and support, with national context."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value
from data.loader import DataStore
from data.queries import Filters, ordered_periods
from figures.chart import Chart, build_chart
from figures.charts import category_bars, stacked_bars, trend_lines

SLUG = "venetic"
NAME = "Operation Venetic"
TITLE = "Operation Venetic (EncroChat)"
INTRO = (
    "The UK-wide operation that followed the take-down of EncroChat, an encrypted phone network used by "
    "criminals: what the regional unit achieved, and national figures for context."
)
DESCRIPTION = "Arrests, charges and seizures from the EncroChat take-down in the West Midlands region."
DATASETS = ("operation_venetic", "venetic_context")
PARTS = ("ROCUWM lead", "ROCUWM support")
OTHER_SOURCES = "From public sources other than the board paper, for context."


def _outcomes_title(rows: pd.DataFrame) -> str:
    totals = rows[rows["breakdown"] == "Total"].set_index("measure")
    lead = rows[rows["breakdown"] == "ROCUWM lead"].set_index("measure")
    if {"Arrested", "Cocaine seized"} <= set(totals.index) and "Arrested" in lead.index:
        return (
            f"{format_value(totals.loc['Arrested', 'value'], 'people', 'exact')} people arrested and "
            f"{format_value(totals.loc['Cocaine seized', 'value'], 'kg', 'exact')} of cocaine seized; "
            f"the regional unit led on {format_value(lead.loc['Arrested', 'value'], 'people', 'exact')} of the arrests"
        )
    return "Results led and supported by the regional unit"


def _outcomes_summary(rows: pd.DataFrame) -> str:
    parts = []
    for m in dict.fromkeys(rows["measure"]):
        sub = rows[rows["measure"] == m].set_index("breakdown")
        words = [
            f"{b.replace('ROCUWM ', '')} {format_value(sub.loc[b, 'value'], str(sub.loc[b, 'unit']), str(sub.loc[b, 'qualifier']))}"
            for b in (*PARTS, "Total")
            if b in sub.index
        ]
        parts.append(f"{m}: " + ", ".join(words))
    return "; ".join(parts) + ". A blank in the paper's table is shown as not stated."


def _handles_title(rows: pd.DataFrame) -> str:
    b = rows.set_index("breakdown")["value"]
    first = rows.iloc[0]
    if first["breakdown"] in b.index:
        return f"{b.iloc[0]:g} EncroChat handles were identified in the region"
    return "EncroChat handles"


def _uk_title(rows: pd.DataFrame) -> str:
    arrests = rows[rows["measure"] == "Arrested"]
    if arrests.empty:
        return "Operation Venetic across the UK"
    latest = ordered_periods(arrests)[-1]
    last = arrests[arrests["period"] == latest].iloc[0]
    return f"Across the UK, {format_value(last['value'], str(last['unit']), str(last['qualifier']))} people had been arrested by {last['period'].removeprefix('To ')}"


def _regions_title(rows: pd.DataFrame) -> str:
    arrests = rows[rows["measure"] == "Arrested"].sort_values("value", ascending=False)
    if arrests.empty:
        return "Regional results at the reveal"
    if len(arrests) == 1:
        only = arrests.iloc[0]
        return f"By {_as_of(arrests)} {only['force']} had made {only['value']:g} arrests"
    wm = arrests[arrests["force"] == "West Midlands region"]
    if wm.empty:
        return f"By {_as_of(arrests)} {arrests.iloc[0]['force']} had made the most arrests of the areas shown"
    rank = list(arrests["force"]).index("West Midlands region") + 1
    return f"By {_as_of(arrests)} the West Midlands region had made {wm.iloc[0]['value']:g} arrests, {_ordinal(rank)} of {len(arrests)} areas reported"


def _as_of(rows: pd.DataFrame) -> str:
    """The latest end date of the rows, in words ('2 July 2020')."""
    return rows["period_end"].max().strftime("%-d %B %Y")


def _ordinal(n: int) -> str:
    return {1: "the most", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}.get(n, f"{n}th")


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    venetic = store.dataset("operation_venetic")
    context = store.dataset("venetic_context")
    uk = context[context["force"] == "United Kingdom"]
    regions = context[context["force"] != "United Kingdom"]
    out = [
        build_chart(
            "venetic-outcomes",
            venetic[venetic["category"] == "Outcomes"],
            filters,
            title=_outcomes_title,
            summary=_outcomes_summary,
            figure=lambda r: stacked_bars(r, PARTS, as_share=True),
            caveats=[
                "Bars show each result's split between work the unit led and work it supported; the labels are the counts.",
                "Cannabis seized in support of others is blank in the paper, so it is shown as not stated, not zero.",
            ],
            empty_title="Results led and supported by the regional unit",
        ),
        build_chart(
            "venetic-cash",
            venetic[venetic["category"] == "Cash"],
            filters,
            title=lambda r: (
                f"{format_value(r['value'].iloc[0], 'GBP million', str(r['qualifier'].iloc[0])).capitalize()} in cash seized"
            ),
            summary="The paper says some of this money may be available to reinvest in the unit's future capabilities.",
            facts=True,
            empty_title="Cash seized",
        ),
        build_chart(
            "venetic-handles",
            venetic[venetic["category"] == "Handles"],
            filters,
            title=_handles_title,
            summary=lambda r: "; ".join(f"{b}: {v:g}" for b, v in zip(r["breakdown"], r["value"], strict=True)) + ".",
            figure=lambda r: category_bars(r),
            caveats=lambda r: [n for n in r.loc[r["derived"] == "yes", "note"]],
            empty_title="EncroChat handles",
        ),
        build_chart(
            "venetic-uk",
            uk[uk["unit"].astype(str).isin(["people", "arrests"])],
            filters,
            title=_uk_title,
            summary=lambda r: (
                OTHER_SOURCES
                + " "
                + "; ".join(
                    f"{m} {format_value(v, str(u), str(q))} ({p})"
                    for m, v, u, q, p in zip(
                        r["measure"], r["value"], r["unit"], r["qualifier"], r["period"], strict=True
                    )
                )
                + "."
            ),
            figure=lambda r: trend_lines(r, series="measure"),
            caveats=[
                "National totals for all UK law enforcement, not the West Midlands; each point is a running total.",
                "An open triangle marks a figure given only as 'more than'.",
            ],
            empty_title="Operation Venetic across the UK",
            context=True,
        ),
        build_chart(
            "venetic-regions",
            regions[regions["measure"] == "Arrested"],
            filters,
            title=_regions_title,
            summary=lambda r: (
                OTHER_SOURCES
                + f" Arrests reported by {_as_of(r)}: "
                + "; ".join(f"{f} {v:g}" for f, v in zip(r["force"], r["value"], strict=True))
                + "."
            ),
            figure=lambda r: category_bars(r.sort_values("value", ascending=False), label="force"),
            caveats=[
                "Figures reported at the time by each region, mostly through local news; not a league table.",
                "Greater Manchester Police is a force within the North West region, so its arrests are part of "
                "the North West's.",
            ],
            empty_title="Regional results at the reveal",
            context=True,
        ),
    ]
    return out
