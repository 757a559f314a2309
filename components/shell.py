"""The page shell: skip link, navigation bar, main landmark and footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

MAIN_ID = "main-content"
SKIP_LINK_CLASS = "skip-link"
APP_TITLE = "SPR Board Dashboard"
NAV_BACKGROUND = "#1b2a41"  # white text on this is 14:1


def navbar() -> dbc.Navbar:
    """Site navigation with the app name; links come from the registered pages."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("nav", True) is not False and page.get("path_template") is None
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(APP_TITLE, href="/"),
                dbc.Nav(links, navbar=True, className="ms-auto"),
            ],
            fluid=True,
        ),
        className="site-nav",
        color=NAV_BACKGROUND,
        dark=True,
    )


def shell() -> html.Div:
    """The layout around every page."""
    return html.Div(
        [
            html.A("Skip to main content", href=f"#{MAIN_ID}", className=SKIP_LINK_CLASS),
            html.Header(navbar()),
            html.Main(dbc.Container(dash.page_container, fluid="lg"), id=MAIN_ID, tabIndex="-1"),
            html.Footer(
                dbc.Container(
                    html.P(
                        "Figures come from the West Midlands Strategic Policing Requirement "
                        "update to the Strategic Policing and Crime Board (early 2021) and from "
                        "the public releases named beside each figure.",
                        className="small mb-0",
                    ),
                    fluid="lg",
                ),
                className="site-footer",
            ),
        ]
    )
