"""Every page fits from a 320 px phone to a 1920 px projector: nothing runs off the side.

Screenshots of each page at 375, 768 and 1366 px are saved under screenshots/ for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PAGES

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WIDTHS = (320, 375, 768, 1366, 1920)
EXTRA = ("/present/organised-crime-1", "/data/operation_venetic", "/accessibility")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    SHOTS.mkdir(exist_ok=True)
    try:
        for path in (*PAGES, *EXTRA):
            page.goto(base_url + path)
            page.wait_for_selector("h1")
            if page.locator(".js-plotly-plot").count():
                page.wait_for_selector(".js-plotly-plot .main-svg")
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate(
                """() => Array.from(document.querySelectorAll('body *'))
                    .filter(e => !e.closest('.table-responsive') && !e.closest('.modebar'))
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .slice(0, 3).map(e => e.tagName + ' ' + (e.id || e.getAttribute('class') || ''))"""
            )
            assert overflow == [], f"{path} at {width}px: content runs off the side: {overflow}"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width in (375, 768, 1366):
                name = path.strip("/").replace("/", "_") or "overview"
                page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()
