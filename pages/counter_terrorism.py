"""Counter terrorism: the page; its charts are built in ``sections.counter_terrorism``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import counter_terrorism as section

dash.register_page(
    __name__,
    path="/counter-terrorism",
    name=section.NAME,
    title="Counter terrorism – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=1,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
