"""The dashboard's sections: each builds its charts from the data under the filters.

A section is a ``Section`` record (``sections.base``), declared once in its own module and listed in
``SECTIONS`` below: that list is what the pages are registered from, what meeting mode steps through
and what the board pack follows, so a new section is one module and one line here. Pages, exports and
meeting mode all draw on ``section_charts``, so a chart looks and reads the same wherever it is shown.
No Dash imports in this package.
"""

from __future__ import annotations

from sections import counter_terrorism, county_lines, organised_crime, overview, public_order, referrals, venetic
from sections.base import Section, section_charts

#: In the paper's order, after the overview's summary: counter terrorism, public order, serious and
#: organised crime (the unit, Venetic, county lines), then Prevent referral trends.
SECTIONS: tuple[Section, ...] = (
    overview.SECTION,
    counter_terrorism.SECTION,
    public_order.SECTION,
    organised_crime.SECTION,
    venetic.SECTION,
    county_lines.SECTION,
    referrals.SECTION,
)
BY_SLUG: dict[str, Section] = {s.slug: s for s in SECTIONS}
BY_PATH: dict[str, Section] = {s.path: s for s in SECTIONS}

__all__ = ["BY_PATH", "BY_SLUG", "SECTIONS", "Section", "section_charts"]
