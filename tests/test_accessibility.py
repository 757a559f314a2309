"""WCAG 2.2 AA audit with axe-core in real headless Chromium: every page, filter states, the table view
and meeting mode, at desktop and phone widths. Any violation, at any impact level, fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import PAGES

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

STATES = [
    *PAGES,
    "/organised-crime?strand=Pursue",
    "/organised-crime?force=Staffordshire&period=Dec+2019+to+Nov+2020",
    "/referral-trends?force=West+Midlands+region",
    "/venetic?period=nonsense",
    "/?strand=Prevent",
    "/data/operation_venetic",
    "/data/nothing_here",
    "/present/counter-terrorism",
    "/present/organised-crime/rocu-justice?strand=Pursue",
    "/present/organised-crime/rocu-teams?theme=light",
    "/present/referral-trends/ref-total",
    "/present/venetic/venetic-outcomes?view=presenter",
    "/present/overview-2",
    "/no-such-page",
]


def audit(page: Page) -> list[str]:
    """axe-core's violations on the current page, one line each."""
    assert AXE.is_file(), "axe-core is missing: run `make install-test` (npm ci)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


def settle(page: Page) -> None:
    page.wait_for_selector("h1")
    if page.locator(".js-plotly-plot").count():
        page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("path", STATES)
def test_no_axe_violations(browser, base_url, path, width):
    # The app's CSP rightly blocks injected scripts; the audit tool is let in for the test only.
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        page.goto(base_url + path)
        settle(page)
        assert audit(page) == []
    finally:
        page.close()


def test_no_axe_violations_with_tables_open(browser, base_url):
    page = browser.new_page(viewport={"width": 1366, "height": 800}, bypass_csp=True)
    try:
        page.goto(base_url + "/organised-crime")
        settle(page)
        summaries = page.locator("details.chart-table > summary").all()
        for summary in summaries:
            summary.click()
        assert page.locator("details.chart-table[open]").count() == len(summaries) >= 5
        # Each table is drawn when first opened; audit once they are all there.
        expect(page.locator("details.chart-table[open] table")).to_have_count(len(summaries))
        assert audit(page) == []
    finally:
        page.close()
