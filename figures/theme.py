"""One Plotly template for the whole app: plain, readable, colour-blind-safe (Okabe–Ito)."""

from __future__ import annotations

import plotly.graph_objects as go

#: Okabe–Ito palette (safe for the common colour-vision deficiencies), strongest first.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Two periods: the earlier lighter, the latest strong.
PERIOD_COLOURS = ("#56B4E9", "#0072B2")
OUTLINE = "#1b2a41"  # dark outline on every mark keeps 3:1 contrast with the background
TEXT = "#1b1b1b"
GRID = "#d9d9d9"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=15, color=TEXT),
        colorway=list(OKABE_ITO),
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
        # Marks drawn in black (the palette's last colour) or with dark edges would vanish on black.
        for trace in out.data:
            marker = getattr(trace, "marker", None)
            if marker is not None and isinstance(marker.color, str) and marker.color.lower() in ("#000000", "black"):
                marker.color = PRESENT_TEXT
            line = getattr(trace, "line", None)
            if line is not None and isinstance(line.color, str) and line.color.lower() in ("#000000", "black"):
                line.color = PRESENT_TEXT
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
