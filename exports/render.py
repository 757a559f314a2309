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

import plotly.graph_objects as go

from data import schema
from data.formatting import format_value, sources_of
from data.marking import rows_marking
from figures.chart import Chart
from figures.theme import FONT, OUTLINE, TEXT, new_figure

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
#: Slide-sized: 16:9 at 1600 x 900 CSS pixels; PNG is drawn at 1.2x (1920 x 1080 pixels).
WIDTH, HEIGHT, PNG_SCALE = 1600, 900, 1.2
TIME_LIMIT_SECONDS = 30
#: Pixels between the plot area and the source line (room for the axis labels).
FOOTER_GAP = 60


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


def _table_columns(chart: Chart) -> tuple[list[str], list[str], list[str], list[str]]:
    """What, figure, period and source columns: of the tiles and points where the chart has them (a
    summary), else of its rows."""
    if chart.tiles or chart.points:
        names = [t.label for t in chart.tiles] + ["What changed most"] * len(chart.points)
        values = [t.value + (f" ({t.change})" if t.change else "") for t in chart.tiles] + list(chart.points)
        periods = [t.period for t in chart.tiles] + [""] * len(chart.points)
        sources = [t.source.removeprefix("Source: ").removeprefix("Sources: ") for t in chart.tiles]
        return names, values, periods, sources + [""] * len(chart.points)
    rows = chart.rows
    values = [
        format_value(v, str(u), str(q), t)
        for v, u, q, t in zip(rows["value"], rows["unit"], rows["qualifier"], rows["value_text"], strict=True)
    ]
    names = [f"{m} ({b})" if b else str(m) for m, b in zip(rows["measure"], rows["breakdown"], strict=True)]
    sources = [s if t == "paper" else "public source" for s, t in zip(rows["source"], rows["source_type"], strict=True)]
    return names, values, list(rows["period"]), sources


def _table_length(chart: Chart) -> int:
    return len(chart.tiles) + len(chart.points) if chart.tiles or chart.points else len(chart.rows)


def facts_figure(chart: Chart) -> go.Figure:
    """A statement chart (or a summary of tiles and points) as a table figure (what, figure, period, source)."""
    fig = new_figure(height=HEIGHT)
    names, values, periods, sources = _table_columns(chart)
    fig.add_trace(
        go.Table(
            columnwidth=[3, 3, 1.4, 1],
            header=dict(
                values=["What", "Figure", "Period", "Source"],
                fill_color="#1b2a41",
                font=dict(color="#ffffff", size=18, family=FONT),
                align="left",
                height=36,
            ),
            cells=dict(
                values=[names, values, periods, sources],
                fill_color="#ffffff",
                line_color="#b1b4b6",
                font=dict(color=TEXT, size=16, family=FONT),
                align="left",
                height=30,
            ),
        )
    )
    return fig


def export_figure(chart: Chart, publications: dict, annotated: bool = True) -> go.Figure:
    """The chart's figure (or its facts as a table) at export size.

    ``annotated``: title, source and caveats drawn into the image (downloads). The board pack
    puts them on the slide as text instead, so its images are plain.
    """
    tabular = chart.figure is None or chart.facts or bool(chart.tiles or chart.points)
    base = facts_figure(chart) if tabular else chart.figure
    fig = go.Figure(base)
    # Keep any room the chart made for its own outside labels (totals, "more than 360").
    right = max(60, (base.layout.margin.r or 0) + 20)
    height = HEIGHT
    if tabular:
        # A table image grows with its rows, so none is cut off.
        height = max(HEIGHT, 260 + 34 * _table_length(chart))
    if not annotated:
        fig.update_layout(
            width=WIDTH, height=height, margin=dict(l=60, r=right, t=60, b=60), font=dict(size=18), title=None
        )
        return fig
    footer = [_wrap(source_text(chart, publications, short=True), 170)]
    footer += [_wrap(f"Caveat: {c}", 170) for c in chart.caveats]
    if chart.context:
        footer.append("Context from public sources other than the board paper.")
    footer_lines = sum(part.count("<br>") + 1 for part in footer)
    title_lines = _wrap(chart.title, 80).count("<br>") + 1
    fig.update_layout(
        width=WIDTH,
        height=height,
        title=dict(
            text=_wrap(chart.title, 80),
            x=0.01,
            xanchor="left",
            xref="container",
            # Plotly sizes a top-anchored title by its first line only, so the first line sits
            # 40 px down and the rest flow below it, above the legend.
            y=1 - 40 / height,
            yref="container",
            yanchor="top",
            font=dict(size=28, family=FONT, color=TEXT),
        ),
        margin=dict(l=60, r=right, t=80 + 36 * title_lines, b=FOOTER_GAP + 22 * footer_lines + 20),
        font=dict(size=18),
    )
    mark = rows_marking(chart.rows)
    if mark == schema.OFFICIAL_SENSITIVE:
        # The handling mark drawn at the top and bottom of the image, as on the page, in room of its own.
        top, bottom = fig.layout.margin.t, fig.layout.margin.b + MARK_ROOM
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
                font=dict(size=16, color="#8a1c1c", family=FONT),
            )
    fig.add_annotation(
        text="<br>".join(footer),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-FOOTER_GAP,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font=dict(size=15, color=OUTLINE, family=FONT),
    )
    return fig


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


def chart_image(chart: Chart, fmt: str, publications: dict) -> bytes:
    fig = export_figure(chart, publications)
    return to_image(fig, fmt, height=fig.layout.height or HEIGHT)
