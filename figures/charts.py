"""Chart builders. Each takes a tidy frame (``data.schema.FRAME_COLUMNS``) and returns a figure.

Values are labelled on the bars in words that keep their qualifier ('more than 360').
An empty frame gives a figure that says so in words, with no axes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from data.formatting import format_value
from data.queries import ordered_periods
from figures.theme import OKABE_ITO, OUTLINE, PERIOD_COLOURS, new_figure

#: Open markers for figures the source gives only as a bound ("over 7,300", "nearly 2,000").
_QUALIFIER_SYMBOLS = {
    "more than": "triangle-up-open",
    "at least": "triangle-up-open",
    "nearly": "triangle-down-open",
    "approximately": "diamond-open",
}


def label_room(labels: Sequence[str]) -> int:
    """Pixels to the right of a bar chart for its longest outside label (about 9 px a character)."""
    return 20 + 9 * max((len(t) for t in labels if t), default=0)


def wrap_label(text: str, width: int = 16) -> str:
    """A long category name over two or three lines (<br>), so narrow screens keep room for the bars."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) if len(text) > width else text


def empty_figure(message: str, height: int = 160) -> go.Figure:
    """A figure with no data: the message in words, no axes."""
    fig = new_figure(height)
    fig.update_layout(
        xaxis=dict(visible=False),
        yaxis=dict(visible=False),
        annotations=[dict(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")],
    )
    return fig


def _labels(rows: pd.DataFrame) -> list[str]:
    return [
        format_value(v, str(u), str(q), t)
        for v, u, q, t in zip(rows["value"], rows["unit"], rows["qualifier"], rows["value_text"], strict=True)
    ]


def period_bars(
    rows: pd.DataFrame,
    category: str = "measure",
    order: Sequence[str] | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """Grouped bars: one group per ``category`` value, one bar per period (time order).

    Not-stated values are left out of the bars (the table shows them as 'Not stated').
    """
    if rows["value"].isna().all():
        return empty_figure("No figures for this selection.")
    fig = new_figure()
    periods = ordered_periods(rows)
    colours = PERIOD_COLOURS if len(periods) == 2 else OKABE_ITO
    cats = list(order) if order else list(dict.fromkeys(rows[category].astype(str)))
    for i, period in enumerate(periods):
        sub = rows[rows["period"] == period].set_index(rows[rows["period"] == period][category].astype(str))
        sub = sub.reindex([c for c in cats if c in sub.index])
        sub = sub[sub["value"].notna()]
        kwargs = dict(
            name=period,
            text=_labels(sub),
            textposition="outside",
            cliponaxis=False,
            marker=dict(color=colours[i % len(colours)], line=dict(color=OUTLINE, width=1)),
            hovertemplate="%{text}<extra>" + period + "</extra>",
        )
        if horizontal:
            fig.add_trace(go.Bar(x=sub["value"], y=list(sub.index), orientation="h", **kwargs))
        else:
            fig.add_trace(go.Bar(x=list(sub.index), y=sub["value"], **kwargs))
    fig.update_layout(barmode="group", showlegend=len(periods) > 1)
    if horizontal:
        fig.update_yaxes(categoryorder="array", categoryarray=cats[::-1])
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True)
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def category_bars(
    rows: pd.DataFrame,
    label: str = "breakdown",
    horizontal: bool = True,
    colour: str = OKABE_ITO[0],
) -> go.Figure:
    """One bar per row, labelled by ``label``; for splits such as handles or caseload phases."""
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return empty_figure("No figures for this selection.")
    fig = new_figure(height=max(220, 60 * len(rows) + 80) if horizontal else 360)
    names = [wrap_label(n) for n in rows[label].astype(str)] if horizontal else rows[label].astype(str).tolist()
    common = dict(
        text=_labels(rows),
        textposition="outside",
        cliponaxis=False,
        marker=dict(color=colour, line=dict(color=OUTLINE, width=1)),
        hovertemplate="%{text}<extra></extra>",
        showlegend=False,
    )
    if horizontal:
        fig.add_trace(go.Bar(x=rows["value"], y=names, orientation="h", **common))
        fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
        # Room after the longest bar for its label ("more than 360"), whatever the screen width.
        fig.update_xaxes(showticklabels=False, showgrid=False, range=[0, float(rows["value"].max()) * 1.05])
        fig.update_layout(margin=dict(r=label_room(_labels(rows))))
    else:
        fig.add_trace(go.Bar(x=names, y=rows["value"], **common))
        fig.update_yaxes(rangemode="tozero")
    return fig


def stacked_bars(
    rows: pd.DataFrame,
    parts: Sequence[str],
    total: str = "Total",
    category: str = "measure",
    as_share: bool = False,
) -> go.Figure:
    """Horizontal bars per ``category``, stacked from the ``parts``, the total written at the end.

    A part that is not stated is left out of the bar; its absence is said in the hover text.
    With ``as_share`` each bar is drawn as a share of its total (so measures in different units
    sit side by side) while the labels keep the real figures.
    """
    if rows["value"].isna().all():
        return empty_figure("No figures for this selection.")
    cats = list(dict.fromkeys(rows[category].astype(str)))
    fig = new_figure(height=max(240, 56 * len(cats) + 100))
    shown = [wrap_label(c) for c in cats]
    totals = rows[rows["breakdown"] == total].set_index(category).reindex(cats)
    scale = 100 / totals["value"] if as_share else 1
    for i, part in enumerate(parts):
        sub = rows[rows["breakdown"] == part].set_index(category).reindex(cats)
        labels = [
            format_value(v, str(u), str(q)) if isinstance(u, str) else "Not stated"
            for v, u, q in zip(sub["value"], sub["unit"], sub["qualifier"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=shown,
                x=(sub["value"] * scale).fillna(0),
                name=part,
                orientation="h",
                text=[lab if v == v and v > 0 else "" for lab, v in zip(labels, sub["value"], strict=True)],
                textposition="inside",
                insidetextanchor="middle",
                customdata=labels,
                marker=dict(color=OKABE_ITO[i % len(OKABE_ITO)], line=dict(color=OUTLINE, width=1)),
                hovertemplate=f"{part}: %{{customdata}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=shown,
            x=totals["value"] * scale,
            mode="text",
            text=[
                f"  Total {format_value(v, str(u), str(q))}" if v == v else ""
                for v, u, q in zip(totals["value"], totals["unit"], totals["qualifier"], strict=True)
            ],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=shown[::-1])
    # The totals are written after the bars: leave room for them in pixels, so narrow screens keep them.
    # Labels that do not fit inside their segment are hidden (the figures are in the table and the hover).
    fig.update_layout(
        margin=dict(r=label_room(fig.data[-1].text)),
        legend=dict(traceorder="normal"),
        uniformtext=dict(minsize=11, mode="hide"),
    )
    if as_share:
        fig.update_xaxes(
            range=[0, 100.5], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", title_text="Share of the total"
        )
    else:
        fig.update_xaxes(showgrid=True, rangemode="tozero")
    return fig


def trend_lines(
    rows: pd.DataFrame,
    series: str = "breakdown",
    breaks: pd.DataFrame | None = None,
    periods: Sequence[str] | None = None,
) -> go.Figure:
    """Lines over periods (x in time order), one per ``series`` value.

    ``periods`` fixes the axis (so a year with no figure shows as a gap); by default it is the
    periods in ``rows``. A line is not drawn across a row marked as a series break: the figures
    either side are not comparable. Lower bounds and near values get open markers.
    ``breaks`` (rows with a period and a name) are drawn as dashed vertical lines.
    """
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return empty_figure("No figures for this selection.")
    present = set(rows["period"])
    periods = (
        [p for p in periods if p in present or _between(p, periods, present)] if periods else ordered_periods(rows)
    )
    fig = new_figure(height=400)
    for i, (name, sub) in enumerate(rows.groupby(rows[series].astype(str), sort=False)):
        sub = sub.set_index("period").reindex(periods)
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        # Segments: a new one starts at each series break, so no line joins figures counted differently.
        starts = [k for k, flag in enumerate(sub["series_break"].fillna("")) if flag == "yes" and k > 0]
        bounds = [0, *starts, len(periods)]
        for j, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            seg = sub.iloc[lo:hi]
            fig.add_trace(
                go.Scatter(
                    x=list(seg.index),
                    y=seg["value"],
                    name=name,
                    legendgroup=name,
                    showlegend=j == 0,
                    mode="lines+markers",
                    line=dict(color=colour, width=3),
                    marker=dict(
                        size=11,
                        symbol=[_QUALIFIER_SYMBOLS.get(str(q), "circle") for q in seg["qualifier"].fillna("exact")],
                        color=colour,
                        line=dict(color=colour if j else OUTLINE, width=2 if j else 1),
                    ),
                    text=[
                        format_value(v, str(u), str(q)) if v == v else ""
                        for v, u, q in zip(seg["value"], seg["unit"], seg["qualifier"], strict=True)
                    ],
                    connectgaps=False,
                    hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
                )
            )
    if breaks is not None and not breaks.empty:
        shown = breaks[breaks["period"].isin(periods)]
        for k, (period, group) in enumerate(shown.groupby("period", sort=False)):
            x = periods.index(period) - 0.5
            fig.add_vline(x=x, line=dict(color=OUTLINE, dash="dash", width=1))
            fig.add_annotation(
                x=x,
                y=1.0 + 0.07 * (k % 2),
                yref="paper",
                text=" / ".join(dict.fromkeys(group["measure"].astype(str))),
                showarrow=False,
                xanchor="right" if x > len(periods) / 2 else "left",
                yanchor="bottom",
                font=dict(size=12),
            )
        fig.update_layout(margin=dict(t=70), legend=dict(y=1.18))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(showlegend=rows[series].nunique() > 1)
    return fig


def _between(period: str, periods: Sequence[str], present: set[str]) -> bool:
    """Whether ``period`` lies between the first and last periods that have figures."""
    idx = [k for k, p in enumerate(periods) if p in present]
    return bool(idx) and idx[0] <= list(periods).index(period) <= idx[-1]


def timeline(rows: pd.DataFrame) -> go.Figure:
    """Dated events on a time axis; labels are the measures.

    An event dated to a day or a month is a point. One the source dates only loosely (a season,
    a year, "since the start of 2020") is a bar across the whole span, so it is not pinned to a
    day it did not happen on; an open-ended span runs to the chart's last date.
    """
    rows = rows[rows["period_start"].notna()].sort_values(["period_start", "period_end"])
    if rows.empty:
        return empty_figure("No dated events for this selection.")
    fig = new_figure(height=max(260, 44 * len(rows) + 80))
    names = rows["measure"].astype(str).tolist()
    # An open-ended period ("since the start of 2020") is a point at its start: no end is known.
    ends = rows["period_end"].fillna(rows["period_start"])
    span = ends - rows["period_start"]
    loose = span > pd.Timedelta(days=31)
    hover = [
        t or format_value(v, str(u), str(q))
        for t, v, u, q in zip(rows["value_text"], rows["value"], rows["unit"], rows["qualifier"], strict=True)
    ]
    seg_x: list = []
    seg_y: list = []
    for start, end, name, is_loose in zip(rows["period_start"], ends, names, loose, strict=True):
        if is_loose:
            seg_x += [start, end, None]
            seg_y += [name, name, None]
    if seg_x:
        fig.add_trace(
            go.Scatter(
                x=seg_x,
                y=seg_y,
                mode="lines",
                line=dict(color=OKABE_ITO[4], width=10),
                hoverinfo="skip",
                name="Loosely dated",
            )
        )
    exact = rows[~loose]
    if not exact.empty:
        fig.add_trace(
            go.Scatter(
                x=exact["period_start"],
                y=exact["measure"].astype(str),
                mode="markers",
                marker=dict(size=14, color=OKABE_ITO[0], line=dict(color=OUTLINE, width=1)),
                name="Dated to the month",
                showlegend=bool(seg_x),
            )
        )
    # Hover text for every event, on an invisible layer at the start of each.
    fig.add_trace(
        go.Scatter(
            x=rows["period_start"],
            y=names,
            mode="markers",
            marker=dict(size=14, opacity=0),
            customdata=rows[["period"]].to_numpy(),
            text=hover,
            hovertemplate="%{customdata[0]}: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(dict.fromkeys(names))[::-1], showgrid=True)
    fig.update_xaxes(showgrid=True, tickformat="%b %Y", dtick="M3")
    fig.update_layout(legend=dict(y=-0.12, yanchor="top", x=0), margin=dict(b=60))
    return fig
