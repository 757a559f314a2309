"""Shown for any address that is not a page."""

from __future__ import annotations

import dash
from dash import html

from components.page import not_to_be_kept, safe_layout

dash.register_page(__name__, path="/404", name="Not found", title="Page not found – SPR Board Dashboard", nav=False)


@safe_layout
def layout(**_query: str) -> html.Div:
    not_to_be_kept()  # any address can reach here: keeping each would let a client fill the cache
    return html.Div(
        [
            html.H1("Page not found"),
            html.P(
                [
                    "That address is not a page of this dashboard. ",
                    html.A("Go to the datasets", href="/"),
                    ".",
                ]
            ),
        ]
    )
