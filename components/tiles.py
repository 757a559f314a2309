"""Headline tiles: a figure, its earlier value, the change in words, and a caveat marker.

The tiles of a row sit in a grid as wide as its card allows (six across a wide page), so a strip of
headline figures fits the first screen. A tile's caveat is marked on the tile and given in full in the
caveats under its card (``tile_caveats``), so a long caveat never stretches the strip."""

from __future__ import annotations

from dash import html

from figures.chart import Tile

#: The tile's line that points to its caveat under the card.
TILE_CAVEAT_CLASS = "tile-caveat"


def tile_caveats(tiles: list[Tile] | tuple[Tile, ...]) -> list[str]:
    """Each tile's caveat, named by its tile, for the caveats under the card."""
    return [f"{t.label}: {t.caveat}" for t in tiles if t.caveat]


def tile(t: Tile, caveats_id: str = "") -> html.Div:
    """One headline figure. ``caveats_id`` is where the card lists the caveats (the tile links to it)."""
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
        marker = [html.Span("⚠ ", **{"aria-hidden": "true"}), "Caveat below"]
        body.append(
            html.P(
                html.A(marker, href=f"#{caveats_id}") if caveats_id else [marker[0], f"Caveat: {t.caveat}"],
                className=f"{TILE_CAVEAT_CLASS} small",
            )
        )
    if t.href:
        body.append(
            html.A(
                "See the details",
                href=t.href,
                className="small",
                **{"aria-label": f"See the details of {t.label.lower()}"},
            )
        )
    return html.Div(body, className="tile")


def tile_row(tiles: list[Tile], caveats_id: str = "") -> html.Div:
    """The tiles in reading order, as many across as fit (at least 10.5rem each)."""
    return html.Div([tile(t, caveats_id) for t in tiles], className="tile-section")
