"""Overview: the headline figures the board cares about, and what changed most."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from components.filters import filter_bar
from components.glossary import glossary_box
from components.page import filter_notice, safe_layout
from components.tiles import Headline, Tile, tile_grid
from data.formatting import format_value, paragraph_range
from data.loader import get_store
from data.queries import (
    ALL,
    Filters,
    apply_filters,
    biggest_changes,
    compare_latest,
    describe_change,
    filter_options,
    percent_text,
    text_equals,
)
from sections.organised_crime import PLAIN_LABELS

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    title="Overview – SPR Board Dashboard",
    description="Headline changes in counter terrorism and serious and organised crime in the West Midlands.",
    order=0,
)


SECTIONS: tuple[tuple[str, str, tuple[Headline, ...]], ...] = (
    (
        "Serious and organised crime: the regional unit",
        "headlines-rocu",
        (
            Headline(
                "Lead disruptions",
                "rocu_disruptions",
                (("measure", "SOC disruptions"), ("breakdown", "ROCUWM lead")),
                "/organised-crime",
            ),
            Headline(
                "Support disruptions",
                "rocu_disruptions",
                (("measure", "SOC disruptions"), ("breakdown", "ROCUWM support")),
                "/organised-crime",
            ),
            Headline("People arrested", "rocu_outcomes", (("measure", "Arrested"),), "/organised-crime"),
            Headline("People charged", "rocu_outcomes", (("measure", "Charged"),), "/organised-crime"),
            Headline("People convicted", "rocu_outcomes", (("measure", "Convicted"),), "/organised-crime"),
            Headline("Years sentenced", "rocu_outcomes", (("measure", "Years sentenced"),), "/organised-crime"),
            Headline("Cocaine seized", "rocu_outcomes", (("measure", "Cocaine seized"),), "/organised-crime"),
            Headline("Firearms seized", "rocu_outcomes", (("measure", "Firearms seized"),), "/organised-crime"),
            Headline("People safeguarded", "rocu_outcomes", (("measure", "Safeguarded"),), "/organised-crime"),
        ),
    ),
    (
        "Operation Venetic (EncroChat) in the region",
        "headlines-venetic",
        (
            Headline(
                "People arrested", "operation_venetic", (("measure", "Arrested"), ("breakdown", "Total")), "/venetic"
            ),
            Headline(
                "People charged", "operation_venetic", (("measure", "Charged"), ("breakdown", "Total")), "/venetic"
            ),
            Headline(
                "Cocaine seized",
                "operation_venetic",
                (("measure", "Cocaine seized"), ("breakdown", "Total")),
                "/venetic",
            ),
            Headline("Cash seized", "operation_venetic", (("measure", "Cash seized"),), "/venetic"),
        ),
    ),
    (
        "County Lines Task Force",
        "headlines-county-lines",
        (
            Headline("People arrested", "county_lines", (("measure", "Arrested"),), "/county-lines"),
            Headline(
                "Young people safeguarded", "county_lines", (("measure", "Young people safeguarded"),), "/county-lines"
            ),
            Headline("County lines closed", "county_lines", (("measure", "County lines closed"),), "/county-lines"),
        ),
    ),
    (
        "Counter terrorism: Pursue",
        "headlines-ct",
        (
            Headline("Terrorism arrests", "ct_contest", (("measure", "Arrests"),), "/counter-terrorism"),
            Headline("Convictions", "ct_contest", (("measure", "Convictions"),), "/counter-terrorism"),
            Headline("Recalls to prison", "ct_contest", (("measure", "Recalls to prison"),), "/counter-terrorism"),
        ),
    ),
)


def _select(frame: pd.DataFrame, where: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for col, val in where:
        mask &= text_equals(frame[col], val)
    return frame[mask]


def make_tile(h: Headline, rows: pd.DataFrame, search: str) -> Tile | None:
    """A tile from one measure's rows (one or more periods); None when the filters leave none."""
    if rows.empty:
        return None
    change = compare_latest(rows, label=h.label)
    latest = rows[rows["period"] == change.after_period].iloc[0]
    caveat = ""
    if str(latest["series_break"]) == "yes" or change.why_no_percent == "recording changed between the periods":
        caveat = "recording changed, so no comparison with the year before"
    elif latest["qualifier"] not in ("exact",):
        caveat = (
            f"the source gives this as '{format_value(latest['value'], str(latest['unit']), str(latest['qualifier']))}'"
        )
    stated, stated_row = _stated_change(h)
    change_text = percent_text(change) if change.before is not None else stated
    direction = change.direction if change.before is not None else _stated_direction(stated)
    sources = list(rows["source"])
    if stated_row is not None:
        sources.append(str(stated_row["source"]))
        if str(latest["series_break"]) == "yes":
            # The paper's own change, but across a change in recording: report it, without an arrow.
            change_text = (
                stated.replace("▼ ", "").replace("▲ ", "") + "; the paper puts this down to a change in recording"
            )
            direction = "none"
            caveat = "not a fall in activity: support work was recorded differently (para 87)"
    return Tile(
        label=h.label,
        value=format_value(change.after, change.unit, change.qualifier),
        period=change.after_period,
        previous=format_value(change.before, change.unit, "exact") if change.before is not None else "",
        change=change_text,
        direction=direction,
        caveat=caveat,
        source=f"Source: {paragraph_range(sources)}" if rows["source_type"].eq("paper").all() else "",
        href=h.href + search,
    )


def _stated_change(h: Headline) -> tuple[str, pd.Series | None]:
    """The paper's own % change for the lead/support tiles (paras 86-87), and its row."""
    if h.dataset != "rocu_disruptions":
        return "", None
    store = get_store()
    breakdown = dict(h.where).get("breakdown", "")
    stated = _select(
        store.dataset("rocu_disruptions"), (("measure", "Change on previous 12 months"), ("breakdown", breakdown))
    )
    if stated.empty:
        return "", None
    value = float(stated["value"].iloc[0])
    word = "up" if value > 0 else "down"
    arrow = "▲" if value > 0 else "▼"
    return f"{arrow} {word} {abs(value):g}% on the year before (as stated in the paper)", stated.iloc[0]


def _stated_direction(text: str) -> str:
    return "up" if text.startswith("▲") else "down" if text.startswith("▼") else "none"


def what_changed(outcomes: pd.DataFrame) -> html.Section | None:
    """The largest rises and falls in the unit's outcomes table, in words."""
    table = outcomes[(outcomes["source"] == "para 88")]
    if table["period"].nunique() < 2:
        return None
    changes = [
        compare_latest(
            table[(table["measure"] == m) & text_equals(table["strand"], s)],
            label=PLAIN_LABELS.get(m, m) if not s else f"{s} disruptions",
        )
        for m, s in table[["measure", "strand"]].astype(str).drop_duplicates().itertuples(index=False)
    ]
    rises, falls = biggest_changes(changes, n=3)
    if not rises and not falls:
        return None
    c0 = changes[0]
    items = []
    if rises:
        items.append(html.Li(["Biggest rises: ", "; ".join(describe_change(c) for c in rises), "."]))
    if falls:
        items.append(html.Li(["Biggest falls: ", "; ".join(describe_change(c) for c in falls), "."]))
    skipped = [c.label for c in changes if c.why_no_percent == "recording changed between the periods"]
    if skipped:
        items.append(html.Li(f"Not compared, because recording changed: {', '.join(skipped)}."))
    reasons = get_store().dataset("rocu_explanations")
    reason_items = [
        html.Li(f"{m}: {t} ({src}).")
        for m, t, src in zip(reasons["measure"], reasons["value_text"], reasons["source"], strict=True)
    ]
    return html.Section(
        [
            html.H2("What changed most", id="what-changed-title", className="h4"),
            html.P(f"The regional organised crime unit, {c0.before_period} against {c0.after_period} (para 88):"),
            html.Ul(items),
            html.H3("What the paper says lies behind them", className="h5"),
            html.Ul(reason_items),
        ],
        className="what-changed",
        **{"aria-labelledby": "what-changed-title"},
    )


@safe_layout
def layout(**query: str) -> html.Div:
    store = get_store()
    filters = Filters.from_query(query)
    # Worked out once per filter state and data (the tree is only read when it is sent).
    return store.memo.get_or_make(("overview", filters), lambda: _overview(store, filters))


def _headline_rows(store, h: Headline) -> pd.DataFrame:
    """A headline's rows before filtering: selected once per data, not on every change of filters."""
    return store.memo.get_or_make(("headline rows", h), lambda: _select(store.dataset(h.dataset), h.where))


def _overview(store, filters: Filters) -> html.Div:
    # The filter options are what the tiles can show.
    rows = pd.concat([_headline_rows(store, h) for _, _, hs in SECTIONS for h in hs])
    search = filters.to_search()
    sections = []
    hidden = 0
    for heading, heading_id, headlines in SECTIONS:
        tiles = []
        for h in headlines:
            t = make_tile(h, apply_filters(_headline_rows(store, h), filters), search)
            if t is None:
                hidden += 1
            else:
                tiles.append(t)
        if tiles:
            sections.append(tile_grid(tiles, heading, heading_id))
    notice = filter_notice(rows, filters)
    if hidden:
        notice = (notice + " " if notice else "") + f"{hidden} headline figures are hidden by the filters."
    changed = what_changed(apply_filters(store.dataset("rocu_outcomes"), filters)) if filters.period == ALL else None
    return html.Div(
        [
            html.H1("Overview"),
            html.P(
                "The headline figures from the West Midlands Strategic Policing Requirement update to the "
                "board (early 2021): what went up, what went down, and where each number comes from. "
                "Changes are worked out by the dashboard from the paper's figures, except where marked "
                "as stated in the paper.",
                className="lead",
            ),
            glossary_box(),
            filter_bar(filter_options(rows, filters), filters),
            html.P(notice, className="filter-notice", role="status") if notice else None,
            changed,
            *sections,
        ]
    )
