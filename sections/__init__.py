"""The dashboard's sections: each builds its charts from the data under the filters.

A section module has ``SLUG``, ``NAME``, ``TITLE``, ``INTRO``, ``DESCRIPTION``, ``DATASETS`` and
``charts(store, filters) -> list[Chart]``. Pages, exports and meeting mode all draw on these, so a
chart looks and reads the same wherever it is shown. No Dash imports below this package's facts lists.
"""

from __future__ import annotations

from types import ModuleType

from sections import counter_terrorism, county_lines, organised_crime, public_order, referrals, venetic

#: In the paper's order: counter terrorism, public order, serious and organised crime
#: (the unit, Venetic, county lines), then Prevent referral trends.
SECTIONS: tuple[ModuleType, ...] = (
    counter_terrorism,
    public_order,
    organised_crime,
    venetic,
    county_lines,
    referrals,
)
BY_SLUG: dict[str, ModuleType] = {s.SLUG: s for s in SECTIONS}


def section_charts(section: ModuleType, store, filters) -> list:
    """``section.charts(store, filters)``, worked out once per filter state and data.

    Pages, exports and meeting mode share the result, so a chart is built once, not on every
    request. Callers must not change what they get back (figures are copied before restyling).
    """
    return store.memo.get_or_make(("charts", section.charts, filters), lambda: section.charts(store, filters))
