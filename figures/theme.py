"""One Plotly template for the whole app: plain, readable, and every mark 3:1 against the background and
against the marks beside it (WCAG 1.4.11), for the common colour-vision deficiencies too."""

from __future__ import annotations

import plotly.graph_objects as go

#: Series colours on white, in order: dark and mid tones alternate, so every colour has at least 3:1
#: contrast with white and with the colours before and after it (bars side by side, stacked parts), and
#: the hues (blue, orange, red, green, purple) keep them apart for colour-blind readers too.
PALETTE = (
    "#0B2A55",  # navy
    "#D27600",  # orange
    "#5C0A1E",  # dark red
    "#3A8FD6",  # blue
    "#0A3520",  # dark green
    "#E0600F",  # vermilion
    "#3D1A6E",  # dark purple
    "#00997A",  # green
)
#: The same series on black (meeting mode's dark theme): the dark tones become light tints.
PALETTE_ON_DARK = dict(
    zip(
        PALETTE,
        ("#F2F7FE", "#C97000", "#FDF0F3", "#3A8FD6", "#EDF9F2", "#E0600F", "#F5F0FD", "#00997A"),
        strict=True,
    )
)
#: Two periods: the earlier a mid blue, the latest navy (4.1:1 between them, each over 3:1 on white).
PERIOD_COLOURS = ("#3A8FD6", "#0B2A55")
OUTLINE = "#1b2a41"  # dark outline on every mark keeps 3:1 contrast with the background
TEXT = "#1b1b1b"
GRID = "#d9d9d9"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=15, color=TEXT),
        colorway=list(PALETTE),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=20, t=30, b=10),
        separators=".,",
        hoverlabel=dict(font=dict(family=FONT, size=14)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=dict(text="")),
        xaxis=dict(showgrid=False, linecolor=TEXT, ticks="", automargin=True, title=dict(standoff=8)),
        yaxis=dict(
            gridcolor=GRID,
            zeroline=True,
            zerolinecolor=TEXT,
            automargin=True,
            separatethousands=True,
        ),
        bargap=0.25,
        bargroupgap=0.05,
    )
)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def new_figure(height: int = 360) -> go.Figure:
    """An empty figure on the app template."""
    return go.Figure(layout=go.Layout(template=TEMPLATE, height=height))


#: High-contrast template for meeting mode: white on black, large type.
PRESENT_TEXT = "#ffffff"
PRESENT_BACKGROUND = "#000000"


def for_presenting(fig: go.Figure, light: bool = False) -> go.Figure:
    """A copy of ``fig`` for the projector: large type; white on black, or (``light``, for bright rooms)
    dark on white."""
    out = go.Figure(fig)
    ink, paper = (TEXT, "#ffffff") if light else (PRESENT_TEXT, PRESENT_BACKGROUND)
    grid = GRID if light else "#4d4d4d"
    out.update_layout(
        paper_bgcolor=paper,
        plot_bgcolor=paper,
        font=dict(color=ink, size=20),
        legend=dict(font=dict(size=18, color=ink)),
        height=None,
        autosize=True,
    )
    out.update_xaxes(gridcolor=grid, linecolor=ink, zerolinecolor=ink, tickfont=dict(size=18))
    out.update_yaxes(gridcolor=grid, linecolor=ink, zerolinecolor=ink, tickfont=dict(size=18))
    out.update_traces(textfont=dict(size=18), selector=dict(type="bar"))
    out.update_traces(textfont=dict(size=18, color=ink), selector=dict(type="scatter"))
    if not light:
        out.update_traces(marker_line_color=PRESENT_TEXT, selector=dict(type="bar"))
        # Dark tones, black and dark edges would vanish on black: each takes its light tint.
        for trace in out.data:
            marker = getattr(trace, "marker", None)
            if marker is not None and isinstance(marker.color, str):
                marker.color = _on_dark(marker.color)
            line = getattr(trace, "line", None)
            if line is not None and isinstance(line.color, str):
                line.color = _on_dark(line.color)
            pattern = getattr(marker, "pattern", None) if marker is not None else None
            if pattern is not None and pattern.fgcolor:
                pattern.fgcolor = "#000000"
            if marker is not None and marker.line is not None and marker.line.color == OUTLINE:
                marker.line.color = PRESENT_TEXT
    # The projector is wide: category names go back on one line (wrapped for phones elsewhere).
    for trace in out.data:
        if getattr(trace, "orientation", None) == "h" or trace.type == "scatter":
            ys = getattr(trace, "y", None)
            if ys is not None and len(ys) and isinstance(ys[0], str):
                trace.y = [y.replace("<br>", " ") if isinstance(y, str) else y for y in ys]
    if out.layout.yaxis.categoryarray is not None:
        out.layout.yaxis.categoryarray = [str(c).replace("<br>", " ") for c in out.layout.yaxis.categoryarray]
    for shape in out.layout.shapes:
        shape.line.color = ink
    for note in out.layout.annotations:
        note.font.color = ink
        note.font.size = 16
    return out


def _on_dark(colour: str) -> str:
    if colour.lower() in ("#000000", "black", OUTLINE):
        return PRESENT_TEXT
    return PALETTE_ON_DARK.get(colour, colour)
