"""Every section's page, registered from ``sections.SECTIONS`` (one place: a new section needs no page file).

Each page's address comes from its section (``Section.path``), so a page and the section its tables
and exports are found by are always the same.
"""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from components.shell import APP_TITLE
from sections import SECTIONS, Section


def _layout(section: Section):
    @safe_layout(shows=lambda **_query: section.datasets)
    def layout(**query: str):
        return dashboard_page(section, query)

    layout.__module__ = f"{__name__}.{section.slug}"
    return layout


for _order, _section in enumerate(SECTIONS):
    dash.register_page(
        f"{__name__}.{_section.slug}",
        path=_section.path,
        name=_section.name,
        title=f"{_section.title} – {APP_TITLE}",
        description=_section.description,
        order=_order,
        layout=_layout(_section),
    )
