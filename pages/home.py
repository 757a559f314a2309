"""Home: every dataset, what it holds, its sources and its downloads."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from data.formatting import paragraph_range
from data.loader import get_store

dash.register_page(
    __name__,
    path="/",
    name="Datasets",
    title="Datasets – SPR Board Dashboard",
    description="Every dataset behind the SPR Board Dashboard, with its sources and downloads.",
    order=0,
)


def _sources_summary(sources: tuple[str, ...]) -> str:
    paras = paragraph_range(sources)
    urls = sum(1 for s in sources if s.startswith(("http://", "https://")))
    parts = []
    if paras:
        parts.append(f"Board paper, {paras}")
    if urls:
        parts.append(f"{urls} public release{'s' if urls != 1 else ''}")
    return "; ".join(parts)


def layout(**_query: str) -> html.Div:
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
    return html.Div(
        [
            html.H1("Datasets behind the dashboard"),
            html.P(
                "Each dataset holds the figures of one table or topic of the Strategic Policing "
                "Requirement update, or of a public release that extends it. Every row names the "
                "paragraph or web page it comes from. Open a dataset to see its figures.",
                className="lead",
            ),
            dbc.Table(
                [
                    html.Caption(f"{len(store.names)} datasets, {len(store.frame):,} figures"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, scope="col")
                                for h in (
                                    "Dataset",
                                    "Topic",
                                    "What it holds",
                                    "Rows",
                                    "Sources",
                                    "Download",
                                )
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                striped=True,
                responsive=True,
                className="data-table",
            ),
        ]
    )
