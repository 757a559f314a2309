"""Overview: the headline figures the board cares about, and what changed most.

Its first chart is the summary: six key figures and the largest changes, the first slide of meeting
mode and of the board pack. The other headline figures follow, grouped by topic.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import pandas as pd

from data import schema
from data.formatting import Sources, format_value, sources_of
from data.loader import DataStore
from data.queries import (
    Filters,
    apply_filters,
    biggest_changes,
    changes_by_series,
    compare_latest,
    describe_change,
    ordered_periods,
    percent_text,
    why_empty,
)
from figures.chart import HALF, Chart, Tile, row_caveats
from sections import links
from sections.base import Section, pick
from sections.organised_crime import STATED, outcomes_table, plain_label, reasons_chart

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Headline:
    """Which rows make a tile: a dataset and column=value pairs (one series), and the page it links to."""

    label: str
    dataset: str
    where: tuple[tuple[str, str], ...]
    href: str


_REGION = ("force", "West Midlands region")
ROCU = "Serious and organised crime: the regional unit"
VENETIC = "Operation Venetic (EncroChat) in the region"
COUNTY_LINES = "County Lines Task Force"
CT = "Counter terrorism: Pursue"

#: How the summary's strip names each topic before a tile's label ("Operation Venetic: people arrested").
SHORT_TOPICS = {
    ROCU: "Organised crime unit",
    VENETIC: "Operation Venetic",
    COUNTY_LINES: "County Lines Task Force",
    CT: "Counter terrorism, Pursue",
}

#: The headline figures by topic; those marked as key also make the summary's strip, in this order.
HEADLINES: tuple[tuple[str, str, tuple[tuple[Headline, bool], ...]], ...] = (
    (
        ROCU,
        "headlines-rocu",
        (
            (
                Headline(
                    "Lead disruptions",
                    "rocu_disruptions",
                    (("measure", "SOC disruptions"), ("breakdown", "ROCUWM lead"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                True,
            ),
            (
                Headline(
                    "Support disruptions",
                    "rocu_disruptions",
                    (("measure", "SOC disruptions"), ("breakdown", "ROCUWM support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
            (
                Headline(
                    "People arrested",
                    "rocu_outcomes",
                    (("measure", "Arrested"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                True,
            ),
            (
                Headline(
                    "People charged",
                    "rocu_outcomes",
                    (("measure", "Charged"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
            (
                Headline(
                    "People convicted",
                    "rocu_outcomes",
                    (("measure", "Convicted"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
            (
                Headline(
                    "Years sentenced",
                    "rocu_outcomes",
                    (("measure", "Years sentenced"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
            (
                Headline(
                    "Cocaine seized",
                    "rocu_outcomes",
                    (("measure", "Cocaine seized"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                True,
            ),
            (
                Headline(
                    "Firearms seized",
                    "rocu_outcomes",
                    (("measure", "Firearms seized"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
            (
                Headline(
                    "People safeguarded",
                    "rocu_outcomes",
                    (("measure", "Safeguarded"), ("breakdown", "Lead and support"), ("strand", ""), _REGION),
                    "/organised-crime",
                ),
                False,
            ),
        ),
    ),
    (
        VENETIC,
        "headlines-venetic",
        (
            (
                Headline(
                    "People arrested",
                    "operation_venetic",
                    (("measure", "Arrested"), ("breakdown", "Total"), ("strand", ""), _REGION),
                    "/venetic",
                ),
                True,
            ),
            (
                Headline(
                    "People charged",
                    "operation_venetic",
                    (("measure", "Charged"), ("breakdown", "Total"), ("strand", ""), _REGION),
                    "/venetic",
                ),
                False,
            ),
            (
                Headline(
                    "Cocaine seized",
                    "operation_venetic",
                    (("measure", "Cocaine seized"), ("breakdown", "Total"), ("strand", ""), _REGION),
                    "/venetic",
                ),
                False,
            ),
            (
                Headline(
                    "Cash seized",
                    "operation_venetic",
                    (("measure", "Cash seized"), ("breakdown", "Total"), ("strand", ""), _REGION),
                    "/venetic",
                ),
                False,
            ),
        ),
    ),
    (
        COUNTY_LINES,
        "headlines-county-lines",
        (
            (
                Headline(
                    "People arrested",
                    "county_lines",
                    (("measure", "Arrested"), ("breakdown", ""), ("strand", "Pursue"), _REGION),
                    "/county-lines",
                ),
                True,
            ),
            (
                Headline(
                    "Young people safeguarded",
                    "county_lines",
                    (("measure", "Young people safeguarded"), ("breakdown", ""), ("strand", ""), _REGION),
                    "/county-lines",
                ),
                False,
            ),
            (
                Headline(
                    "County lines closed",
                    "county_lines",
                    (("measure", "County lines closed"), ("breakdown", ""), ("strand", "Pursue"), _REGION),
                    "/county-lines",
                ),
                False,
            ),
        ),
    ),
    (
        CT,
        "headlines-ct",
        (
            (
                Headline(
                    "Arrests",
                    "ct_contest",
                    (("measure", "Arrests"), ("strand", "Pursue"), ("breakdown", ""), _REGION),
                    "/counter-terrorism",
                ),
                True,
            ),
            (
                Headline(
                    "Convictions",
                    "ct_contest",
                    (("measure", "Convictions"), ("strand", "Pursue"), ("breakdown", ""), _REGION),
                    "/counter-terrorism",
                ),
                False,
            ),
            (
                Headline(
                    "Recalls to prison",
                    "ct_contest",
                    (("measure", "Recalls to prison"), ("strand", "Pursue"), ("breakdown", ""), _REGION),
                    "/counter-terrorism",
                ),
                False,
            ),
        ),
    ),
)


def source_words(sources: Sources) -> str:
    """'Source: SPR update to the board, January 2021, para 88' (papers; public sites by name)."""
    parts = [*sources.paper_texts(), *sources.sites]
    if not parts:
        return ""
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts)


def headline_rows(store: DataStore, h: Headline) -> pd.DataFrame:
    """A headline's rows before filtering: selected once per data, not on every change of filters."""
    return store.memo.get_or_make(("headline rows", h), lambda: pick(store.dataset(h.dataset), **dict(h.where)))


def make_tile(store: DataStore, h: Headline, rows: pd.DataFrame, filters: Filters) -> Tile | None:
    """A tile from one series' rows (one row per period); None when the filters leave none."""
    if rows.empty:
        return None
    change = compare_latest(rows, label=h.label)
    latest = rows[rows["period"] == change.after_period].iloc[0]
    stated = _stated_change(store, latest)
    caveats = []
    # The value keeps its own qualifier ("over 360"), so the tile does not repeat it as a caveat.
    if str(latest["series_break"]) == "yes":
        caveats.append(str(latest["note"]))
    # A figure a later paper restated, this period's or the one it is compared with, says so on the tile.
    shown = [p for p in (change.before_period, change.after_period) if p]
    for _, r in rows[rows["period"].isin(shown) & (rows["revised_from"] != "")].iterrows():
        caveats.append(f"{r['period']}: {r['revised_from']}")
    if change.caveat and change.caveat not in caveats:
        caveats.append(change.caveat)
    caveat = "; ".join(caveats)
    if stated is not None:
        value = format_value(abs(stated["value"]), "percent", str(stated["qualifier"]))
        arrow = "▲ up" if stated["value"] > 0 else "▼ down" if stated["value"] < 0 else "no change,"
        change_text = f"{arrow} {value} on the period before (as stated in the paper)"
        direction = "none" if str(latest["series_break"]) == "yes" else ("up" if stated["value"] > 0 else "down")
    else:
        change_text = percent_text(change) if change.before is not None else ""
        # Arrows and colour only for a change given in per cent.
        direction = change.direction if change.percent is not None else "none"
    used = rows if stated is None else pd.concat([rows, stated.to_frame().T])
    return Tile(
        label=h.label,
        value=format_value(change.after, change.unit, change.qualifier),
        period=change.after_period,
        previous=format_value(change.before, change.unit, change.before_qualifier) if change.before is not None else "",
        previous_period=change.before_period or "",
        change=change_text,
        direction=direction,
        caveat=caveat,
        source=source_words(sources_of(used, store.publications)),
        href=links.page(h.href, filters),
    )


def _stated_change(store: DataStore, latest: pd.Series) -> pd.Series | None:
    """The paper's own % change for a figure, where the dataset gives one: a stated % change with the same
    breakdown and period, when this figure is the only count it can be of (the one measure in numbers with
    that breakdown and period)."""
    rows = pick(store.dataset(str(latest["dataset"])), breakdown=str(latest["breakdown"]), period=str(latest["period"]))
    stated = pick(rows, category=STATED, unit="percent change")
    counts = rows[(rows["category"] != STATED) & rows["value"].notna()]
    if len(stated) != 1 or stated["value"].isna().any() or set(counts["measure"]) != {latest["measure"]}:
        return None
    return stated.iloc[0]


def _tiles(store: DataStore, filters: Filters, headlines) -> tuple[list[Tile], list[pd.DataFrame]]:
    tiles, used = [], []
    for h in headlines:
        rows = apply_filters(headline_rows(store, h), filters)
        try:
            t = make_tile(store, h, rows, filters)
        except ValueError:
            log.exception("Headline %r could not be drawn from %d rows", h.label, len(rows))
            t = None
        if t is not None:
            tiles.append(t)
            used.append(rows)
    return tiles, used


def what_changed(table: pd.DataFrame) -> list[str]:
    """The largest rises and falls in the unit's outcomes table, in words (a computed change is marked
    as ours), and which figures were not given a change and why."""
    if table["period"].nunique() < 2:
        return []
    periods = ordered_periods(table)
    # Only figures given for the latest period, each against the period before it.
    changes = [
        c
        for c in changes_by_series(table, plain_label)
        if c.after_period == periods[-1] and c.before_period == periods[-2]
    ]
    rises, falls = biggest_changes(changes, n=3)
    points = []
    if rises:
        points.append("Biggest rises: " + "; ".join(describe_change(c) for c in rises) + ".")
    if falls:
        points.append("Biggest falls: " + "; ".join(describe_change(c) for c in falls) + ".")
    skipped = [c.label for c in changes if c.why_no_percent == "recording changed between the periods"]
    if skipped:
        points.append(f"Not compared, because the source marks the figures as not comparable: {', '.join(skipped)}.")
    small = [
        c.label for c in changes if c.why_no_percent and c.why_no_percent.startswith("the earlier figure is under")
    ]
    if small:
        points.append(f"No % given, because the earlier figure is too small for a % to mean much: {', '.join(small)}.")
    return points


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """The summary, the paper's reasons, then the headline figures by topic."""
    keys = [
        dataclasses.replace(h, label=f"{SHORT_TOPICS[topic]}: {h.label[:1].lower()}{h.label[1:]}")
        for topic, _, hs in HEADLINES
        for h, key in hs
        if key
    ]
    key_tiles, key_rows = _tiles(store, filters, keys)
    # What changed most: the unit's own outcomes table, for the region it covers.
    table = pick(outcomes_table(store), force="West Midlands region")
    pool = pd.concat([*(headline_rows(store, h) for _, _, hs in HEADLINES for h, _ in hs), table])
    shown = apply_filters(table, filters)
    points = what_changed(shown)
    periods = ordered_periods(shown)
    summary_rows = pd.concat([*key_rows, shown]) if key_rows or not shown.empty else shown
    summary = Chart(
        key="overview-summary",
        title="Headline figures and what changed most",
        summary="The headline figure of each topic, then the biggest changes in the regional unit's outcomes.",
        rows=summary_rows.drop_duplicates(subset=["dataset", *schema.KEY_COLUMNS]),
        caveats=list(dict.fromkeys(n for n in shown[shown["period"] == (periods[-1] if periods else "")]["note"] if n)),
        tiles=tuple(key_tiles),
        points=tuple(points),
        points_heading=f"What changed most: {periods[-1]} against {periods[-2]}" if len(periods) > 1 else "",
        pool=pool,
        empty_message=why_empty(pool, filters) if not key_tiles and not points else "",
        name="Headline figures",
    )
    out = [summary]
    for heading, key, headlines in HEADLINES:
        tiles, used = _tiles(store, filters, [h for h, is_key in headlines if not is_key])
        rows = pd.concat(used) if used else table.iloc[0:0]
        out.append(
            Chart(
                key=key,
                title=heading,
                summary="",
                rows=rows,
                tiles=tuple(tiles),
                caveats=row_caveats(rows) if not rows.empty else [],
                pool=pd.concat([headline_rows(store, h) for h, _ in headlines]),
                empty_message="" if tiles else "The filters leave no headline figures here.",
                name=heading,
                width=HALF,
            )
        )
    # The paper's reasons sit beside the unit's headline figures they explain.
    out.insert(2, reasons_chart("overview-reasons", store, filters))
    return out


SECTION = Section(
    slug="overview",
    name="Overview",
    title="Overview",
    intro="The headline figures: what went up, what went down, and where each number comes from.",
    description="Headline changes in counter terrorism and serious and organised crime in the West Midlands.",
    datasets=(
        "rocu_outcomes",
        "rocu_disruptions",
        "rocu_explanations",
        "operation_venetic",
        "county_lines",
        "ct_contest",
    ),
    build=charts,
)
