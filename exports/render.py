"""Chart images for export: the title, source and caveats are drawn into the image.

Rendering uses kaleido with the machine's Chromium (Debian's ``chromium``; nothing is
downloaded). One Chromium per process is started on first use and reused; every render has a
time limit, so a stuck browser gives a clear error instead of a hung worker.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import logging
import textwrap
import threading
from dataclasses import dataclass

import plotly.graph_objects as go

from data import schema
from data.formatting import sources_of
from data.marking import rows_marking
from exports.native import FACT_COLUMNS, fact_rows
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
_FACT_COLUMN_WIDTHS = (3, 2.6, 1.4, 1.4, 2.4)


def _table_length(chart: Chart) -> int:
    return len(chart.tiles) + len(chart.points) if chart.tiles or chart.points else len(chart.rows)


def facts_figure(chart: Chart, publications: dict, size: ImageSize | None = None) -> go.Figure:
    """A statement chart (or a summary of tiles and points) as a table figure: what, figure, period, force
    or area and source (a real source for each row); a period or area column no row fills is left out."""
    size = size or SLIDE
    fig = new_figure(height=size.height)
    rows = fact_rows(chart, publications)
    keep = [k for k in range(len(FACT_COLUMNS)) if k not in (2, 3) or any(r[k] for r in rows)]
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
    if tabular:
        # A table image grows with its rows, so none is cut off.
        height = max(size.height, round((260 + 34 * _table_length(chart)) * k))
    # No text smaller than the size's body type (stacked labels too small for their segment are hidden).
    if fig.layout.uniformtext and fig.layout.uniformtext.minsize:
        fig.update_layout(uniformtext=dict(minsize=max(fig.layout.uniformtext.minsize, size.body_px)))
    for note in fig.layout.annotations:
        if note.font and note.font.size:
            note.font.size = max(size.body_px, round(note.font.size * k))
    if not annotated:
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
        margin=dict(
            l=round(60 * k),
            r=right,
            t=round(80 * k) + round(size.title_px * 1.3) * title_lines,
            b=round(FOOTER_GAP * k) + line * footer_lines + 20,
        ),
        font=dict(size=size.body_px),
    )
    mark = rows_marking(chart.rows)
    if mark == schema.OFFICIAL_SENSITIVE:
        # The handling mark drawn at the top and bottom of the image, as on the page, in room of its own.
        top, bottom = fig.layout.margin.t, fig.layout.margin.b + round(MARK_ROOM * k)
        fig.update_layout(margin=dict(b=bottom))
        for y, anchor, shift in ((1, "top", top - 8), (0, "bottom", -(bottom - 6))):
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
        xshift=-_tick_label_room(fig, size.body_px),
        yshift=-round(FOOTER_GAP * k),
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font=dict(size=size.footer_px, color=OUTLINE, family=FONT),
    )
    return fig


def _tick_label_room(fig: go.Figure, px: int) -> int:
    """About how wide the category names left of a horizontal chart are drawn, in pixels."""
    names = [str(v) for t in fig.data if getattr(t, "orientation", None) == "h" and t.y is not None for v in t.y]
    if fig.layout.yaxis.type == "category" or names:
        longest = max((len(part) for n in names for part in n.split("<br>")), default=0)
        return round(longest * px * 0.55)
    return 0


#: Room made at the foot of an image for the handling mark of sensitive figures (px).
MARK_ROOM = 28

_lock = threading.Lock()
_started = False
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido")


def _ensure_server() -> None:
    global _started
    with _lock:
        if not _started:
            import kaleido

            kaleido.start_sync_server(n=1, timeout=TIME_LIMIT_SECONDS, mathjax=False, silence_warnings=True)
            atexit.register(_stop_server)
            _started = True


def _stop_server() -> None:
    global _started
    if _started:
        import kaleido

        try:
            kaleido.stop_sync_server(silence_warnings=True)
        finally:
            _started = False


def _render(fig: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
    import kaleido

    _ensure_server()
    return kaleido.calc_fig_sync(fig, opts=dict(format=fmt, width=width, height=height, scale=scale))


def to_image(fig: go.Figure, fmt: str, width: int = WIDTH, height: int = HEIGHT, scale: float | None = None) -> bytes:
    """Render ``fig`` as PNG, SVG or PDF within the time limit; raise ExportError otherwise."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"Images can be PNG, SVG or PDF, not {fmt!r}.")
    scale = scale if scale is not None else (PNG_SCALE if fmt == "png" else 1)
    future = _pool.submit(_render, fig, fmt, width, height, scale)
    try:
        return future.result(timeout=TIME_LIMIT_SECONDS)
    except concurrent.futures.TimeoutError:
        log.error("Image export timed out after %s s", TIME_LIMIT_SECONDS)
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
    return to_image(fig, fmt, width=size.width, height=fig.layout.height or size.height, scale=scale)
