"""A chart with its finding, summary, source, caveats and the same figures as a table.

The table is drawn when its "Show these figures as a table" is first opened, not with the page:
tables are most of a page's components, and leaving them out lets the charts draw sooner (and a
filter change redraw sooner). The callback works it out from the address alone, like the page.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from components.facts import fact_list
from components.tables import rows_table
from components.tiles import tile_row
from components.view_notice import PAGE_VERSION_ID, download_props
from data.formatting import sources_of
from data.loader import get_store
from data.marking import datasets_of
from data.queries import Filters
from figures.chart import Chart
from sections import BY_PATH, BY_SLUG, links, section_charts

#: Pattern ids: a table's <summary> (clicked to open it) and the slot its table is drawn into.
TABLE_SUMMARY = "chart-table-summary"
TABLE_SLOT = "chart-table-slot"
#: Dash Pages' own location component: the page's address and query string.
PAGES_LOCATION = "_pages_location"
TABLE_LOADING = "Getting the table…"

#: No Plotly toolbar: it adds seven Tab stops a chart, and the downloads under each chart do its job better.
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True}


def source_line(rows: pd.DataFrame, publications: dict) -> list:
    """'Source: SPR update to the board, January 2021, paras 86–88' and the publishers of the public
    releases ('Home Office; ITV News'), in words; the table links each row to its release."""
    sources = sources_of(rows, publications)
    parts = [*sources.paper_texts(), *sources.publishers]
    label = "Sources: " if len(parts) > 1 else "Source: "
    return [label, "; ".join(parts)]


#: (format, label, extra query): the slide-sized images, a document-sized one (16 cm wide at 300 dpi), the data.
DOWNLOADS = (
    ("png", "PNG image", {}),
    ("png", "PNG for a document (16 cm)", {"size": "document"}),
    ("svg", "SVG image", {}),
    ("pdf", "PDF", {}),
    ("csv", "CSV data", {}),
    ("xlsx", "Excel data", {}),
)


#: The class of the link at the top of each chart that skips to the next one.
SKIP_CLASS = "skip-chart"


def downloads(chart: Chart, section: str, filters: Filters) -> html.Details:
    """One menu (a single Tab stop while closed): the chart as images and its figures as data, under the
    current filters, and full screen."""
    owner = BY_SLUG.get(section)
    how = download_props(datasets_of(chart.rows, owner.datasets if owner is not None else ()))
    items = [
        html.Li(
            html.A(
                label,
                href=links.chart_export(section, chart.key, fmt, filters, **extra),
                **how,
                **{"aria-label": f"Download '{chart.title}' as {label}"},
            )
        )
        for fmt, label, extra in DOWNLOADS
    ]
    items.append(
        html.Li(
            html.Button(
                "Full screen",
                type="button",
                className="btn btn-outline-dark btn-sm fullscreen-button",
                **{"aria-label": f"Show '{chart.title}' full screen", "data-target": chart.key},
            )
        )
    )
    return html.Details(
        [html.Summary("Download or show full screen"), html.Ul(items, className="chart-download-list")],
        className="chart-downloads small",
    )


def chart_body(chart: Chart, title_id: str, summary_id: str, publications: dict):
    """What the card shows: headline tiles, the computed points, the facts, the figure, or why not."""
    if chart.tiles or chart.points:
        return html.Div(
            [
                tile_row(list(chart.tiles)) if chart.tiles else None,
                html.Ul([html.Li(p) for p in chart.points], className="chart-points") if chart.points else None,
            ],
            className="chart-summary-body",
        )
    if chart.facts and not chart.rows.empty:
        return fact_list(chart.rows, show_category=chart.facts_by_category, publications=publications)
    if chart.figure is None or chart.rows.empty:
        return html.P(chart.empty_message or "No figures for this selection.", className="empty-chart")
    # An image named by the card's title (its finding) and described by its summary; the drawing
    # itself is hidden from assistive technology (its SVG would read as a string of tick numbers).
    return html.Figure(
        html.Div(
            dcc.Graph(id=f"{chart.key}-graph", figure=chart.figure, config=GRAPH_CONFIG), **{"aria-hidden": "true"}
        ),
        role="img",
        **{"aria-labelledby": title_id, "aria-describedby": summary_id},
        className="chart-graph",
    )


def chart_card(
    chart: Chart,
    publications: dict,
    section: str | None = None,
    filters: Filters | None = None,
    next_id: str | None = None,
) -> html.Section:
    """A chart's card. Its Tab stops: a link past it (to ``next_id``, shown when focused), its table,
    and one menu of downloads."""
    title_id = f"{chart.key}-title"
    summary_id = f"{chart.key}-summary"
    body = chart_body(chart, title_id, summary_id, publications)
    caveats = list(dict.fromkeys(c for c in chart.caveats if c))
    children: list = [
        html.A("Skip to the next chart", href=f"#{next_id}", className=f"{SKIP_CLASS} visually-hidden-focusable")
        if next_id
        else None,
        html.P("Context from other sources", className="context-badge small") if chart.context else None,
        html.H2(chart.title, id=title_id, className="chart-title h4"),
        html.P(chart.summary, id=summary_id, className="chart-summary") if chart.summary else None,
        body,
    ]
    if not chart.rows.empty:
        # The table is the next key after the chart.
        children.append(
            html.Details(
                [
                    html.Summary("Show these figures as a table", id={"type": TABLE_SUMMARY, "key": chart.key}),
                    html.Div(html.P(TABLE_LOADING, className="small"), id={"type": TABLE_SLOT, "key": chart.key}),
                ],
                className="chart-table",
            )
        )
        children.append(html.P(source_line(chart.rows, publications), className="chart-source small"))
    if caveats:
        children.append(
            html.Div(
                [html.Strong("Caveats"), html.Ul([html.Li(c) for c in caveats])],
                className="chart-caveats small",
            )
        )
    if section and not chart.rows.empty:
        children.append(downloads(chart, section, filters or Filters()))
    return html.Section(children, className="chart-card", id=chart.key, **{"aria-labelledby": title_id})


def find_chart(pathname: str | None, search: str | None, key: str) -> Chart | None:
    """The chart ``key`` on the page at ``pathname`` under the filters in ``search`` (None if no such chart)."""
    section = BY_PATH.get("/" + (pathname or "").strip("/"))
    if section is None:
        return None
    filters = Filters.from_query(parse_qs((search or "").lstrip("?")))
    return next((c for c in section_charts(section, get_store(), filters) if c.key == key), None)


@callback(
    Output({"type": TABLE_SLOT, "key": MATCH}, "children"),
    Input({"type": TABLE_SUMMARY, "key": MATCH}, "n_clicks"),
    State({"type": TABLE_SLOT, "key": MATCH}, "children"),
    State(PAGES_LOCATION, "pathname"),
    State(PAGES_LOCATION, "search"),
    # Read by the web layer, not here: the table comes from the version the page was drawn from.
    State(PAGE_VERSION_ID, "data"),
    prevent_initial_call=True,
)
def draw_table(clicks: int | None, slot: object, pathname: str | None, search: str | None, _drawn: object = None):
    """Draw a chart's table when it is opened and not yet drawn (so a failed first try is tried again)."""
    if not clicks or TABLE_LOADING not in str(slot):
        raise PreventUpdate
    chart = find_chart(pathname, search, ctx.triggered_id["key"])
    if chart is None or chart.rows.empty:
        return html.P("This table is not available here. Reload the page to see it.", className="small")
    return rows_table(chart.rows, caption=chart.title, publications=get_store().publications)
