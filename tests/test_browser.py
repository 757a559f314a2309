"""In real headless Chromium (Debian's): pages load with no console errors and show the figures."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.live_server import running_app

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.failed_requests = []
    pg.on("requestfailed", lambda r: pg.failed_requests.append(r.url))
    yield pg
    context.close()


def assert_clean(page: Page) -> None:
    assert page.console_errors == [], "browser console should contain no error"
    assert page.failed_requests == []


def test_home_lists_every_dataset(page, base_url, store):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + "/")
    table = page.locator("main table")
    expect(table.locator("caption")).to_contain_text(f"{len(store.names)} datasets")
    expect(table.locator("tbody tr")).to_have_count(len(store.names))
    expect(page).to_have_title("Datasets – SPR Board Dashboard")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert all(u.startswith(base_url) or u.startswith("data:") for u in requested), requested
    assert_clean(page)


def test_dataset_page_shows_figures_with_sources(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Operation Venetic (EncroChat) in the region", exact=True).click()
    expect(page).to_have_url(base_url + "/data/operation_venetic")
    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Venetic (EncroChat) in the region")
    cocaine_total = page.locator("tbody tr", has_text="Cocaine seized").filter(has_text="Total")
    expect(cocaine_total).to_contain_text("558.5 kg")
    expect(cocaine_total).to_contain_text("para 98")
    blank = page.locator("tbody tr", has_text="Cannabis seized").filter(has_text="ROCUWM support")
    expect(blank).to_contain_text("Not stated")
    cash = page.locator("tbody tr", has_text="Cash seized")
    expect(cash).to_contain_text("nearly £7m")
    assert_clean(page)


def test_skip_link_is_first_and_moves_focus_to_main(page, base_url):
    page.goto(base_url + "/")
    expect(page.locator("main table")).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_unknown_dataset_says_so(page, base_url):
    page.goto(base_url + "/data/nothing_here")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dataset not found")
    assert_clean(page)


def test_navigation_links_to_the_datasets(page, base_url):
    page.goto(base_url + "/data/rocu_outcomes")
    nav = page.get_by_role("navigation")
    nav.get_by_role("link", name="Datasets").click()
    expect(page).to_have_url(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datasets behind the dashboard")
    assert_clean(page)
