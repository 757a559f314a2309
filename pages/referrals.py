"""Referral trends: the page; its charts are built in ``sections.referrals``."""

from __future__ import annotations

import dash

from components.page import dashboard_page, safe_layout
from sections import referrals as section

dash.register_page(
    __name__,
    path="/referral-trends",
    name=section.NAME,
    title="Prevent referral trends – SPR Board Dashboard",
    description=section.DESCRIPTION,
    order=6,
)


@safe_layout
def layout(**query: str):
    return dashboard_page(section, query)
