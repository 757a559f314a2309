"""Public order: training, deployments and planning, as a timeline of dated events."""

from __future__ import annotations

import pandas as pd

from data.loader import DataStore
from data.queries import Filters
from figures.chart import HALF, Chart, build_chart
from figures.charts import timeline
from sections.base import Section, latest_statements, page_rows

DATASETS = ("public_order",)
#: Categories of statements about what lies ahead.
OUTLOOK = ("Forthcoming events", "Commonwealth Games 2022")


def _from_latest_paper(rows: pd.DataFrame) -> pd.DataFrame:
    """An outlook is the latest paper's: what an earlier paper expected is out of date."""
    if rows.empty:
        return rows
    latest = rows.sort_values("period_end").iloc[-1]["publication"]
    return rows[rows["publication"] == latest]


def _as_at(rows: pd.DataFrame) -> str:
    """'at January 2021': the periods of undated statements, which are as at their publication."""
    return "; ".join(dict.fromkeys(str(p)[:1].lower() + str(p)[1:] for p in rows["period"]))


def _timeline_title(rows) -> str:
    """First and last events dated to the month or day (loosely dated ones are not 'first')."""
    precise = rows[(rows["period_end"] - rows["period_start"]) <= pd.Timedelta(days=31)]
    ordered = (precise if not precise.empty else rows).sort_values("period_start")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    if len(rows) == 1:
        return f"{first['measure']} ({first['period']})"
    return f"{len(rows)} dated events, from '{first['measure']}' ({first['period']}) to '{last['measure']}' ({last['period']})"


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    rows = page_rows(store, DATASETS)
    dated = rows[rows["period_start"].notna()]
    undated = rows[rows["period_start"].isna()]
    ahead = undated["category"].astype(str).isin(OUTLOOK)
    out = [
        build_chart(
            "po-timeline",
            dated,
            filters,
            title=_timeline_title,
            summary=lambda r: "; ".join(f"{p}: {m}" for p, m in zip(r["period"], r["measure"], strict=True)) + ".",
            figure=timeline,
            caveats=lambda r: [n for n in r["note"] if "taken as" in n or "no dates" in n],
            empty_title="Public order timeline",
        ),
        build_chart(
            "po-outlook",
            _from_latest_paper(undated[ahead]),
            filters,
            title=lambda r: f"The outlook, {_as_at(r)}",
            summary="Statements in the paper about what lies ahead, without dates of their own.",
            facts=True,
            empty_title="The outlook",
            width=HALF,
        ),
        build_chart(
            "po-feedback",
            latest_statements(undated[~ahead]),
            filters,
            title=lambda r: f"Feedback and other statements, {_as_at(r)}",
            summary="What the paper says of how events were policed, without dates of their own.",
            facts=True,
            empty_title="Feedback and other statements",
            width=HALF,
        ),
    ]
    return out


SECTION = Section(
    slug="public-order",
    name="Public order",
    title="Public order",
    intro="How West Midlands Police keeps its public order capability, the events it polices, and what it plans for, "
    "as the papers report them.",
    description="Public order training, deployments and planning, including for the Birmingham Commonwealth Games.",
    datasets=DATASETS,
    build=charts,
)
