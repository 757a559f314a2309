"""Chart images for export: the title, source and caveats are drawn into the image.

Rendering uses kaleido with the machine's Chromium (Debian's ``chromium``; nothing is
downloaded). One Chromium per process is started on first use and reused (``exports.renderer``);
every render has a time limit, and a browser that hangs or dies is replaced before the next render.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from data import schema
from data.formatting import sources_of
from data.marking import rows_marking
from exports.native import FACT_COLUMNS, fact_rows
from exports.renderer import Renderer, RenderTimeout
from figures.chart import Chart
from figures.theme import FONT, OUTLINE, TEXT, new_figure

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
#: Slide-sized: 16:9 at 1600 x 900 CSS pixels; PNG is drawn at 1.2x (1920 x 1080 pixels).
WIDTH, HEIGHT, PNG_SCALE = 1600, 900, 1.2
TIME_LIMIT_SECONDS = 30
#: Pixels between the plot area and the source line (room for the axis labels).
FOOTER_GAP = 60


@dataclass(frozen=True)
class ImageSize:
    """How big a chart image is drawn and its type. ``SLIDE`` fills a 16:9 slide; ``DOCUMENT`` is placed
    16 cm wide in a report at 300 dpi, where its smallest type (12 CSS px of 600) is 9 pt."""

    name: str
    width: int
    height: int
    png_scale: float
    title_px: int
    body_px: int
    footer_px: int
    title_wrap: int
    footer_wrap: int

    @property
    def factor(self) -> float:
        return self.body_px / 18


SLIDE = ImageSize("slide", WIDTH, HEIGHT, PNG_SCALE, 28, 18, 15, 80, 170)
DOCUMENT = ImageSize("document", 600, 450, 1890 / 600, 16, 12, 12, 58, 84)
IMAGE_SIZES = {s.name: s for s in (SLIDE, DOCUMENT)}


class ExportError(RuntimeError):
    """An export could not be made; the message is fit to show a user."""


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def source_text(chart: Chart, publications: dict, label: bool = True, short: bool = False) -> str:
    """'Source: SPR update to the board, January 2021, para 88' or the public pages' addresses, in one line.

    ``short`` names each public release by its publisher ('Home Office; ITV News') instead of every address.
    """
    sources = sources_of(chart.rows, publications)
    by_site = sources.sites
    parts = sources.paper_texts()
    if short:
        parts += list(sources.publishers)
    else:
        parts += [url for urls in by_site.values() for url in urls]
    prefix = ("Sources: " if len(parts) > 1 else "Source: ") if label else ""
    return prefix + "; ".join(parts)


#: Relative widths of the fact table's columns in an image (What, Figure, Period, Force or area, Source).
_FACT_COLUMN_WIDTHS = (3, 2.2, 1.6, 1.8, 2.4)


def _kept_columns(rows: list[tuple]) -> list[int]:
    """The fact table's columns, leaving out a period or area column no row fills."""
    return [k for k in range(len(FACT_COLUMNS)) if k not in (2, 3) or any(r[k] for r in rows)]


def _table_height(chart: Chart, publications: dict, size: ImageSize, plot_width: int) -> int:
    """The fact table's height in pixels, each row as many lines high as its longest cell wraps to (at
    about 0.55 em a character), so no row is cut off at the bottom of the image."""
    rows = fact_rows(chart, publications)
    keep = _kept_columns(rows)
    weights = [_FACT_COLUMN_WIDTHS[k] for k in keep]
    font = max(size.body_px, round(16 * size.factor))
    line = font * 1.5
    pad = round(14 * size.factor)
    header = round(36 * size.factor) + pad
    total = header
    for r in rows:
        lines = 1
        for k, w in zip(keep, weights, strict=True):
            chars = max(4, int(plot_width * w / sum(weights) / (font * 0.6)) - 2)
            lines = max(lines, len(textwrap.wrap(str(r[k]), chars)) or 1)
        total += max(round(30 * size.factor), round(lines * line + pad))
    return total


def facts_figure(chart: Chart, publications: dict, size: ImageSize | None = None) -> go.Figure:
    """A statement chart (or a summary of tiles and points) as a table figure: what, figure, period, force
    or area and source (a real source for each row); a period or area column no row fills is left out."""
    size = size or SLIDE
    fig = new_figure(height=size.height)
    rows = fact_rows(chart, publications)
    keep = _kept_columns(rows)
    fig.add_trace(
        go.Table(
            columnwidth=[_FACT_COLUMN_WIDTHS[k] for k in keep],
            header=dict(
                values=[FACT_COLUMNS[k] for k in keep],
                fill_color="#1b2a41",
                font=dict(color="#ffffff", size=max(size.body_px, round(18 * size.factor)), family=FONT),
                align="left",
                height=round(36 * size.factor),
            ),
            cells=dict(
                values=[[r[k] for r in rows] for k in keep],
                fill_color="#ffffff",
                line_color="#b1b4b6",
                font=dict(color=TEXT, size=max(size.body_px, round(16 * size.factor)), family=FONT),
                align="left",
                height=round(30 * size.factor),
            ),
        )
    )
    return fig


def export_figure(chart: Chart, publications: dict, annotated: bool = True, size: ImageSize = SLIDE) -> go.Figure:
    """The chart's figure (or its facts as a table) at export ``size``.

    ``annotated``: title, source and caveats drawn into the image (downloads). The board pack
    puts them on the slide as text instead, so its images are plain.
    """
    tabular = chart.figure is None or chart.facts or bool(chart.tiles or chart.points)
    base = facts_figure(chart, publications, size) if tabular else chart.figure
    fig = go.Figure(base)
    k = size.factor
    # Keep any room the chart made for its own outside labels (totals, "more than 360").
    right = max(round(60 * k), round((base.layout.margin.r or 0) * k) + 20)
    height = size.height
    table_height = _table_height(chart, publications, size, size.width - round(60 * k) - right) if tabular else 0
    # No text smaller than the size's body type (stacked labels too small for their segment are hidden).
    if fig.layout.uniformtext and fig.layout.uniformtext.minsize:
        fig.update_layout(uniformtext=dict(minsize=max(fig.layout.uniformtext.minsize, size.body_px)))
    for note in fig.layout.annotations:
        if note.font and note.font.size:
            note.font.size = max(size.body_px, round(note.font.size * k))
    if not annotated:
        if tabular:  # a table image grows with its rows, so none is cut off
            height = max(height, table_height + round(120 * k))
        fig.update_layout(
            width=size.width,
            height=height,
            margin=dict(l=round(60 * k), r=right, t=round(60 * k), b=round(60 * k)),
            font=dict(size=size.body_px),
            title=None,
        )
        return fig
    footer = [_wrap(source_text(chart, publications, short=True), size.footer_wrap)]
    footer += [_wrap(f"Caveat: {c}", size.footer_wrap) for c in chart.caveats]
    if chart.context:
        footer.append("Context from public sources other than the board paper.")
    footer_lines = sum(part.count("<br>") + 1 for part in footer)
    title_lines = _wrap(chart.title, size.title_wrap).count("<br>") + 1
    line = round(size.footer_px * 1.45)
    px = size.body_px
    row = round(px * 1.6)
    # Every piece of text has a band of its own, top to bottom: the title, the legend (as many rows as
    # its names fill), notes drawn above the plot (series breaks), the plot, the axis labels, the footer.
    left = round(60 * k) + _tick_label_room(fig, px)
    plot_width = size.width - left - right
    legend_rows = _legend_rows(fig, plot_width, px)
    above = _notes_above(fig)
    title_band = round(40 * k) + round(size.title_px * 1.3) * title_lines + round(12 * k)
    top = title_band + legend_rows * row + len(above) * row + round(8 * k)
    ticks = _x_tick_band(fig, plot_width, px)
    footer_top = ticks + round(16 * k)
    bottom = footer_top + line * footer_lines + 20
    # A table image grows with its rows, so none is cut off; a plot keeps a readable height, however long
    # the footer, and room for each of its category names.
    plot_min = table_height if tabular else max(round(260 * k), _category_band(fig, px))
    height = max(height, top + bottom + plot_min)
    plot_height = height - top - bottom
    for i, note in enumerate(above):
        note.update(y=1, yref="paper", yanchor="bottom", yshift=4 + row * i)
    fig.update_layout(
        width=size.width,
        height=height,
        title=dict(
            text=_wrap(chart.title, size.title_wrap),
            x=0.01,
            xanchor="left",
            xref="container",
            # Plotly sizes a top-anchored title by its first line only, so the first line sits
            # 40 px down and the rest flow below it, above the legend.
            y=1 - round(40 * k) / height,
            yref="container",
            yanchor="top",
            font=dict(size=size.title_px, family=FONT, color=TEXT),
        ),
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=1 + (len(above) * row + 4) / max(plot_height, 1),
            yanchor="bottom",
            font=dict(size=px),
        ),
        margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=False),
        font=dict(size=px),
    )
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    mark = rows_marking(chart.rows)
    if mark == schema.OFFICIAL_SENSITIVE:
        # The handling mark drawn at the top and bottom of the image, as on the page, in room of its own.
        room = round(MARK_ROOM * k)
        fig.update_layout(margin=dict(t=top + room, b=bottom + room), height=height + 2 * room)
        for y, anchor, shift in ((1, "top", top + room - 8), (0, "bottom", -(bottom + room - 6))):
            fig.add_annotation(
                text=f"<b>{mark}</b>",
                xref="paper",
                yref="paper",
                x=0.5,
                y=y,
                yshift=shift,
                xanchor="center",
                yanchor=anchor,
                showarrow=False,
                font=dict(size=max(size.body_px, round(16 * k)), color="#8a1c1c", family=FONT),
            )
    fig.add_annotation(
        text="<br>".join(footer),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        # From the image's left margin, not the plot's (which long category names push right).
        xshift=-(left - round(20 * k)),
        yshift=-footer_top,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font=dict(size=size.footer_px, color=OUTLINE, family=FONT),
    )
    return fig


def _plain_text(label: object) -> str:
    return str(label).replace("<b>", "").replace("</b>", "")


def _tick_label_room(fig: go.Figure, px: int) -> int:
    """About how wide the labels left of the plot are drawn, in pixels: category names (a horizontal
    chart, a timeline's lanes) at about 0.6 em a character, or the value axis's numbers."""
    categorical = fig.layout.yaxis.type == "category" or bool(fig.layout.yaxis.categoryarray)
    names = [
        _plain_text(v)
        for t in fig.data
        if getattr(t, "y", None) is not None and (getattr(t, "orientation", None) == "h" or categorical)
        for v in t.y
        if isinstance(v, str)
    ]
    if names:
        longest = max((len(part) for n in names for part in n.split("<br>")), default=0)
        return round(longest * px * 0.6) + 10
    if fig.layout.yaxis.showticklabels is False:
        return 0
    values = [
        abs(v)
        for t in fig.data
        if getattr(t, "y", None) is not None
        for v in t.y
        if isinstance(v, int | float) and v == v
    ]
    digits = len(f"{max(values, default=0):,.0f}")
    return round(digits * px * 0.6) + 12


def _legend_rows(fig: go.Figure, width: int, px: int) -> int:
    """How many lines of text the legend fills across ``width`` (0 when there is no legend): its items
    wrap onto rows, and a row is as many lines high as its tallest name."""
    names = list(
        dict.fromkeys(
            _plain_text(t.name)
            for t in fig.data
            if getattr(t, "name", None) and getattr(t, "showlegend", None) is not False
        )
    )
    shown = fig.layout.showlegend
    traces = [t for t in fig.data if getattr(t, "showlegend", None) is not False and t.type != "table"]
    if shown is False or not names or (shown is None and len(traces) < 2):
        return 0
    lines, used, tallest = 0, 0.0, 1
    for name in names:
        parts = name.split("<br>")
        item = max(len(p) for p in parts) * px * 0.6 + 3 * px
        if used and used + item > width:
            lines, used, tallest = lines + tallest, 0.0, 1
        used += item
        tallest = max(tallest, len(parts))
    return lines + tallest


def _category_band(fig: go.Figure, px: int) -> int:
    """The plot height a horizontal chart's category names need, each over its lines, one after another."""
    names = [
        _plain_text(v)
        for t in fig.data
        if getattr(t, "orientation", None) == "h" and getattr(t, "y", None) is not None
        for v in t.y
        if isinstance(v, str)
    ]
    names = list(dict.fromkeys(names))
    return sum(round((n.count("<br>") + 1) * px * 1.35 + px * 0.5) for n in names)


def _notes_above(fig: go.Figure) -> list:
    """The chart's own notes drawn above its plot (series breaks), to be given a band of their own."""
    return [a for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 1]


def _x_tick_band(fig: go.Figure, width: int, px: int) -> int:
    """The height the labels under the plot take; labels too long for their share of the width are
    slanted (and the band made tall enough for them)."""
    axis = fig.layout.xaxis
    if axis.visible is False or axis.showticklabels is False:
        return round(px * 0.8)
    labels = [str(t) for t in (axis.ticktext or ())]
    if not labels:
        labels = [
            str(x)
            for t in fig.data
            if getattr(t, "x", None) is not None and getattr(t, "orientation", None) != "h"
            for x in t.x
            if isinstance(x, str)
        ]
        labels = [x for x in dict.fromkeys(labels) if not x.replace(".", "").replace("-", "").isdigit()]
    title = round(px * 1.8) if axis.title and axis.title.text else 0
    dated = axis.type == "date" or any(
        hasattr(x, "year") for t in fig.data if getattr(t, "x", None) is not None for x in list(t.x)[:1]
    )
    if dated and not axis.ticktext:
        labels = ["Mmm 2020"] * 10  # Plotly's own date ticks: up to about ten, "Jan 2021"
    if not labels:
        return round(px * 1.6) + title
    lines = max(len(x.split("<br>")) for x in labels)
    longest = max(len(part) for x in labels for part in x.split("<br>"))
    if longest * px * 0.6 + 8 > width / len(labels):
        # Upright, so the first label does not run under the value axis's numbers.
        axis.update(tickangle=-90)
        return round(longest * px * 0.62 + px * 1.6) + title
    axis.update(tickangle=0)
    return round(lines * px * 1.35 + px * 0.6) + title


#: Room made at the foot of an image for the handling mark of sensitive figures (px).
MARK_ROOM = 28

#: This process's image browser (started on first use, replaced when it hangs or dies).
RENDERER = Renderer(render_limit=TIME_LIMIT_SECONDS)
atexit.register(RENDERER.stop)


def browser_path() -> str | None:
    """The Chromium that draws images and prints packs (``BROWSER_PATH``, as kaleido reads it, or Debian's)."""
    named = os.environ.get("BROWSER_PATH")
    if named:
        return named
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


#: What a reader is told when the server has no browser to draw images with.
NO_BROWSER = (
    "Chart images cannot be made on this server: it has no browser (Chromium) to draw them. "
    "The figures can still be downloaded as CSV or Excel."
)


def check_renderer() -> bool:
    """Whether images can be drawn here; logs plainly, once at start-up, when they cannot."""
    if browser_path() is None:
        log.error(
            "No Chromium found: chart images and board packs cannot be made until it is installed "
            "(make browser installs Debian's chromium)"
        )
        return False
    return True


def to_image(fig: go.Figure, fmt: str, width: int = WIDTH, height: int = HEIGHT, scale: float | None = None) -> bytes:
    """Render ``fig`` as PNG, SVG or PDF within the time limit; raise ExportError otherwise."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"Images can be PNG, SVG or PDF, not {fmt!r}.")
    if browser_path() is None:  # say so at once, not after the time limit
        log.error("Image export refused: no Chromium on this server (make browser)")
        raise ExportError(NO_BROWSER)
    scale = scale if scale is not None else (PNG_SCALE if fmt == "png" else 1)
    try:
        return RENDERER.render(fig, dict(format=fmt, width=width, height=height, scale=scale))
    except RenderTimeout as err:
        log.error("Image export stopped: %s", err)
        raise ExportError(
            f"The image took longer than {TIME_LIMIT_SECONDS} seconds to draw, so it was stopped. "
            "Please try again; the data itself can still be downloaded as CSV or Excel."
        ) from None
    except ExportError:
        raise
    except Exception as exc:
        log.exception("Image export failed")
        raise ExportError(
            "The image could not be drawn on the server. The data can still be downloaded as CSV or Excel."
        ) from exc


def chart_image(chart: Chart, fmt: str, publications: dict, size: ImageSize = SLIDE) -> bytes:
    fig = export_figure(chart, publications, size=size)
    scale = size.png_scale if fmt == "png" else 1
    data = to_image(fig, fmt, width=size.width, height=fig.layout.height or size.height, scale=scale)
    return with_pdf_title(data, chart.title, rows_marking(chart.rows)) if fmt == "pdf" else data


#: Who a downloaded document says it is from.
PDF_AUTHOR = "SPR Board Dashboard (Strategic Policing and Crime Board)"


def with_pdf_title(data: bytes, title: str, mark: str) -> bytes:
    """The PDF with its finding as its document title (shown by readers in place of a file name), the
    dashboard as author and its handling mark as subject."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.add_metadata({"/Title": title, "/Author": PDF_AUTHOR, "/Subject": f"{mark}: a chart of the dashboard"})
    writer.create_viewer_preferences().display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
