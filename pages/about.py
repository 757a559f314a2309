"""About the data: every dataset and publication, the terms a board member needs, and the caveats."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.glossary import glossary_list
from components.page import EVERY_DATASET, as_at, safe_layout
from components.tables import scrollable, source_link
from components.view_notice import long_date
from data.formatting import sources_of
from data.loader import DataStore, get_store
from data.published import current_view
from data.queries import MIN_BASE_BY_UNIT, MIN_BASE_FOR_PERCENT, base_words
from sections import links

dash.register_page(
    __name__,
    path="/about",
    name="About the data",
    title="About the data – SPR Board Dashboard",
    description="Every dataset and publication behind the dashboard, its sources, definitions and caveats.",
    order=8,
)

RULES = (
    "A blank in the paper is shown as 'Not stated', never as zero.",
    "Figures the sources give as 'over', 'in excess of', 'nearly' or 'an estimated' keep the source's own word "
    "(for example 'over 360').",
    "Numbers the dashboard worked out itself (a remainder, a count of named areas) are marked as worked out; "
    "changes in per cent are marked as our calculation, and changes a paper states are marked as stated.",
    "A change is given in per cent only between comparable periods, and only from an earlier figure large "
    f"enough in its unit for a per cent to mean something: {MIN_BASE_FOR_PERCENT} of a count, "
    + ", ".join(
        f"{base_words(u)} ({u})" if u in ("tablets", "credentials", "items") else base_words(u)
        for u in MIN_BASE_BY_UNIT
    )
    + ". The biggest changes listed must also have moved by at least that much.",
    "Where a later publication restates a figure, the later figure is shown, marked 'revised from' the earlier "
    "one and its publication.",
    "Figures from news reports are used only where no official page gives them, and are marked as such.",
)


def _sources_summary(store: DataStore, name: str) -> str:
    """'SPR update to the board, January 2021, paras 97–98; 3 public releases', each paper named."""
    sources = sources_of(store.dataset(name), store.publications)
    urls = sum(len(u) for u in sources.sites.values())
    parts = sources.paper_texts()
    if urls:
        parts.append(f"{urls} public release{'s' if urls != 1 else ''}")
    return "; ".join(parts)


def datasets_table(store: DataStore) -> html.Div:
    rows = []
    for info in store.catalogue.values():
        rows.append(
            html.Tr(
                [
                    html.Th(html.A(info.title, href=links.dataset_page(info.name)), scope="row"),
                    html.Td(info.topic),
                    html.Td(info.description),
                    html.Td(f"{info.rows:,}", className="text-end"),
                    html.Td(_sources_summary(store, info.name)),
                    html.Td(info.as_at.label),
                    html.Td(
                        [
                            html.A(
                                "CSV",
                                href=links.dataset_api(info.name, "csv"),
                                **{"aria-label": f"{info.title} as CSV"},
                            ),
                            " · ",
                            html.A(
                                "JSON",
                                href=links.dataset_api(info.name, "json"),
                                **{"aria-label": f"{info.title} as JSON"},
                            ),
                        ],
                        className="text-nowrap",
                    ),
                ]
            )
        )
    headers = ("Dataset", "Topic", "What it holds", "Rows", "Sources", "Figures as at", "Download")
    caption = f"{len(store.names)} datasets, {len(store.frame):,} figures"
    return scrollable(
        dbc.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody(rows),
            ],
            striped=True,
            className="data-table",
        ),
        "Datasets: " + caption,
    )


def papers_table(store: DataStore) -> html.Div:
    """The board papers, latest first: title, board and meeting, date (and how it is known), where to find it."""
    papers = sorted((p for p in store.publications.values() if p.is_paper), key=lambda p: p.date.last_day, reverse=True)
    body = [
        html.Tr(
            [
                html.Th(p.title, scope="row"),
                html.Td(f"{p.board}" + (f", {p.meeting}" if p.meeting else "")),
                html.Td(
                    [p.date.label, html.Br(), html.Span(p.date_note, className="small")]
                    if p.date_note
                    else p.date.label
                ),
                html.Td(source_link(p.link) if p.url else p.link),
                html.Td(p.next_update or "Not stated"),
            ]
        )
        for p in papers
    ]
    headers = ("Paper", "Board and meeting", "Date", "Where to find it", "Next update")
    caption = f"{len(papers)} board paper{'s' if len(papers) != 1 else ''}"
    return scrollable(
        dbc.Table(
            [html.Caption(caption), html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])), html.Tbody(body)],
            striped=True,
            className="data-table",
        ),
        "Board papers: " + caption,
    )


def breaks_list(store: DataStore) -> html.Ul:
    """Where the data says figures are not comparable with the period before, in its own words."""
    frame = store.frame
    marked = frame[frame["series_break"] == "yes"]
    items = [
        f"{store.catalogue[str(d)].title}, {m} ({p}): {n}"
        for d, m, p, n in pd.unique(
            pd.Series(list(zip(marked["dataset"], marked["measure"], marked["period"], marked["note"], strict=True)))
        )
    ]
    return html.Ul([html.Li(i) for i in items]) if items else html.P("No figure is marked as not comparable.")


def version_text() -> html.P | None:
    """Which published version this view shows, and which was last presented to the board."""
    view = current_view()
    if view is None:
        return None
    if view.draft is not None:
        return html.P("This view shows a draft: its figures are not published.", className="version-text")
    info = view.info()
    if info is None:
        return None
    current = " (the current version)" if info.number == view.current else f"; the current version is {view.current}"
    words = [
        f"This view shows version {info.number} of the published figures, published {long_date(info.published_at)}{current}. "
    ]
    presented = view.library.presented() if view.library is not None else []
    if presented:
        last = presented[0]
        meeting = f" ({last.meeting})" if last.meeting else ""
        words.append(
            f"Version {last.version} was the one presented to the board on {long_date(last.presented_on)}{meeting}. "
        )
    words += [html.A("Every version", href=links.versions_page()), ", and what changed in each."]
    return html.P(words, className="version-text")


@safe_layout(shows=EVERY_DATASET)
def layout(**_query: str) -> html.Div:
    store = get_store()
    public = sum(1 for p in store.publications.values() if not p.is_paper)
    return html.Div(
        [
            html.H1("About the data"),
            as_at(store.frame, store),
            version_text(),
            html.P(
                "Every figure in this dashboard comes from a data file, and every row of those files "
                "names its source: a paragraph of a board paper, or the web page of a public release. "
                "Each paper is one more publication in the data; the latest figure for each period is shown.",
                className="lead",
            ),
            html.H2("Board papers", className="h4"),
            papers_table(store),
            html.P(
                [
                    f"Figures also come from {public} public releases, each named beside its figures. The full list, "
                    "with dates, is at ",
                    html.A("/api/v1/publications", href="/api/v1/publications"),
                    ". ",
                    html.A("Checks on the paper", href="/checks"),
                    " sets each paper's figures against each other.",
                ]
            ),
            html.H2("Datasets", className="h4 mt-4"),
            html.P("Open a dataset to see every figure with its source and notes, or download it."),
            datasets_table(store),
            html.H2("Terms used", className="h4 mt-4"),
            glossary_list(),
            html.H2("How figures are shown", className="h4 mt-4"),
            html.Ul([html.Li(c) for c in RULES]),
            html.H2("Figures not comparable with the period before", className="h4 mt-4"),
            breaks_list(store),
            html.H2("For analysts", className="h4 mt-4"),
            html.P(
                [
                    "The data is also available as CSV and JSON from the data API: ",
                    html.A("/api/v1/datasets", href="/api/v1/datasets"),
                    " lists the datasets and their download links.",
                ]
            ),
        ]
    )
