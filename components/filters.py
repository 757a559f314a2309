"""The filter bar (period, strand, force) and the callback that writes it into the URL.

The URL query string is the only filter state: pages render from it, so a copied link,
reload, back and forward all show the same view, and no state lives on the server.
Choosing an option changes nothing until "Apply" is pressed (WCAG 3.2.2, on input), so a
keyboard user can step through the options; "Clear" returns to everything.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from data.queries import FilterOptions, Filters
from sections import links

PERIOD_ID = "filter-period"
STRAND_ID = "filter-strand"
FORCE_ID = "filter-force"
APPLY_ID = "filter-apply"
CLEAR_ID = "filter-clear"
#: The Location the filters write to (rendered once, in the shell).
URL_ID = "filter-url"


def url_location() -> dcc.Location:
    return dcc.Location(id=URL_ID, refresh="callback-nav")


def _select(id_: str, label: str, options: list[tuple[str, str]], value: str, unavailable=frozenset()) -> dbc.Col:
    """A native select; options the page has no figures for are greyed out (and say so in their label)."""
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_, className="fw-semibold mb-1"),
            dbc.Select(
                id=id_,
                options=[{"label": text, "value": val, "disabled": val in unavailable} for val, text in options],
                value=value,
            ),
        ],
        xs=12,
        md=3,
        className="filter-field",
    )


def filter_bar(options: FilterOptions, filters: Filters) -> html.Form:
    """Three labelled native selects and the buttons that apply or clear them."""
    return html.Form(
        dbc.Row(
            [
                _select(PERIOD_ID, "Period", options.periods, filters.period),
                _select(
                    STRAND_ID,
                    "Strand",
                    options.strands,
                    filters.strand,
                    options.unavailable,
                ),
                _select(FORCE_ID, "Force or area", options.forces, filters.force, options.unavailable),
                dbc.Col(
                    [
                        html.Button("Apply filters", id=APPLY_ID, type="button", className="btn btn-dark me-2"),
                        html.Button("Clear", id=CLEAR_ID, type="button", className="btn btn-outline-dark"),
                    ],
                    xs=12,
                    md=3,
                    className="d-flex align-items-end",
                ),
            ],
            className="g-3",
        ),
        className="filter-bar",
        role="search",
        **{"aria-label": "Filter the figures on this page"},
    )


@callback(
    Output(URL_ID, "search", allow_duplicate=True),
    Input(APPLY_ID, "n_clicks"),
    State(PERIOD_ID, "value"),
    State(STRAND_ID, "value"),
    State(FORCE_ID, "value"),
    State(URL_ID, "search"),
    prevent_initial_call=True,
)
def filters_to_url(
    clicks: int | None, period: str | None, strand: str | None, force: str | None, search: str | None = None
) -> str:
    """The query string for the chosen filters (a pinned version or a draft stays pinned)."""
    if not clicks:  # the button was just drawn, not pressed (Dash calls back for new components)
        raise PreventUpdate
    chosen = Filters.from_query({"period": period, "strand": strand, "force": force}).to_search()
    return links.with_pin(chosen, links.pin_of(search))


@callback(
    Output(URL_ID, "search", allow_duplicate=True),
    Input(CLEAR_ID, "n_clicks"),
    State(URL_ID, "search"),
    prevent_initial_call=True,
)
def clear_filters(clicks: int | None, search: str | None = None) -> str:
    """No filters (a pinned version or a draft stays pinned)."""
    if not clicks:
        raise PreventUpdate
    return links.with_pin("", links.pin_of(search))
