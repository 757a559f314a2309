"""Headline tiles: a figure, its earlier value, the change in words, and a caveat marker."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    period: str
    previous: str = ""
    change: str = ""
    direction: str = "none"  # up, down, same or none
    caveat: str = ""
    source: str = ""
    href: str = ""


@dataclass(frozen=True)
class Headline:
    """Which rows make a tile: a dataset and column=value pairs; the page it links to.

    (Defined here, not in a page module: Dash imports pages without registering them,
    which dataclasses need.)
    """

    label: str
    dataset: str
    where: tuple[tuple[str, str], ...]
    href: str


def tile(t: Tile) -> dbc.Col:
    body = [
        html.H3(t.label, className="tile-label"),
        html.P(t.value, className="tile-value"),
        html.P(t.period, className="tile-period small"),
    ]
    if t.previous:
        body.append(html.P(f"Year before: {t.previous}", className="tile-previous small"))
    if t.change:
        body.append(html.P(t.change, className=f"tile-change tile-{t.direction} small"))
    if t.caveat:
        body.append(
            html.P(
                [html.Span("⚠ Caveat: ", className="fw-semibold"), t.caveat],
                className="tile-caveat small",
            )
        )
    if t.source:
        body.append(html.P(t.source, className="tile-source small"))
    if t.href:
        body.append(
            html.A(
                "See the details",
                href=t.href,
                className="small",
                **{"aria-label": f"See the details of {t.label.lower()}"},
            )
        )
    return dbc.Col(html.Div(body, className="tile"), xs=12, sm=6, lg=3)


def tile_grid(tiles: list[Tile], heading: str, heading_id: str) -> html.Section:
    return html.Section(
        [
            html.H2(heading, id=heading_id, className="h4"),
            dbc.Row([tile(t) for t in tiles], className="g-3"),
        ],
        className="tile-section",
        **{"aria-labelledby": heading_id},
    )
