"""What a chart is in an office suite's own terms: its bars or lines as chart data, its facts as table rows.

``native_chart`` reads a figure drawn by ``figures.charts`` (its traces, order, colours and labels) and
gives the same chart as data a PowerPoint chart is made from, or None where the chart has no native
form (a timeline on a date axis, a table): the pack then keeps a picture with its finding as alt text.
``fact_rows`` gives what a chart's fact table holds, with the force or area and a real source per row.
No python-pptx here: ``exports.slides`` places these on slides.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from data.formatting import format_value
from figures.chart import Chart


@dataclass(frozen=True)
class NativeSeries:
    name: str
    #: One per category; None where the series has no figure there (a gap, never zero).
    values: tuple[float | None, ...]
    #: The figure in words, as the page labels it ("more than 360"); '' for no label.
    labels: tuple[str, ...]
    colour: str
    #: Worked out by the dashboard (hatched in the pack, as on the page).
    derived: tuple[bool, ...]
    #: Points only, no line joining them (figures worked out, or one of a line's segments).
    markers_only: bool = False
    #: A colour for each category where the bars differ (an area highlighted among others); else empty.
    point_colours: tuple[str, ...] = ()


@dataclass(frozen=True)
class NativeChart:
    """``kind``: 'bar' (horizontal), 'column' or 'line'; categories in reading order (top or left first)."""

    kind: str
    stacked: bool
    categories: tuple[str, ...]
    series: tuple[NativeSeries, ...]
    value_title: str = ""
    #: Excel-style number format of the value axis ('#,##0' or '#,##0.0').
    number_format: str = "#,##0"
    #: Largest and smallest values drawn, for the axis's range and the room after a labelled bar.
    largest: float = 0.0
    smallest: float = 0.0


def _plain(label: object) -> str:
    """A chart label without Plotly's markup (line breaks, bold)."""
    text = str(label).replace("<br>", " ").replace("<b>", "").replace("</b>", "")
    return " ".join(text.split())


def _as_list(values: object) -> list:
    return [] if values is None else list(values)


def _number(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _colour(trace) -> str:
    marker = getattr(trace, "marker", None)
    colour = getattr(marker, "color", None) if marker is not None else None
    if isinstance(colour, str):
        return colour
    if colour is not None and len(colour) and all(isinstance(c, str) for c in colour):
        return max(set(colour), key=list(colour).count)  # the bars' usual colour (the others are highlights)
    line = getattr(trace, "line", None)
    colour = getattr(line, "color", None) if line is not None else None
    return colour if isinstance(colour, str) else "#0072B2"


def _derived(trace, n: int) -> tuple[bool, ...]:
    pattern = getattr(getattr(trace, "marker", None), "pattern", None)
    shapes = getattr(pattern, "shape", None) if pattern is not None else None
    if isinstance(shapes, (list, tuple)):
        return tuple(bool(s) for s in shapes) + (False,) * (n - len(shapes))
    return (False,) * n


def _format(values: Sequence[float]) -> str:
    decimals = 0
    for v in values:
        text = f"{v:.2f}".rstrip("0").rstrip(".")
        decimals = max(decimals, len(text.partition(".")[2]))
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def native_chart(fig: go.Figure | None) -> NativeChart | None:
    """The figure as native chart data, or None when it has no native form."""
    if fig is None or not fig.data:
        return None
    types = {t.type for t in fig.data}
    if types <= {"bar", "scatter"} and "bar" in types:
        return _bars(fig)
    if types == {"scatter"}:
        return _lines(fig)
    return None


def _bars(fig: go.Figure) -> NativeChart | None:
    bars = [t for t in fig.data if t.type == "bar"]
    horizontal = all(t.orientation == "h" for t in bars)
    if not horizontal and any(t.orientation == "h" for t in bars):
        return None
    cat_of = (lambda t: _as_list(t.y)) if horizontal else (lambda t: _as_list(t.x))
    val_of = (lambda t: _as_list(t.x)) if horizontal else (lambda t: _as_list(t.y))
    seen = [c for t in bars for c in cat_of(t)]
    axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    order = _as_list(axis.categoryarray)
    if order and horizontal:
        order = order[::-1]  # plotly lists a horizontal chart's categories bottom first
    cats = [c for c in order if c in seen] + [c for c in dict.fromkeys(seen) if c not in order]
    # Totals written after a stacked bar (a text-only trace) join their bar's name.
    totals: dict = {}
    for t in fig.data:
        if t.type == "scatter" and t.mode == "text":
            for c, text in zip(cat_of(t), _as_list(t.text), strict=False):
                if str(text).strip():
                    totals[c] = str(text).strip()
    series = []
    for t in bars:
        values = dict(zip(cat_of(t), val_of(t), strict=False))
        texts = _as_list(t.text) or [""] * len(cat_of(t))
        labels = dict(zip(cat_of(t), texts, strict=False))
        custom = _as_list(t.customdata)
        # A stacked segment too small for its label keeps the figure in its data (customdata).
        full = dict(zip(cat_of(t), custom, strict=False)) if custom else {}
        derived = dict(zip(cat_of(t), _derived(t, len(cat_of(t))), strict=False))
        vals = tuple(_number(values.get(c)) for c in cats)
        marker_colours = getattr(getattr(t, "marker", None), "color", None)
        per_bar = (
            dict(zip(cat_of(t), marker_colours, strict=False))
            if marker_colours is not None and not isinstance(marker_colours, str)
            else {}
        )
        series.append(
            NativeSeries(
                name=_plain(t.name) if t.name else "",
                # A part drawn as 0 because it is not stated is a gap, not a zero.
                values=tuple(
                    None if v is None or (v == 0 and str(full.get(c, "")) == "Not stated") else v
                    for v, c in zip(vals, cats, strict=True)
                ),
                labels=tuple(_plain(labels.get(c, "") or full.get(c, "")) for c in cats),
                colour=_colour(t),
                derived=tuple(derived.get(c, False) for c in cats),
                point_colours=tuple(str(per_bar.get(c, _colour(t))) for c in cats) if per_bar else (),
            )
        )
    drawn = [v for s in series for v in s.values if v is not None]
    if not drawn:
        return None
    names = tuple(_plain(c) + (f" ({totals[c].lower()})" if c in totals else "") for c in cats)
    value_axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    title = _plain(value_axis.title.text) if value_axis.title and value_axis.title.text else ""
    # "relative": one bar per category (a figure over time, its bars named by period), drawn centred.
    stacked = fig.layout.barmode in ("stack", "relative")
    return NativeChart(
        kind="bar" if horizontal else "column",
        stacked=stacked,
        categories=names,
        series=tuple(series),
        value_title=title,
        number_format=_format(drawn),
        largest=max(drawn),
        smallest=min(drawn),
    )


def _evenly_spaced_labels(fig: go.Figure) -> dict | None:
    """A date axis whose ticks are evenly spaced in time (years, say) as {date: label}: a native line
    chart's even categories then show the same spacing. None when the dates are uneven."""
    axis = fig.layout.xaxis
    vals, texts = _as_list(axis.tickvals), _as_list(axis.ticktext)
    if not vals or len(vals) != len(texts):
        return None
    when = [pd.Timestamp(v) for v in vals]
    gaps = [(b - a).days for a, b in itertools.pairwise(sorted(when))]
    if not gaps or min(gaps) <= 0 or max(gaps) > min(gaps) * 1.07:
        return None
    return {w: _plain(str(t)) for w, t in zip(when, texts, strict=True)}


def _lines(fig: go.Figure) -> NativeChart | None:
    traces = [t for t in fig.data if t.x is not None and len(t.x)]
    if not traces:
        return None
    order = _as_list(fig.layout.xaxis.categoryarray)
    if any(not isinstance(x, str) for t in traces for x in t.x):
        # A date axis. Evenly spaced dates keep their spacing as categories; uneven ones (report dates, a
        # timeline's spans) have no native form that keeps it, so the chart stays a picture.
        labels = _evenly_spaced_labels(fig)
        if labels is None:
            return None
        try:
            traces = [t.update(x=[labels[pd.Timestamp(x)] for x in t.x]) for t in (go.Scatter(t) for t in traces)]
        except KeyError:
            return None
        order = list(labels[k] for k in sorted(labels))
    seen = [x for t in traces for x in t.x]
    cats = [c for c in order if c in seen] + [c for c in dict.fromkeys(seen) if c not in order]
    series: list[NativeSeries] = []
    for t in traces:
        if t.hoverinfo == "skip" or (t.marker is not None and t.marker.opacity == 0):
            continue
        values = dict(zip(t.x, _as_list(t.y), strict=False))
        labels = dict(zip(t.x, _as_list(t.text), strict=False))
        name = _plain(t.name or "")
        # A line broken at a change in how it was counted is its segments: later ones are named so.
        earlier = sum(1 for s in series if s.name == name or s.name.startswith(name + " (after"))
        mode = t.mode or "lines"
        series.append(
            NativeSeries(
                name=name if not earlier else f"{name} (after a change in counting)",
                values=tuple(_number(values.get(c)) for c in cats),
                labels=tuple(_plain(labels.get(c, "")) for c in cats),
                colour=_colour(t),
                derived=(mode == "markers" and "worked out" in name.lower(),) * len(cats),
                markers_only="lines" not in mode,
            )
        )
    drawn = [v for s in series for v in s.values if v is not None]
    if not drawn:
        return None
    title = _plain(fig.layout.yaxis.title.text) if fig.layout.yaxis.title and fig.layout.yaxis.title.text else ""
    return NativeChart(
        kind="line",
        stacked=False,
        categories=tuple(_plain(c) for c in cats),
        series=tuple(series),
        value_title=title,
        number_format=_format(drawn),
        largest=max(drawn),
        smallest=min(drawn),
    )


#: The columns of a fact table, in the pack and the PDF.
FACT_COLUMNS = ("What", "Figure", "Period", "Force or area", "Source")


def row_source(source: str, publication: str, publications: dict) -> str:
    """A row's source in words: 'SPR update to the board, January 2021, para 88', or the publisher and
    title of a public release ('Home Office: Individuals referred to Prevent')."""
    pub = publications.get(publication)
    if not source.startswith(("http://", "https://")):
        return f"{pub.name}, {source}" if pub is not None else source
    if pub is None:
        return source
    return pub.short_title if pub.publisher in pub.short_title else f"{pub.publisher}: {pub.short_title}"


def fact_rows(chart: Chart, publications: dict) -> list[tuple[str, str, str, str, str]]:
    """(what, figure, period, force or area, source) for each line of the chart's table: its tiles and
    points where it is a summary, else its rows."""
    if chart.tiles or chart.points:
        out = [
            (
                t.label,
                t.value + (f" ({t.change})" if t.change else ""),
                t.period,
                "",
                t.source.removeprefix("Source: ").removeprefix("Sources: "),
            )
            for t in chart.tiles
        ]
        return out + [("What changed most", p, "", "", "The dashboard's own calculation") for p in chart.points]
    rows = chart.rows
    return [
        (
            f"{m} ({b})" if b else str(m),
            format_value(v, str(u), str(q), t),
            str(p),
            str(f),
            row_source(str(s), str(pub), publications),
        )
        for m, b, v, u, q, t, p, f, s, pub in zip(
            rows["measure"],
            rows["breakdown"],
            rows["value"],
            rows["unit"],
            rows["qualifier"],
            rows["value_text"],
            rows["period"],
            rows["force"],
            rows["source"],
            rows["publication"],
            strict=True,
        )
    ]
