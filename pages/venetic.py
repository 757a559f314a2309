"""Operation Venetic: the page; its charts are built in ``sections.venetic``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import venetic as section

dash.register_page(
    __name__,
    path="/venetic",
    name=section.NAME,
    title="Operation Venetic – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=4,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
