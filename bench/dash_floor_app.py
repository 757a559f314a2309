"""A second floor for the page-load benchmark: a bare Dash app showing one chart and nothing else.

Same figure (the organised crime page's first chart), same Graph config, same plotly.js bundle,
compression and gunicorn settings as the dashboard; no pages, filters, tables or styles. The gap
between this and the static HTML floor is what Dash itself costs (React, the renderer, its layout
and dependency requests); the gap between this and the dashboard is what the dashboard adds.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from components.chart_card import GRAPH_CONFIG
from data.loader import get_store
from data.queries import Filters
from sections import BY_SLUG, section_charts
from web import plotly_bundle

FLOOR_SECTION = "organised-crime"


def _figure():
    charts = section_charts(BY_SLUG[FLOOR_SECTION], get_store(), Filters())
    return next(c for c in charts if c.figure is not None).figure


app = dash.Dash(__name__, compress=True, assets_folder="/nonexistent", update_title=None)
app.layout = html.Main([dcc.Graph(id="floor-graph", figure=_figure(), config=GRAPH_CONFIG)])
plotly_bundle.install(app.server)
# As the dashboard does (app.py): Dash's first-request setup made once, before threads serve.
app.server.test_client().get("/")
server = app.server
