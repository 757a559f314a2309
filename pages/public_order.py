"""Public order: the page; its charts are built in ``sections.public_order``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import public_order as section

dash.register_page(
    __name__,
    path="/public-order",
    name=section.NAME,
    title="Public order – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=2,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
