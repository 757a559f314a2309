"""County lines: the page; its charts are built in ``sections.county_lines``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import county_lines as section

dash.register_page(
    __name__,
    path="/county-lines",
    name=section.NAME,
    title="County lines – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=5,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
