"""About the data: every dataset and its sources, the terms a board member needs, and the caveats."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.glossary import glossary_list
from components.tables import scrollable
from data.formatting import group_sources
from data.loader import get_store

dash.register_page(
    __name__,
    path="/about",
    name="About the data",
    title="About the data – SPR Board Dashboard",
    description="Every dataset behind the dashboard, its sources, definitions and caveats.",
    order=7,
)

CAVEATS = (
    "A blank in the paper is shown as 'Not stated', never as zero.",
    "Figures the sources give as 'over' or 'nearly' keep those words (for example 'more than 360').",
    "Numbers the dashboard worked out itself (a remainder, a count of named areas, a change in per "
    "cent) are marked as derived or as our calculation.",
    "Support disruptions were recorded differently from December 2019 (para 87), so the unit's "
    "disruption counts are not compared with the year before.",
    "National Prevent figures are revised in later releases, changed definitions in 2018/19, and come "
    "from a new system from 2024/25.",
    "Figures from news reports are used only where no official page gives them, and are marked as such.",
)


def _sources_summary(sources: tuple[str, ...]) -> str:
    paras, by_site = group_sources(sources)
    urls = sum(len(u) for u in by_site.values())
    parts = []
    if paras:
        parts.append(f"Board paper, {paras}")
    if urls:
        parts.append(f"{urls} public release{'s' if urls != 1 else ''}")
    return "; ".join(parts)


def datasets_table() -> html.Div:
    store = get_store()
    rows = []
    for info in store.catalogue.values():
        rows.append(
            html.Tr(
                [
                    html.Th(html.A(info.title, href=f"/data/{info.name}"), scope="row"),
                    html.Td(info.topic),
                    html.Td(info.description),
                    html.Td(f"{info.rows:,}", className="text-end"),
                    html.Td(_sources_summary(info.sources)),
                    html.Td(info.updated.strftime("%-d %b %Y")),
                    html.Td(
                        [
                            html.A(
                                "CSV",
                                href=f"/api/v1/datasets/{info.name}.csv",
                                **{"aria-label": f"{info.title} as CSV"},
                            ),
                            " · ",
                            html.A(
                                "JSON",
                                href=f"/api/v1/datasets/{info.name}.json",
                                **{"aria-label": f"{info.title} as JSON"},
                            ),
                        ],
                        className="text-nowrap",
                    ),
                ]
            )
        )
    headers = ("Dataset", "Topic", "What it holds", "Rows", "Sources", "Last changed", "Download")
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


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("About the data"),
            html.P(
                "Every figure in this dashboard comes from a data file, and every row of those files "
                "names its source: a paragraph of the Strategic Policing Requirement update to the "
                "Strategic Policing and Crime Board (early 2021), or the web page of a public release.",
                className="lead",
            ),
            html.H2("Datasets", className="h4"),
            html.P("Open a dataset to see every figure with its source and notes, or download it."),
            datasets_table(),
            html.H2("Terms used", className="h4 mt-4"),
            glossary_list(),
            html.H2("Caveats", className="h4 mt-4"),
            html.Ul([html.Li(c) for c in CAVEATS]),
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
