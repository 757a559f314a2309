"""The page shell: skip link, navigation bar (keeping the filters in every link), main landmark."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import MissingCallbackContextException
from flask import g, has_request_context
from flask_wtf.csrf import generate_csrf

from components.filters import URL_ID, url_location
from data.loader import DataStore, get_store
from sections import links

MAIN_ID = "main-content"
SKIP_LINK_CLASS = "skip-link"
APP_TITLE = "SPR Board Dashboard"
NAV_BACKGROUND = "#1b2a41"  # white text on this is 14:1
NAV_LINK_TYPE = "nav-link"
NAV_TOGGLER_ID = "nav-toggler"
NAV_COLLAPSE_ID = "nav-collapse"


def _nav_pages() -> list[dict]:
    return [
        page
        for page in dash.page_registry.values()
        if page.get("nav", True) is not False and page.get("path_template") is None
    ]


#: The menu that holds the pages about the dashboard (not a section of figures), and Versions.
ABOUT_MENU_ID = "nav-about-menu"


def _is_section_page(page: dict) -> bool:
    return page["module"].startswith("pages.sections.")


def navbar() -> dbc.Navbar:
    """Site navigation: a link to each section's page on the bar, and the pages about the dashboard in
    one "About" menu, so the bar fits one row on a laptop screen. Links come from the registered pages,
    in their ``order``."""
    pages = _nav_pages()
    items = [
        dbc.NavItem(
            dbc.NavLink(
                page["name"],
                href=page["relative_path"],
                active="exact",
                id={"type": NAV_LINK_TYPE, "path": page["relative_path"]},
            )
        )
        for page in pages
        if _is_section_page(page)
    ]
    about = dbc.DropdownMenu(
        [
            *(
                dbc.DropdownMenuItem(
                    page["name"], href=page["relative_path"], id={"type": NAV_LINK_TYPE, "path": page["relative_path"]}
                )
                for page in pages
                if not _is_section_page(page)
            ),
            dbc.DropdownMenuItem("Versions", href=links.versions_page(), external_link=True),
        ],
        label="About",
        nav=True,
        in_navbar=True,
        align_end=True,
        id=ABOUT_MENU_ID,
    )
    items.append(about)
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(APP_TITLE, href="/"),
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id=NAV_TOGGLER_ID,
                    className="navbar-toggler",
                    type="button",
                    **{"aria-label": "Menu", "aria-controls": NAV_COLLAPSE_ID, "aria-expanded": "false"},
                ),
                dbc.Collapse(
                    dbc.Nav([*items, *account_items()], navbar=True, className="ms-auto"),
                    id=NAV_COLLAPSE_ID,
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid=True,
        ),
        className="site-nav",
        color=NAV_BACKGROUND,
        dark=True,
        expand="xl",
    )


def account_items() -> list:
    """Versions, and sign-in (or, signed in, publishing, users and sign-out as the role allows). These
    are pages of their own, so they load in full (``external_link``)."""
    user = g.get("user") if has_request_context() else None
    items: list = []
    if user is None:
        return [*items, dbc.NavItem(dbc.NavLink("Sign in", href="/sign-in", external_link=True))]
    if user.can("analyst"):
        items.append(dbc.NavItem(dbc.NavLink("Publish", href=links.publish_page(), external_link=True)))
    if user.can("admin"):
        items.append(dbc.NavItem(dbc.NavLink("Users", href="/admin/users", external_link=True)))
    items.append(
        dbc.NavItem(
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                    html.Button(f"Sign out {user.username}", type="submit", className="btn btn-link nav-link"),
                ],
                method="post",
                action="/sign-out",
            )
        )
    )
    return items


def footer_text(store: DataStore) -> str:
    """Where the figures come from, named from the publication catalogue."""
    papers = sorted((p for p in store.publications.values() if p.is_paper), key=lambda p: p.date.last_day)
    public = len(store.publications) - len(papers)
    if not papers:
        return f"Figures come from the {public} public releases named beside each figure."
    latest = papers[-1]
    which = f"{latest.title} to the {latest.board} ({latest.date.label})"
    earlier = f" and {len(papers) - 1} earlier board paper{'s' if len(papers) > 2 else ''}" if len(papers) > 1 else ""
    return (
        f"Figures come from the {which}{earlier}, and from the public releases named beside each figure. "
        "See About the data for every publication."
    )


def shell() -> html.Div:
    """The layout around every page."""
    return html.Div(
        [
            url_location(),
            html.A("Skip to main content", href=f"#{MAIN_ID}", className=SKIP_LINK_CLASS),
            html.Header(navbar()),
            html.Main(dbc.Container(dash.page_container, fluid="lg"), id=MAIN_ID, tabIndex="-1"),
            html.Footer(
                dbc.Container(
                    [
                        html.P(footer_text(get_store()), className="small mb-1"),
                        html.P(
                            [
                                html.A("Accessibility statement", href="/accessibility"),
                                " · ",
                                html.A("About the data", href="/about"),
                                " · ",
                                html.A("Data API", href="/api/v1/datasets"),
                                " · ",
                                html.A("Every version", href=links.versions_page()),
                            ],
                            className="small mb-0",
                        ),
                    ],
                    fluid="lg",
                ),
                className="site-footer",
            ),
        ]
    )


@callback(
    Output({"type": NAV_LINK_TYPE, "path": ALL}, "href"),
    Input(URL_ID, "search"),
)
def keep_filters_in_nav(search: str | None) -> list[str]:
    """Every navigation link carries the current filters (in the order the links are rendered)."""
    try:
        paths = [o["id"]["path"] for o in ctx.outputs_list]
    except MissingCallbackContextException:  # called directly (as in a test): the registry's order
        paths = [p["relative_path"] for p in _nav_pages()]
    return [f"{path}{search or ''}" for path in paths]  # the query string as it is


@callback(
    Output(NAV_COLLAPSE_ID, "is_open"),
    Output(NAV_TOGGLER_ID, "aria-expanded"),
    Input(NAV_TOGGLER_ID, "n_clicks"),
    State(NAV_COLLAPSE_ID, "is_open"),
    prevent_initial_call=True,
)
def toggle_nav(_clicks: int | None, is_open: bool) -> tuple[bool, str]:
    """Open or close the menu on narrow screens."""
    return (not is_open), ("false" if is_open else "true")
