"""A chart with its finding, summary, source, caveats and the same figures as a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.tables import rows_table, source_link
from data.formatting import paragraph_range

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@dataclass
class Chart:
    """What a chart card shows. ``rows`` are the figures behind the chart (FRAME_COLUMNS)."""

    key: str
    title: str
    summary: str
    rows: pd.DataFrame
    figure: go.Figure | None = None
    empty_message: str = ""
    caveats: list[str] = field(default_factory=list)
    extra_note: str = ""
    #: Shown instead of a figure where words or a list serve better than a chart.
    content: object | None = None
    #: Marks a chart whose figures come from public sources other than the board paper.
    context: bool = False


def source_line(rows: pd.DataFrame) -> list:
    """'Source: SPR update to the board, paras 86–88' and/or links to the public releases."""
    sources = list(dict.fromkeys(rows["source"].astype(str)))
    parts: list = []
    paras = paragraph_range(sources)
    if paras:
        parts.append(f"SPR update to the board, {paras}")
    urls = [s for s in sources if s.startswith(("http://", "https://"))]
    by_site: dict[str, list[str]] = {}
    for url in urls:
        by_site.setdefault(urlparse(url).netloc.removeprefix("www."), []).append(url)
    for i, site_urls in enumerate(by_site.values()):
        if parts:
            parts.append("; ")
        parts.append(source_link(site_urls[0], short=True))
        if len(site_urls) > 1:
            parts.append(f" ({len(site_urls)} pages)")
        if i >= 5 and len(by_site) > 7:
            parts.append(f"; and {len(by_site) - i - 1} more sites (see the table)")
            break
    label = "Sources: " if len(sources) > 1 else "Source: "
    return [label, *parts]


def chart_card(chart: Chart) -> html.Section:
    title_id = f"{chart.key}-title"
    summary_id = f"{chart.key}-summary"
    if chart.content is not None and not chart.rows.empty:
        body = chart.content
    elif chart.figure is None or chart.rows.empty:
        body = html.P(chart.empty_message or "No figures for this selection.", className="empty-chart")
    else:
        body = html.Div(
            dcc.Graph(id=f"{chart.key}-graph", figure=chart.figure, config=GRAPH_CONFIG),
            role="img",
            **{"aria-labelledby": title_id, "aria-describedby": summary_id},
            className="chart-graph",
        )
    caveats = list(dict.fromkeys(c for c in chart.caveats if c))
    children: list = [
        html.P("Context from other sources", className="context-badge small") if chart.context else None,
        html.H2(chart.title, id=title_id, className="chart-title h4"),
        html.P(chart.summary, id=summary_id, className="chart-summary"),
        body,
    ]
    if not chart.rows.empty:
        children.append(html.P(source_line(chart.rows), className="chart-source small"))
    if chart.extra_note:
        children.append(html.P(chart.extra_note, className="small"))
    if caveats:
        children.append(
            html.Div(
                [html.Strong("Caveats"), html.Ul([html.Li(c) for c in caveats])],
                className="chart-caveats small",
            )
        )
    if not chart.rows.empty:
        children.append(
            html.Details(
                [
                    html.Summary("Show these figures as a table"),
                    rows_table(chart.rows, caption=chart.title),
                ],
                className="chart-table",
            )
        )
    return html.Section(children, className="chart-card", id=chart.key, **{"aria-labelledby": title_id})
