"""The section contract, and the helpers every section uses.

``Section`` is what a page, a run of slides and a part of the board pack are made from. Its address
is worked out from its slug, so a page's address and the section its tables and exports are found
by can never drift apart.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from data.checks import concerns, store_checks
from data.loader import DataStore
from data.queries import ALL, FilterCheck, Filters, check_filters, known_filter_values, text_equals
from figures.chart import Chart, failed_chart

log = logging.getLogger(__name__)

#: The overview's slug: its page is the home page, "/".
HOME = "overview"
#: Prefix of a caveat that comes from a check on the paper.
CHECK_CAVEAT = "Check on the paper"


@dataclass(frozen=True)
class Section:
    """One section of the dashboard: a page, a run of slides in meeting mode and a part of the pack."""

    #: Lower-case words joined by '-': the page's address is '/<slug>' (the overview's is '/').
    slug: str
    #: The navigation label.
    name: str
    #: The page heading, and the pack's divider.
    title: str
    intro: str
    #: One sentence for the page's description (search engines, link previews).
    description: str
    #: The datasets its figures come from.
    datasets: tuple[str, ...]
    #: Every chart of the section under the filters, in reading order.
    build: Callable[[DataStore, Filters], list[Chart]]

    @property
    def path(self) -> str:
        return "/" if self.slug == HOME else f"/{self.slug}"


def section_charts(section: Section, store: DataStore, filters: Filters) -> list[Chart]:
    """``section.build(store, filters)``, worked out once per filter state and data, with the checks on
    the paper that concern each chart added to its caveats.

    Pages, exports and meeting mode share the result, so a chart is built once, not on every request.
    Callers must not change what they get back (figures are copied before restyling). A section whose
    code fails as a whole gives one chart saying so, never an error page.
    """
    # Only values the data has reach the drawing and its cache: anything else would be one more entry
    # for every address a client makes up.
    filters = checked(store, filters).filters.resolved(store.frame)  # the period matches by its dates
    charts = store.memo.get_or_make(("charts", section, filters), lambda: _build(section, store, filters))
    if filters.strand != ALL and not has_strands(charts):
        # A strand means nothing on a section none of whose figures has one: the filter is not applied
        # there (the page says so), rather than emptying every chart.
        return section_charts(section, store, dataclasses.replace(filters, strand=ALL))
    return charts


def checked(store: DataStore, filters: Filters) -> FilterCheck:
    """``filters`` checked against the values ``store``'s data has (worked out once per data)."""
    known = store.memo.get_or_make(("filter values",), lambda: known_filter_values(store.frame))
    return check_filters(filters, known)  # type: ignore[arg-type]


def has_strands(charts: list[Chart]) -> bool:
    """Whether any figure these charts could show belongs to a strand."""
    return any(c.pool is not None and not c.pool.empty and (c.pool["strand"].astype(str) != "").any() for c in charts)


def _build(section: Section, store: DataStore, filters: Filters) -> list[Chart]:
    try:
        charts = section.build(store, filters)
    except Exception:
        log.exception("Section %s could not be built under %s", section.slug, filters)
        rows = page_rows(store, section.datasets)
        return [failed_chart(f"{section.slug}-all", section.title, rows, rows)]
    if store.withheld & set(section.datasets):
        charts = [_say_if_withheld(c) for c in charts]
    differing = [r for r in store_checks(store) if r.verdict.kind == "differs"]
    for chart in charts:
        for result in differing:
            if not chart.rows.empty and concerns(result, chart.rows):
                where = (
                    f"{result.publication.name}, {result.paragraphs}" if result.paragraphs else result.publication.name
                )
                chart.caveats.append(f"{CHECK_CAVEAT} ({where}): {result.verdict.caveat}")
    return charts


WITHHELD_MESSAGE = (
    "These figures are marked OFFICIAL-SENSITIVE: they are shown only to signed-in users allowed to see them."
)


def _say_if_withheld(chart: Chart) -> Chart:
    """On a section some of whose datasets this reader may not see, a chart left with nothing to show
    before any filter (its figures are all withheld) says so, not that there are no figures."""
    if chart.is_empty and not chart.failed and (chart.pool is None or chart.pool.empty):
        return dataclasses.replace(chart, empty_message=WITHHELD_MESSAGE)
    return chart


def page_rows(store: DataStore, datasets: Sequence[str]) -> pd.DataFrame:
    """All rows of a section's datasets."""
    return store.frame[store.frame["dataset"].isin(list(datasets))]


def pick(frame: pd.DataFrame, **where: str | tuple[str, ...]) -> pd.DataFrame:
    """The rows of ``frame`` whose columns have the given values (a tuple: any of them), chosen by
    what they mean: ``pick(rows, measure="Arrested", breakdown="Total")``."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        if isinstance(wanted, tuple):
            mask &= frame[column].astype(str).isin(wanted)
        else:
            mask &= text_equals(frame[column], wanted)
    return frame[mask]


def only(rows: pd.DataFrame) -> pd.Series | None:
    """The single row of ``rows``, or None when there are none or several (a title then says less)."""
    return rows.iloc[0] if len(rows) == 1 else None


def latest_statements(rows: pd.DataFrame) -> pd.DataFrame:
    """Each figure's latest statement: for every measure, breakdown, area and strand, the rows of its latest
    period (so a fact list shows this year's threat ranking, not last year's beside it)."""
    from data.queries import SERIES_KEY, ordered_periods

    if rows.empty:
        return rows
    keep: list = []
    for _, series in rows.groupby(list(SERIES_KEY), sort=False, dropna=False, observed=True):
        keep += list(series.index[series["period"] == ordered_periods(series)[-1]])
    return rows[rows.index.isin(keep)]  # in the rows' own order


def latest_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest period (by date)."""
    from data.queries import ordered_periods

    periods = ordered_periods(rows)
    return rows[rows["period"] == periods[-1]] if periods else rows


def parts_of(rows: pd.DataFrame, total: str = "Total", overlapping: tuple[str, ...] = ()) -> list[str]:
    """The breakdowns that make up ``total`` (for a part-of-whole chart): every other named breakdown, in
    the rows' order, but those that overlap the others."""
    return [b for b in dict.fromkeys(rows["breakdown"].astype(str)) if b and b != total and b not in overlapping]
