"""Headline tiles: a figure, its earlier value, the change in words, and a caveat marker."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from figures.chart import Tile


def tile(t: Tile) -> dbc.Col:
    body = [
        html.H3(t.label, className="tile-label"),
        html.P(t.value, className="tile-value"),
        html.P(t.period, className="tile-period small"),
    ]
    if t.previous:
        before = f"{t.previous_period}: {t.previous}" if t.previous_period else f"Period before: {t.previous}"
        body.append(html.P(before, className="tile-previous small"))
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


def tile_row(tiles: list[Tile]) -> dbc.Row:
    return dbc.Row([tile(t) for t in tiles], className="g-3 tile-section")
