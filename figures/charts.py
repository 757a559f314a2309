"""Chart builders. Each takes a tidy frame (``data.schema.FRAME_COLUMNS``) and returns a figure.

Values are labelled on the bars in words that keep their qualifier ('more than 360').
An empty frame gives a figure that says so in words, with no axes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from data import schema
from data.formatting import format_value
from data.queries import ordered_periods
from figures.theme import OUTLINE, PALETTE, PERIOD_COLOURS, luminance, new_figure
from figures.theme import TEXT as TEXT_DARK

#: Open markers for figures the source gives only as a bound ("over 7,300", "nearly 2,000") or roughly.
_QUALIFIER_SYMBOLS = {
    **dict.fromkeys(schema.LOWER_BOUNDS, "triangle-up-open"),
    **dict.fromkeys(schema.UPPER_BOUNDS, "triangle-down-open"),
    **dict.fromkeys(schema.APPROXIMATE, "diamond-open"),
}
#: Figures the dashboard worked out: a hatched bar, an open square point, and a label that says so.
DERIVED_PATTERN = "/"
DERIVED_SYMBOL = "square-open"
DERIVED_LABEL = " (worked out)"
#: Columns that tell apart rows sharing a name, in the order they are added to it.
_DISTINGUISH = ("measure", "breakdown", "strand", "force", "period", "dataset")


def distinct_labels(rows: pd.DataFrame, primary: str, within: Sequence[str] = ()) -> list[str]:
    """A label per row from its ``primary`` column, made unique among rows sharing the ``within`` columns
    (e.g. the period of a grouped bar) by adding the columns that tell them apart: 'Arrested
    (Staffordshire)'. A name that needs telling apart anywhere is told apart everywhere, so one series
    keeps one label in every period. Charts never assume one row per name."""
    base = rows[primary].astype(str).tolist()
    columns = [c for c in _DISTINGUISH if c != primary and c not in within and c in rows]
    groups = rows.groupby(list(within), sort=False, dropna=False).indices if within else {(): range(len(rows))}
    needed: dict[str, list[str]] = {}
    for at in groups.values():
        at = list(at)
        for name in {base[i] for i in at}:
            same = [i for i in at if base[i] == name]
            if len(same) > 1:
                for c in columns:
                    if rows.iloc[same][c].astype(str).nunique() > 1 and c not in needed.setdefault(name, []):
                        needed[name].append(c)
    labels = []
    for i, name in enumerate(base):
        extra = [str(rows.iloc[i][c]) for c in needed.get(name, []) if str(rows.iloc[i][c])]
        labels.append(f"{name} ({', '.join(extra)})" if extra else name)
    # Rows that nothing tells apart (the same figure twice) are numbered within their group.
    seen: dict[tuple, int] = {}
    out = []
    keys = rows[list(within)].astype(str).apply(tuple, axis=1).tolist() if within else [()] * len(rows)
    for key, label in zip(keys, labels, strict=True):
        seen[(key, label)] = seen.get((key, label), 0) + 1
        out.append(label if seen[(key, label)] == 1 else f"{label} ({seen[(key, label)]})")
    return out


def _is_derived(rows: pd.DataFrame) -> list[bool]:
    return [str(d) == "yes" for d in rows["derived"]] if "derived" in rows else [False] * len(rows)


def _bar_marker(colour: str, derived: list[bool]) -> dict:
    """A bar's marker: its colour with a dark edge, hatched where the figure was worked out."""
    marker = dict(color=colour, line=dict(color=OUTLINE, width=1))
    if any(derived):
        # The hatching contrasts with its bar: white on a dark bar, dark on a mid one.
        ink = "#ffffff" if luminance(colour) < 0.1 else OUTLINE
        marker["pattern"] = dict(shape=[DERIVED_PATTERN if d else "" for d in derived], fgcolor=ink, solidity=0.25)
    return marker


#: The legend's words for the marker at the end of a bar whose figure the source gives as a lower bound.
AT_LEAST_NAME = "At least this many<br>(the source says 'over')"


def _at_least_marker(
    values: Sequence, names: Sequence, qualifiers: Sequence, horizontal: bool, group: str | None, legend: bool
) -> go.Scatter | None:
    """A solid arrowhead at the end of each bar whose figure is a lower bound ('over 360'), pointing the
    way the true figure may run; None when there is none. With ``group`` it sits on its bar in a group."""
    at = [i for i, q in enumerate(qualifiers) if str(q) in schema.LOWER_BOUNDS and values[i] == values[i]]
    if not at:
        return None
    ends, cats = [values[i] for i in at], [names[i] for i in at]
    return go.Scatter(
        x=ends if horizontal else cats,
        y=cats if horizontal else ends,
        mode="markers",
        marker=dict(symbol="triangle-right" if horizontal else "triangle-up", size=11, color=OUTLINE),
        name=AT_LEAST_NAME,
        legendgroup="at-least",
        showlegend=legend,
        hoverinfo="skip",
        cliponaxis=False,
        offsetgroup=group,
    )


def label_room(labels: Sequence[str]) -> int:
    """Pixels to the right of a bar chart for its longest outside label (about 9 px a character; a label
    over several lines counts its longest)."""
    return 20 + 9 * max((len(line) for t in labels if t for line in str(t).split("<br>")), default=0)


def wrap_label(text: str, width: int = 16) -> str:
    """A long category name over two or three lines (<br>), so narrow screens keep room for the bars."""
    import textwrap

    if len(text) <= width:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


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
    """Each row's value in words, keeping its qualifier ('over 360'); '(worked out)' where derived."""
    return [
        format_value(v, str(u), str(q), t) + (DERIVED_LABEL if d else "")
        for v, u, q, t, d in zip(
            rows["value"], rows["unit"], rows["qualifier"], rows["value_text"], _is_derived(rows), strict=True
        )
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
    periods = ordered_periods(rows)
    # Horizontal bars take the height their bars need (two bars are not drawn 360 px high).
    fig = new_figure(max(200, 34 * len(rows) + 110) if horizontal else 360)
    colours = PERIOD_COLOURS if len(periods) == 2 else PALETTE
    rows = rows.assign(_label=distinct_labels(rows, category, within=("period",)))
    bounds: list = []
    named = list(dict.fromkeys(rows["_label"]))
    cats = [c for c in order if c in named] + [c for c in named if c not in order] if order else named
    for i, period in enumerate(periods):
        sub = rows[rows["period"] == period].set_index("_label")
        sub = sub.reindex([c for c in cats if c in sub.index])
        sub = sub[sub["value"].notna()]
        kwargs = dict(
            name=period,
            text=_labels(sub),
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            marker=_bar_marker(colours[i % len(colours)], _is_derived(sub)),
            hovertemplate="%{text}<extra>" + period + "</extra>",
        )
        if horizontal:
            names = [wrap_label(c) for c in sub.index]
            fig.add_trace(go.Bar(x=sub["value"], y=names, orientation="h", offsetgroup=str(i), **kwargs))
        elif len(cats) == 1:
            # One figure over time (firearms 41 then 44): its bars are named by their periods, no legend.
            names = [period] * len(sub)
            fig.add_trace(go.Bar(x=names, y=sub["value"], **kwargs))
        else:
            names = list(sub.index)
            fig.add_trace(go.Bar(x=names, y=sub["value"], offsetgroup=str(i), **kwargs))
        bounds.append(
            _at_least_marker(
                list(sub["value"]),
                names,
                list(sub["qualifier"]),
                horizontal,
                None if len(cats) == 1 and not horizontal else str(i),
                legend=not any(bounds),
            )
        )
    for marker in bounds:
        if marker is not None:
            fig.add_trace(marker)
    if any(bounds):
        fig.update_layout(scattermode="group")
    single = len(cats) == 1 and not horizontal
    fig.update_layout(
        barmode="relative" if single else "group", showlegend=(len(periods) > 1 and not single) or any(bounds)
    )
    if not horizontal:
        # Names over two lines rather than slanted, so a half-width chart keeps its height for the bars.
        names = periods if single else cats
        fig.update_xaxes(tickangle=0, tickmode="array", tickvals=names, ticktext=[wrap_label(n, 14) for n in names])
    if horizontal:
        fig.update_yaxes(categoryorder="array", categoryarray=[wrap_label(c) for c in cats[::-1]])
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True)
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def category_bars(
    rows: pd.DataFrame,
    label: str = "breakdown",
    horizontal: bool = True,
    colour: str = PALETTE[0],
    highlight: str = "",
) -> go.Figure:
    """One bar per row, labelled by ``label``; for splits such as handles or caseload phases.

    With ``highlight`` (an area ranked among others), the bars whose label is that area are drawn dark
    and named in bold, the others lighter, so it is found at a glance."""
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return empty_figure("No figures for this selection.")
    fig = new_figure(height=max(220, 60 * len(rows) + 80) if horizontal else 360)
    plain = distinct_labels(rows, label)
    picked = [bool(highlight) and str(v) == highlight for v in rows[label]]
    names = [f"<b>{n}</b>" if p else n for n, p in zip(plain, picked, strict=True)]
    names = (
        [wrap_label(n) if not p else f"<b>{wrap_label(n[3:-4])}</b>" for n, p in zip(names, picked, strict=True)]
        if horizontal
        else names
    )
    marker = _bar_marker(colour, _is_derived(rows))
    if any(picked):
        marker["color"] = [PERIOD_COLOURS[1] if p else PERIOD_COLOURS[0] for p in picked]
    common = dict(
        text=_labels(rows),
        textposition="outside",
        textangle=0,
        cliponaxis=False,
        marker=marker,
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
    marker = _at_least_marker(list(rows["value"]), names, list(rows["qualifier"]), horizontal, None, legend=True)
    if marker is not None:
        fig.add_trace(marker)
        fig.update_layout(showlegend=True)
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
    # One bar per figure the parts and total share (the same measure in another period or area is
    # another bar, named so); parts or totals a bar has twice are not drawn twice.
    keep = rows[rows["breakdown"].isin([*parts, total])]
    rest = [c for c in ("period", "force", "strand", "dataset") if c in keep and keep[c].astype(str).nunique() > 1]
    group = keep[category].astype(str)
    for c in rest:
        group = group + " (" + keep[c].astype(str) + ")"
    keep = keep.assign(_bar=group.str.replace(" ()", "", regex=False)).drop_duplicates(["_bar", "breakdown"])
    cats = list(dict.fromkeys(keep["_bar"]))
    category = "_bar"
    rows = keep
    fig = new_figure(height=max(240, 56 * len(cats) + 100))
    shown = [wrap_label(c) for c in cats]
    totals = rows[rows["breakdown"] == total].set_index(category).reindex(cats)
    if as_share:
        # A share of the stated total; where the total is not stated, of the stated parts.
        stated_parts = rows[rows["breakdown"].isin(parts)].groupby(category)["value"].sum(min_count=1).reindex(cats)
        scale = 100 / totals["value"].fillna(stated_parts)
    else:
        scale = 1
    for i, part in enumerate(parts):
        sub = rows[rows["breakdown"] == part].set_index(category).reindex(cats)
        derived = [str(d) == "yes" for d in sub["derived"]]
        labels = [
            (format_value(v, str(u), str(q)) + (DERIVED_LABEL if d else "")) if isinstance(u, str) else "Not stated"
            for v, u, q, d in zip(sub["value"], sub["unit"], sub["qualifier"], derived, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=shown,
                x=(sub["value"] * scale).fillna(0),
                # A long name over lines, so the legend fits a phone's width.
                name=wrap_label(part, 24),
                orientation="h",
                text=[lab if v == v and v > 0 else "" for lab, v in zip(labels, sub["value"], strict=True)],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                # Dark figures on a hatched (worked-out) or light segment, white on a dark one.
                insidetextfont=dict(
                    color=[
                        TEXT_DARK if d or luminance(PALETTE[i % len(PALETTE)]) > 0.18 else "#ffffff" for d in derived
                    ]
                ),
                customdata=labels,
                marker=_bar_marker(PALETTE[i % len(PALETTE)], derived),
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
    # Spaced by time where every period's dates are known (uneven report dates stay uneven); otherwise
    # the periods in order, evenly.
    when = period_dates(rows, periods)
    at = (lambda labels: [when[p] for p in labels]) if when else list
    rows = rows.assign(_series=distinct_labels(rows, series, within=("period",)))
    derived_x: list = []
    derived_y: list = []
    derived_text: list = []
    for i, (name, sub) in enumerate(rows.groupby("_series", sort=False)):
        sub = sub.set_index("period").reindex(periods)
        colour = PALETTE[i % len(PALETTE)]
        # Worked-out figures are not joined into the line: they are open squares of their own.
        is_derived = sub["derived"].fillna("") == "yes"
        for p, v, u, q in zip(
            sub.index[is_derived],
            sub["value"][is_derived],
            sub["unit"][is_derived],
            sub["qualifier"][is_derived],
            strict=True,
        ):
            derived_x.append(p)  # a period label here; placed on the axis below
            derived_y.append(v)
            derived_text.append(f"{format_value(v, str(u), str(q))}{DERIVED_LABEL}")
        sub.loc[is_derived, "value"] = float("nan")
        # Segments: a new one starts at each series break, so no line joins figures counted differently.
        starts = [k for k, flag in enumerate(sub["series_break"].fillna("")) if flag == "yes" and k > 0]
        bounds = [0, *starts, len(periods)]
        for j, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            seg = sub.iloc[lo:hi]
            fig.add_trace(
                go.Scatter(
                    x=at(list(seg.index)),
                    y=seg["value"],
                    customdata=list(seg.index),
                    name=name,
                    legendgroup=name,
                    showlegend=j == 0,
                    mode="lines+markers",
                    line=dict(color=colour, width=3),
                    marker=dict(
                        size=11,
                        symbol=[
                            _QUALIFIER_SYMBOLS.get(str(q), "circle")
                            for q in seg["qualifier"].astype(object).fillna("exact")
                        ],
                        color=colour,
                        line=dict(color=colour if j else OUTLINE, width=2 if j else 1),
                    ),
                    text=[
                        format_value(v, str(u), str(q)) if v == v else ""
                        for v, u, q in zip(seg["value"], seg["unit"], seg["qualifier"], strict=True)
                    ],
                    connectgaps=False,
                    hovertemplate="%{customdata}: %{text}<extra>" + name + "</extra>",
                )
            )
    if derived_x:
        fig.add_trace(
            go.Scatter(
                x=at(derived_x),
                y=derived_y,
                customdata=derived_x,
                name="Worked out by the dashboard",
                mode="markers",
                marker=dict(size=12, symbol=DERIVED_SYMBOL, color=OUTLINE, line=dict(color=OUTLINE, width=2)),
                text=derived_text,
                hovertemplate="%{customdata}: %{text}<extra></extra>",
            )
        )
    if breaks is not None and not breaks.empty:
        shown = breaks[breaks["period"].isin(periods)]
        for k, (period, group) in enumerate(shown.groupby("period", sort=False)):
            i = periods.index(period)
            x = _between_dates(when, periods, i) if when else i - 0.5
            fig.add_vline(x=x, line=dict(color=OUTLINE, dash="dash", width=1))
            fig.add_annotation(
                x=x,
                y=1.0 + 0.07 * (k % 2),
                yref="paper",
                text=" / ".join(dict.fromkeys(group["measure"].astype(str))),
                showarrow=False,
                xanchor="right" if i > len(periods) / 2 else "left",
                yanchor="bottom",
                font=dict(size=12),
            )
        fig.update_layout(margin=dict(t=70), legend=dict(y=1.18))
    if when:
        ticks = [when[p] for p in periods]
        fig.update_xaxes(
            type="date",
            tickmode="array",
            tickvals=ticks,
            ticktext=[wrap_label(p, 14) for p in periods],
            range=_padded(ticks),
            ticklabeloverflow="allow",
        )
    else:
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(showlegend=rows["_series"].nunique() > 1 or bool(derived_x))
    return fig


def period_dates(rows: pd.DataFrame, periods: Sequence[str]) -> dict[str, pd.Timestamp]:
    """Where each period sits in time: its last day (a running total "to 8 June 2022" is a figure of that
    day; a year's figure is read at its end). Empty unless every period has a known end and there are at
    least two."""
    if len(periods) < 2:
        return {}
    out: dict[str, pd.Timestamp] = {}
    first = rows.drop_duplicates("period").set_index("period")
    for p in periods:
        if p not in first.index:
            return {}
        end = pd.to_datetime(first.at[p, "period_end"])
        if pd.isna(end):
            return {}
        out[p] = end
    return out if len(set(out.values())) == len(out) else {}


def _between_dates(when: dict, periods: Sequence[str], i: int):
    """Half way between period ``i`` and the one before it (a month before it, for the first)."""
    now = when[periods[i]]
    before = when[periods[i - 1]] if i > 0 else now - pd.Timedelta(days=60)
    return before + (now - before) / 2


def _padded(ticks: list) -> list:
    """The axis's range: the first and last dates with room for their markers and labels."""
    lo, hi = min(ticks), max(ticks)
    pad = (hi - lo) * 0.1
    return [lo - pad, hi + pad]


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
    names = distinct_labels(rows, "measure")
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
                line=dict(color=PALETTE[3], width=10),
                hoverinfo="skip",
                name="Loosely dated",
            )
        )
    exact = rows[~loose]
    if not exact.empty:
        fig.add_trace(
            go.Scatter(
                x=exact["period_start"],
                y=[n for n, is_loose in zip(names, loose, strict=True) if not is_loose],
                mode="markers",
                marker=dict(size=14, color=PALETTE[0], line=dict(color=OUTLINE, width=1)),
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
