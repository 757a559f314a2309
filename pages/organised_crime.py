"""Organised crime: the page; its charts are built in ``sections.organised_crime``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import organised_crime as section

dash.register_page(
    __name__,
    path="/organised-crime",
    name=section.NAME,
    title="Serious and organised crime – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=3,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
