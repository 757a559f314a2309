"""One dataset's figures, each with its source and caveat."""

from __future__ import annotations

import dash
from dash import html

from components.page import as_at
from components.tables import rows_table
from data.loader import get_store
from sections import links

dash.register_page(
    __name__,
    path_template="/data/<name>",
    name="Dataset",
    title="Dataset – SPR Board Dashboard",
    description="The figures of one dataset, each with its source and caveat.",
    nav=False,
)


def layout(name: str | None = None, **_query: str) -> html.Div:
    store = get_store()
    info = store.catalogue.get(name or "")
    if info is None:
        return html.Div(
            [
                html.H1("Dataset not found"),
                html.P(
                    [
                        "There is no dataset with that name. ",
                        html.A("See all datasets", href="/about"),
                        ".",
                    ]
                ),
            ]
        )
    frame = store.dataset(info.name)
    return html.Div(
        [
            html.P(html.A("← All datasets", href="/about"), className="mb-2"),
            html.H1(info.title),
            as_at(frame, store),
            html.P(info.description, className="lead"),
            html.P(
                [
                    f"{info.topic}. {info.rows:,} figures. Download: ",
                    html.A("CSV", href=links.dataset_api(info.name, "csv")),
                    " · ",
                    html.A("JSON", href=links.dataset_api(info.name, "json")),
                ]
            ),
            rows_table(frame, caption=f"{info.title}: every figure with its source", publications=store.publications),
        ]
    )
