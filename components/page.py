"""The frame every dashboard page shares: heading, intro, filter bar, notice and chart cards."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping

import pandas as pd
from dash import html
from flask import g, has_request_context

from components.chart_card import chart_card, shows_figure
from components.filters import filter_bar
from components.glossary import glossary_box
from components.view_notice import download_props, marking_bar, page_version_store, view_notice
from data import schema
from data.loader import DataStore, get_store
from data.marking import marking_of
from data.publications import as_at_text
from data.queries import ALL, Filters, filter_options, period_matches
from figures.chart import HALF, Chart
from sections import BY_SLUG, Section, links, section_charts
from sections.base import HOME, checked

#: The line under each page's heading that says how old its figures are.
AS_AT_CLASS = "figures-as-at"

log = logging.getLogger(__name__)


#: ``safe_layout(shows=EVERY_DATASET)``: the page may show figures from any dataset.
EVERY_DATASET = "every dataset"


def not_to_be_kept() -> None:
    """Tell the page cache (``web.page_cache``) not to keep this request's answer: a failed page, or
    one drawn for an address whose filters the data does not have."""
    if has_request_context():
        g.page_failed = True


def safe_layout(layout: Callable[..., object] | None = None, *, shows=None):
    """Wrap a page's layout: the notice of a pinned version or draft at the top, the handling mark at
    the top and bottom when the page shows sensitive figures, and the version it is drawn from (for
    its later callbacks). An unexpected error shows a plain message, not a blank page (the error and
    its traceback go to the log; the reader sees no trace).

    ``shows(**query)`` names the datasets the page shows (or ``shows=EVERY_DATASET``); without it the
    page shows no figures.
    """
    if layout is None:
        return functools.partial(safe_layout, shows=shows)

    @functools.wraps(layout)
    def wrapper(*args, **kwargs):
        try:
            body = layout(*args, **kwargs)
        except Exception:
            log.exception("Page layout failed for %s with %s", layout.__module__, kwargs)
            not_to_be_kept()
            body = html.Div(
                [
                    html.H1("This page could not be shown"),
                    html.P(
                        "Something went wrong while drawing this page. The problem has been logged. "
                        "Try another page, or clear the filters."
                    ),
                    html.A("Go to the overview", href="/"),
                ],
                role="alert",
            )
        mark = _page_mark(shows, kwargs)
        return html.Div(
            [page_version_store(), marking_bar(mark, "top"), view_notice(), body, marking_bar(mark, "bottom")]
        )

    return wrapper


def _page_mark(shows, query: Mapping[str, object]) -> str:
    store = get_store()
    if shows is None:
        return schema.OFFICIAL
    if shows == EVERY_DATASET:
        return marking_of(store)
    try:
        names = list(shows(**query))
    except Exception:  # a page that cannot say what it shows is marked as showing everything
        log.exception("Could not tell which datasets a page shows")
        return marking_of(store)
    return marking_of(store, names)


def filter_notice(rows: pd.DataFrame, filters: Filters) -> str:
    """Words for filters that this page's data cannot honour, or ''."""
    notes = []
    if filters.period != ALL and not period_matches(rows, filters).any():
        notes.append(f"There are no figures for the period '{filters.period}' on this page.")
    strands = set(rows["strand"].astype(str)) - {""}
    if filters.strand != ALL and not strands:
        notes.append(
            f"This page's figures are not split by strand, so the strand filter ('{filters.strand}') is not "
            "applied here: every figure is shown."
        )
    elif filters.strand != ALL and filters.strand not in strands:
        notes.append(f"No figures on this page belong to the strand '{filters.strand}'.")
    if filters.force != ALL and filters.force not in set(rows["force"].astype(str)):
        covered = ", ".join(sorted(set(rows["force"].astype(str))))
        notes.append(f"There are no figures for {filters.force} on this page. Its figures cover: {covered}.")
    return " ".join(notes)


#: Filled by assets/app.js as the page is printed: "Printed 2 December 2026 from <address>".
PRINT_STAMP_CLASS = "print-stamp-when"
#: Where "Skip to the next chart" on a page's last chart leads.
PAGE_END_ID = "page-end"
#: Where the page says a board pack is being made (``assets/app.js`` writes into it).
PACK_STATUS_ID = "pack-status"
#: Links to files that take seconds to make: the page shows that the file is being made.
LONG_EXPORT_CLASS = "long-export"


def filters_words(filters: Filters) -> str:
    """'none' or 'period Dec 2019 to Nov 2020; strand Pursue', for the printed page."""
    parts = [
        f"{name} {value}"
        for name, value in (("period", filters.period), ("strand", filters.strand), ("force or area", filters.force))
        if value != ALL
    ]
    return "; ".join(parts) if parts else "none (every figure)"


def pack_links(slug: str, filters: Filters) -> html.Div:
    """The board pack for this page and for the whole dashboard, under the current filters,
    and the link into meeting mode. While a pack is made the page says so (``PACK_STATUS_ID``)."""

    def pack(fmt: str, scope: str) -> str:
        return links.pack(fmt, scope, filters)

    section = BY_SLUG.get(slug)
    this = {**download_props(section.datasets if section is not None else get_store().catalogue)}
    every = {**download_props(get_store().catalogue)}
    for props in (this, every):
        props["className"] = LONG_EXPORT_CLASS

    return html.Div(
        [
            html.Span("Board pack: ", className="fw-semibold"),
            "this page as ",
            html.A("PowerPoint", href=pack("pptx", slug), **this),
            " or ",
            html.A("PDF", href=pack("pdf", slug), **this),
            "; the whole dashboard as ",
            html.A(
                "PowerPoint",
                href=pack("pptx", links.ALL_SECTIONS),
                **every,
                **{"aria-label": "Whole dashboard as PowerPoint"},
            ),
            " or ",
            html.A("PDF", href=pack("pdf", links.ALL_SECTIONS), **every, **{"aria-label": "Whole dashboard as PDF"}),
            ". ",
            html.A("Present this page", href=links.slide(slug, filters), className="btn btn-dark btn-sm ms-2"),
            html.A(
                "Present the whole dashboard",
                href=links.slide(HOME, filters, deck="all"),
                className="btn btn-outline-dark btn-sm ms-2",
            ),
            html.P(id=PACK_STATUS_ID, role="status", className="pack-status mb-0"),
        ],
        className="pack-links small",
    )


#: Pages with more charts than this list them at the top (in three columns on a wide screen).
CONTENTS_FROM = 6
CONTENTS_ID = "page-contents"


#: A run of at least this many half-width cards of words (fact lists) flows in two columns.
TEXT_RUN = 3
TEXT_COLUMNS_CLASS = "chart-text-columns"


def grouped_cards(charts: list[Chart], cards: list) -> list:
    """The cards in reading order; a run of ``TEXT_RUN`` or more half-width fact lists in a row is put in
    one block whose two columns the cards flow down (left column first), so a short list does not
    leave a gap beside a long one."""
    out: list = []
    run: list = []

    def flush():
        out.extend(run) if len(run) < TEXT_RUN else out.append(html.Div(list(run), className=TEXT_COLUMNS_CLASS))
        run.clear()

    for chart, card in zip(charts, cards, strict=True):
        if chart.facts and chart.width == HALF and not chart.rows.empty:
            run.append(card)
        else:
            flush()
            out.append(card)
    flush()
    return out


def contents(charts: list) -> html.Nav | None:
    """'On this page': a link to each chart by its short name, on pages with more than ``CONTENTS_FROM``."""
    if len(charts) <= CONTENTS_FROM:
        return None
    return html.Nav(
        [
            html.H2("On this page", id=f"{CONTENTS_ID}-title", className="h6 mb-1"),
            html.Ul([html.Li(html.A(c.name or c.title, href=f"#{c.key}")) for c in charts], className="contents-list"),
        ],
        id=CONTENTS_ID,
        className="page-contents small",
        **{"aria-labelledby": f"{CONTENTS_ID}-title"},
    )


def as_at(rows: pd.DataFrame, store: DataStore) -> html.P | None:
    """'Figures as at January 2021 (...)', from the publications of the page's rows."""
    text = as_at_text(rows, store.publications)
    return html.P(text, className=f"{AS_AT_CLASS} small") if text else None


def dashboard_page(section: Section, query: Mapping[str, object]) -> html.Div:
    """A section as a page: its heading, how old its figures are, the intro, the filter bar and every chart."""
    store = get_store()
    check = checked(store, Filters.from_query(query))
    if not check.ok:
        not_to_be_kept()
    filters = check.filters.resolved(store.frame)
    charts = section_charts(section, store, filters)
    # The filter options are what this page's charts can show, not every row of its datasets.
    pools = [c.pool for c in charts if c.pool is not None and not c.pool.empty]
    rows = pd.concat(pools, ignore_index=True) if pools else store.frame.iloc[0:0]
    notice = " ".join([*check.problems, filter_notice(rows, filters)]).strip()
    withheld = store.withheld & set(section.datasets)
    return html.Div(
        [
            html.H1(section.title),
            as_at(rows, store),
            html.Div([html.P(section.intro, className="lead mb-0"), glossary_box()], className="page-intro"),
            filter_bar(filter_options(rows, filters), filters),
            html.P(notice, className="filter-notice", role="status") if notice else None,
            html.P(
                "Some of this page's figures are marked OFFICIAL-SENSITIVE: they are shown only to signed-in "
                "users allowed to see them.",
                className="withheld-notice",
                role="note",
            )
            if withheld
            else None,
            pack_links(section.slug, filters),
            # Printed only: the filters, and (filled in as the page is printed) the address and the date.
            html.P(
                [
                    html.Span(f"Filters: {filters_words(filters)}. "),
                    html.Span(className=PRINT_STAMP_CLASS),
                ],
                className="print-only print-stamp",
            ),
            contents(charts),
            html.Div(
                grouped_cards(
                    charts,
                    [
                        chart_card(
                            c,
                            store.publications,
                            section=section.slug,
                            filters=filters,
                            next_id=charts[i + 1].key if i + 1 < len(charts) else PAGE_END_ID,
                            # The page's first figure is drawn with it; the rest as they are needed.
                            later=any(shows_figure(earlier) for earlier in charts[:i]),
                        )
                        for i, c in enumerate(charts)
                    ],
                ),
                className="chart-grid",
            ),
            html.P("End of the charts on this page.", id=PAGE_END_ID, tabIndex="-1", className="visually-hidden"),
        ]
    )
