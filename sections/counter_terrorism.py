"""Counter terrorism: the threat picture and the four CONTEST strands, with national context."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import Filters, ordered_periods, text_equals
from figures.chart import Chart, build_chart
from figures.charts import category_bars, trend_lines

SLUG = "counter-terrorism"
NAME = "Counter terrorism"
TITLE = "Counter terrorism"
INTRO = (
    "The terrorism threat to the region and what Counter Terrorism Policing West Midlands did under the four "
    "strands of the national CONTEST strategy: Pursue, Prevent, Protect and Prepare."
)
DESCRIPTION = "The terrorism threat picture and the region's results in Pursue, Prevent, Protect and Prepare."
DATASETS = ("ct_threat", "ct_contest", "terrorism_arrests_gb")


def _threat_title(rows: pd.DataFrame) -> str:
    level = rows[rows["measure"] == "UK terrorism threat level"]
    if not level.empty:
        return f"The UK threat level is {level.iloc[0]['value_text']}: an attack is highly likely"
    return "The threat by ideology"


def _pursue_title(rows: pd.DataFrame) -> str:
    v = rows.set_index("measure")["value"]
    if {"Arrests", "Convictions", "Recalls to prison"} <= set(v.index):
        return f"{v['Arrests']:g} terrorism arrests led to {v['Convictions']:g} convictions and {v['Recalls to prison']:g} recalls to prison"
    return "Pursue results"


def _gb_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year arrest counts only, so the points are comparable."""
    arrests = rows[rows["measure"] == "Terrorism-related arrests"]
    calendar = arrests["period"].astype(str).str.fullmatch(r"\d{4}")
    return arrests[calendar]


def _gb_title(rows: pd.DataFrame) -> str:
    periods = ordered_periods(rows)
    v = rows.set_index("period")["value"]
    first, last = v[periods[0]], v[periods[-1]]
    if len(periods) == 1:
        return f"{first:g} terrorism-related arrests in Great Britain in {periods[0]}"
    verb = "fell" if last < first else "rose" if last > first else "stayed level"
    return f"Terrorism arrests in Great Britain {verb} from {first:g} in {periods[0]} to {last:g} in {periods[-1]}"


def _prevent_title(rows: pd.DataFrame) -> str:
    """'Prevent: more than 350 Prevent ambassadors; 27 Targeted Initiative Fund applications supported'."""
    headline = ("Prevent ambassadors", "Targeted Initiative Fund applications supported")
    parts = [
        f"{format_value(v, str(u), str(q))} {lower_first(m)}"
        for m, v, u, q in zip(rows["measure"], rows["value"], rows["unit"], rows["qualifier"], strict=True)
        if v == v and m in headline
    ]
    return "Prevent: " + "; ".join(parts) if parts else "Prevent: standards, people and funding"


def _plans_title(rows: pd.DataFrame) -> str:
    b = rows.set_index("breakdown")["value"]
    if {"Reviewed and updated", "Total"} <= set(b.index):
        extra = (
            f"; {b['Under national review']:g} more are under national review" if "Under national review" in b else ""
        )
        return f"{b['Reviewed and updated']:g} of {b['Total']:g} local counter terrorism plans have been reviewed and updated{extra}"
    return "Major incident plan reviews"


def _borders_title(rows: pd.DataFrame) -> str:
    v = rows.set_index("measure")["value"]
    if {"Passenger traffic", "Travel document fraud offences"} <= set(v.index):
        return (
            f"Passengers fell to about {v['Passenger traffic']:g}% of the year before, but travel document fraud "
            f"stayed at {v['Travel document fraud offences']:g}%"
        )
    return "Borders"


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    contest = store.dataset("ct_contest")
    out = [
        build_chart(
            "ct-threat",
            store.dataset("ct_threat"),
            filters,
            title=_threat_title,
            summary="How the paper rates the threat from each ideology.",
            facts=True,
            empty_title="The threat picture",
        ),
        build_chart(
            "ct-pursue",
            contest[contest["category"] == "Pursue results"],
            filters,
            title=_pursue_title,
            summary=lambda r: (
                f"Pursue, {r['period'].iloc[0]}: "
                + ", ".join(f"{lower_first(m)} {v:g}" for m, v in zip(r["measure"], r["value"], strict=True))
                + "."
            ),
            figure=lambda r: category_bars(r, label="measure"),
            empty_title="Pursue results",
        ),
        build_chart(
            "ct-gb-arrests",
            _gb_rows(store.dataset("terrorism_arrests_gb")),
            filters,
            title=_gb_title,
            summary=lambda r: (
                "For context, from Home Office and Counter Terrorism Policing releases: "
                + "; ".join(f"{p} {v:g}" for p, v in zip(r["period"], r["value"], strict=True))
                + "."
            ),
            figure=lambda r: trend_lines(r, series="measure"),
            caveats=lambda r: [n for n in r.loc[r["derived"] == "yes", "note"]],
            empty_title="Terrorism arrests in Great Britain",
            context=True,
        ),
        build_chart(
            "ct-prevent",
            contest[text_equals(contest["strand"], "Prevent")],
            filters,
            title=_prevent_title,
            summary="Standards, people and funding for Prevent in the region.",
            facts=True,
            empty_title="Prevent",
        ),
        build_chart(
            "ct-protect",
            contest[text_equals(contest["strand"], "Protect")],
            filters,
            title="Protect: service kept going through the pandemic, but less training was delivered",
            summary="The paper gives no figures for Protect; these are its statements.",
            facts=True,
            empty_title="Protect",
        ),
        build_chart(
            "ct-prepare",
            contest[contest["category"] == "Plan reviews"],
            filters,
            title=_plans_title,
            summary=lambda r: "; ".join(f"{b}: {v:g}" for b, v in zip(r["breakdown"], r["value"], strict=True)) + ".",
            figure=lambda r: category_bars(r[r["breakdown"] != "Total"]),
            caveats=lambda r: [n for n in r.loc[r["derived"] == "yes", "note"]],
            empty_title="Prepare: major incident plan reviews",
        ),
        build_chart(
            "ct-borders",
            contest[contest["category"] == "Borders"],
            filters,
            title=_borders_title,
            summary=lambda r: (
                "During the pandemic, as a share of the year before: "
                + "; ".join(
                    f"{m} {format_value(v, str(u), str(q))}"
                    for m, v, u, q in zip(r["measure"], r["value"], r["unit"], r["qualifier"], strict=True)
                )
                + "."
            ),
            figure=lambda r: category_bars(r, label="measure"),
            empty_title="Borders",
        ),
    ]
    return out
