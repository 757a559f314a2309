"""A chart with its finding, summary, source, caveats and the same figures as a table.

The card shows one sentence under its title (the summary's first); the whole summary, with every
figure, describes the chart to screen readers, and the table holds them all. Under the caveats, the
source, the table and the downloads share one row. A card's width on a wide page is the chart's
``width`` (``.chart-wide``, ``.chart-half``, ``.chart-small``); its figure is drawn lower to match.

The table is drawn when its "Show these figures as a table" is first opened, not with the page:
tables are most of a page's components, and leaving them out lets the charts draw sooner (and a
filter change redraw sooner). The callback works it out from the address alone, like the page.

Only the page's first figure is drawn with the page. Each later one comes with the page as data (a
``dcc.Store`` holding its graph) and is put on the page when its card comes near the screen or the browser is next
idle, whichever is first (``assets/app.js``, ``spr.drawWhenNear``): each drawing is a task of its own,
so the first chart shows without waiting for the rest.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from components.facts import fact_list, hidden_facts
from components.tables import rows_table
from components.tiles import tile_caveats, tile_row
from components.view_notice import PAGE_VERSION_ID, download_props
from data.formatting import sources_of
from data.loader import get_store
from data.marking import datasets_of
from data.queries import Filters
from figures.chart import HALF, SMALL, WIDE, Chart
from sections import BY_PATH, BY_SLUG, links, section_charts

#: Pattern ids: a table's <summary> (clicked to open it) and the slot its table is drawn into.
TABLE_SUMMARY = "chart-table-summary"
TABLE_SLOT = "chart-table-slot"
#: Dash Pages' own location component: the page's address and query string.
PAGES_LOCATION = "_pages_location"
TABLE_LOADING = "Getting the table…"
#: Pattern ids: a chart's graph, and (for a figure drawn after the page) the figure it waits to draw.
CHART_GRAPH = "chart-graph"
LATER_FIGURE = "chart-later-figure"

#: A card's class for each width, and the tallest its figure is drawn at that width on a wide page (px;
#: ``assets/app.css`` holds the same heights).
WIDTH_CLASS = {WIDE: "chart-wide", HALF: "chart-half", SMALL: "chart-small"}
FIGURE_HEIGHT = {WIDE: None, HALF: 240, SMALL: 220}
#: Statements a card's fact list shows on screen, by the card's width (its table holds them all).
FACTS_SHOWN = {WIDE: 4, HALF: 2, SMALL: 2}


def facts_shown(chart: Chart) -> int:
    return FACTS_SHOWN.get(chart.width, FACTS_SHOWN[WIDE])


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


#: The class of a graph whose height comes from its card's width on the screen (``assets/app.css``):
#: lower where a card is half or a quarter of a wide page, taller where it has the whole width.
FIT_CLASS = "graph-fit"


def sized_figure(chart: Chart) -> tuple[go.Figure, str]:
    """The chart's figure for its card, and the graph's class. A figure taller than a half or quarter
    card allows takes its height from the card (``FIT_CLASS``); the chart's own figure is not changed."""
    cap = FIGURE_HEIGHT.get(chart.width)
    height = chart.figure.layout.height
    if cap is None or (height is not None and height <= cap):
        return chart.figure, ""
    return go.Figure(chart.figure).update_layout(height=None, autosize=True), FIT_CLASS


#: What a figure drawn after the page is drawn into, and what stands in its place until then (nothing to
#: see, at the figure's height, so the page does not move when it comes).
LATER_SLOT = "chart-later-slot"
WAITING_CLASS = "graph-waiting"
#: plotly.js's height for a figure that gives none.
PLOTLY_HEIGHT = 450


def later_drawing(chart: Chart, figure: go.Figure, fit: str) -> list:
    """A figure drawn after the page: a slot holding a stand-in, and the graph to draw into it (as data)."""
    graph = {"id": {"type": CHART_GRAPH, "key": chart.key}, "figure": figure, "config": GRAPH_CONFIG}
    height = None if fit else {"height": f"{figure.layout.height or PLOTLY_HEIGHT}px"}
    return [
        html.Div(
            html.Div(className=WAITING_CLASS, style=height),
            id={"type": LATER_SLOT, "key": chart.key},
            className="graph-slot",
        ),
        dcc.Store(id={"type": LATER_FIGURE, "key": chart.key}, data=graph),
    ]


def chart_body(
    chart: Chart, title_id: str, summary_id: str, publications: dict, caveats_id: str = "", later: bool = False
):
    """What the card shows: headline tiles, the computed points, the facts, the figure, or why not.
    ``later``: the figure is drawn after the page (see the module's docstring)."""
    if not shows_figure(chart):
        return _other_body(chart, publications, caveats_id)
    # An image named by the card's title (its finding) and described by its summary; the drawing
    # itself is hidden from assistive technology (its SVG would read as a string of tick numbers).
    figure, fit = sized_figure(chart)
    if later:
        drawing = later_drawing(chart, figure, fit)
    else:
        drawing = [dcc.Graph(id={"type": CHART_GRAPH, "key": chart.key}, figure=figure, config=GRAPH_CONFIG)]
    return html.Figure(
        html.Div(
            drawing,
            id=f"{chart.key}-graph",
            className=fit or None,
            **{"aria-hidden": "true"},
        ),
        role="img",
        **{"aria-labelledby": title_id, "aria-describedby": summary_id},
        className="chart-graph",
    )


def shows_figure(chart: Chart) -> bool:
    """Whether the card's body is the chart's figure (rather than tiles, points, facts or a message)."""
    return not (chart.tiles or chart.points or chart.facts) and chart.figure is not None and not chart.rows.empty


def _other_body(chart: Chart, publications: dict, caveats_id: str):
    if chart.tiles or chart.points:
        return html.Div(
            [
                tile_row(list(chart.tiles), caveats_id) if chart.tiles else None,
                html.H3(chart.points_heading, className="points-heading h6")
                if chart.points and chart.points_heading
                else None,
                html.Ul([html.Li(p) for p in chart.points], className="chart-points") if chart.points else None,
            ],
            className="chart-summary-body",
        )
    if chart.facts and not chart.rows.empty:
        return fact_list(
            chart.rows,
            show_category=chart.facts_by_category,
            publications=publications,
            visible=facts_shown(chart),
        )
    return html.P(chart.empty_message or "No figures for this selection.", className="empty-chart")


def chart_card(
    chart: Chart,
    publications: dict,
    section: str | None = None,
    filters: Filters | None = None,
    next_id: str | None = None,
    later: bool = False,
) -> html.Section:
    """A chart's card. Its Tab stops: a link past it (to ``next_id``, shown when focused), its table,
    and one menu of downloads. ``later``: its figure is drawn after the page's first."""
    title_id = f"{chart.key}-title"
    summary_id = f"{chart.key}-summary"
    caveats_id = f"{chart.key}-caveats"
    caveats = distinct_caveats([*tile_caveats(chart.tiles), *chart.caveats])
    body = chart_body(chart, title_id, summary_id, publications, caveats_id if caveats else "", later)
    children: list = [
        html.A("Skip to the next chart", href=f"#{next_id}", className=f"{SKIP_CLASS} visually-hidden-focusable")
        if next_id
        else None,
        html.P("Context from other sources", className="context-badge small") if chart.context else None,
        html.H2(chart.title, id=title_id, className="chart-title h4"),
        *summary_lines(chart, summary_id),
        body,
    ]
    if caveats:
        children.append(caveats_box(caveats, caveats_id))
    actions = []
    if not chart.rows.empty:
        actions.append(html.P(source_line(chart.rows, publications), className="chart-source small"))
    if not chart.rows.empty:
        # The table is the next key after the chart.
        actions.append(
            html.Details(
                [
                    html.Summary(table_label(chart), id={"type": TABLE_SUMMARY, "key": chart.key}),
                    html.Div(html.P(TABLE_LOADING, className="small"), id={"type": TABLE_SLOT, "key": chart.key}),
                ],
                className="chart-table",
            )
        )
        if section:
            actions.append(downloads(chart, section, filters or Filters()))
    if actions:
        children.append(html.Div(actions, className="chart-actions"))
    return html.Section(
        children,
        className=f"chart-card {WIDTH_CLASS.get(chart.width, WIDTH_CLASS[WIDE])}",
        id=chart.key,
        **{"aria-labelledby": title_id},
    )


#: The disclosure holding a card's caveats after the first (opened for printing by assets/app.js).
MORE_CAVEATS_CLASS = "more-caveats"


def caveats_box(caveats: list[str], caveats_id: str) -> html.Div:
    """What limits the figures: the first in full, the rest one click away, with how many there are."""
    first, rest = caveats[0], caveats[1:]
    heading = "Caveat: " if not rest else f"Caveats ({len(caveats)}): "
    return html.Div(
        [
            html.P([html.Strong(heading), first], className="mb-0"),
            html.Details(
                [
                    html.Summary(f"Show {len(rest)} more caveat{'s' if len(rest) > 1 else ''}"),
                    html.Ul([html.Li(c) for c in rest]),
                ],
                className=MORE_CAVEATS_CLASS,
            )
            if rest
            else None,
        ],
        id=caveats_id,
        className="chart-caveats small",
    )


def table_label(chart: Chart) -> str:
    """What the table's disclosure says: 'Show all 7 statements as a table' where the card shows only
    some of its statements."""
    if chart.facts and hidden_facts(chart.rows, facts_shown(chart)):
        return f"Show all {len(chart.rows)} statements as a table"
    return "Show these figures as a table"


def summary_lines(chart: Chart, summary_id: str) -> list:
    """The one sentence shown under the title, and (when the summary says more) the whole summary, kept
    out of sight as the figure's description for screen readers (``aria-describedby`` reads hidden text)."""
    if not chart.summary:
        return []
    lede = chart.lede
    if lede == chart.summary.strip() or not shows_figure(chart):
        return [html.P(chart.summary, id=summary_id, className="chart-summary")]
    return [
        # A small multiple's title and axis say what its one line would (its periods), so it has none.
        html.P(lede, className="chart-summary") if lede and chart.width != SMALL else None,
        html.P(chart.summary, id=summary_id, hidden=True, className="chart-description"),
    ]


def distinct_caveats(caveats: list[str]) -> list[str]:
    """The caveats once each, in order, leaving out one that another repeats in full (a row's note that
    another row's longer note begins with)."""
    unique = list(dict.fromkeys(c.strip() for c in caveats if c and c.strip()))
    return [c for c in unique if not any(o != c and o.startswith(c.rstrip(".")) for o in unique)]


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


# A figure drawn after the page: its graph goes into its slot when its card nears the screen or the
# browser is idle (the function returns a Promise; Dash waits for it).
clientside_callback(
    ClientsideFunction(namespace="spr", function_name="drawWhenNear"),
    Output({"type": LATER_SLOT, "key": MATCH}, "children"),
    Input({"type": LATER_FIGURE, "key": MATCH}, "data"),
)
