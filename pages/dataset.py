"""One dataset's figures, each with its source and caveat."""

from __future__ import annotations

import dash
from dash import html

from components.page import as_at, not_to_be_kept, safe_layout
from components.tables import rows_table
from components.view_notice import download_props
from data.loader import get_store
from data.metadata import dataset_jsonld
from sections import links

dash.register_page(
    __name__,
    path_template="/data/<name>",
    name="Dataset",
    title="Dataset – SPR Board Dashboard",
    description="The figures of one dataset, each with its source and caveat.",
    nav=False,
)


@safe_layout(shows=lambda name=None, **_query: [name or ""])
def layout(name: str | None = None, **_query: str) -> html.Div:
    store = get_store()
    info = store.catalogue.get(name or "")
    if info is None:
        not_to_be_kept()
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
    how = download_props([info.name])
    return html.Div(
        [
            html.P(html.A("← All datasets", href=links.page("/about")), className="mb-2"),
            html.H1(info.title),
            as_at(frame, store),
            html.P(info.description, className="lead"),
            html.P(
                [
                    f"{info.topic}. {info.rows:,} figures. Handling mark: {info.marking}. Download: ",
                    html.A("CSV", href=links.dataset_api(info.name, "csv"), **how),
                    " · ",
                    html.A("JSON", href=links.dataset_api(info.name, "json"), **how),
                    " · ",
                    html.A("CSVW metadata", href=links.dataset_metadata(info.name)),
                    " (the columns, their types and the publication, for CSV readers)",
                ]
            ),
            rows_table(frame, caption=f"{info.title}: every figure with its source", publications=store.publications),
        ]
    )


def structured_data(path: str, base_url: str, licence_url: str = "") -> str:
    """The schema.org ``Dataset`` description of the dataset page at ``path``, as a JSON-LD script
    element for the page's head (so that it is in the HTML itself, not only drawn by the browser);
    '' for any other address."""
    import json

    prefix = links.dataset_page("").split("?")[0]
    if not path.startswith(prefix):
        return ""
    store = get_store()
    info = store.catalogue.get(path[len(prefix) :].strip("/"))
    if info is None:
        return ""
    base = base_url.rstrip("/")
    described = dataset_jsonld(
        store,
        info,
        page_url=base + links.dataset_page(info.name),
        csv_url=base + links.dataset_api(info.name, "csv"),
        licence_url=licence_url,
    )
    text = json.dumps(described, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'
