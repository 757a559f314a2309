"""In real headless Chromium (Debian's): pages load cleanly, charts hold the right numbers, and the
filters live in the URL (copied links, reload, back and forward, and moving between pages)."""

from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from sections import SECTIONS
from tests.conftest import PAGES

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.failed_requests = []
    # With why it failed (a server error, or cut off by a navigation: net::ERR_ABORTED).
    pg.on("requestfailed", lambda r: pg.failed_requests.append(f"{r.method} {r.url}: {r.failure}"))
    yield pg
    context.close()


def assert_clean(page: Page) -> None:
    assert page.console_errors == [], "browser console should contain no error"
    assert page.failed_requests == []


def graph_data(page: Page, graph_id: str) -> list[dict]:
    """The traces Plotly drew for a dcc.Graph, read from the page."""
    selector = f"#{graph_id} .js-plotly-plot"
    # Drawn: a figure after the page's first holds no traces until it is drawn (assets/app.js).
    page.wait_for_function(
        "s => { const g = document.querySelector(s); return !!(g && g.data && g.data.length); }", arg=selector
    )
    # Plotly sends numeric arrays base64-encoded; _inputArray holds the decoded values.
    return page.evaluate(
        f"""Array.from(document.querySelector('{selector}').data, t => {{
            const plain = v => (v && v._inputArray) ? Array.from(v._inputArray) : v;
            return {{...t, x: plain(t.x), y: plain(t.y)}};
        }})"""
    )


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_cleanly(page, base_url, path):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGES[path])
    if path not in ("/", "/about"):
        expect(page.locator(".chart-card").first).to_be_visible()
        page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert all(u.startswith(base_url) or u.startswith("data:") for u in requested), "nothing loads from outside"
    assert_clean(page)


def test_charts_draw_the_paper_figures(page, base_url):
    page.goto(base_url + "/organised-crime")
    justice = graph_data(page, "rocu-justice-graph")
    assert [t["name"] for t in justice] == ["Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020"]
    assert [t["y"] for t in justice] == [[765, 336, 211], [560, 209, 174]]
    drugs = graph_data(page, "rocu-drugs-graph")
    assert drugs[1]["y"][0] == 626.81
    expect(page.locator("#rocu-drugs-title")).to_have_text(
        "Cocaine seized rose more than six-fold (our calculation) to 626.81 kg"
    )
    page.goto(base_url + "/venetic")
    outcomes = graph_data(page, "venetic-outcomes-graph")
    lead = next(t for t in outcomes if t["name"] == "ROCUWM lead")
    assert "418.5 kg" in lead["text"]
    assert_clean(page)


def test_table_toggle_shows_the_same_figures(page, base_url):
    page.goto(base_url + "/organised-crime")
    card = page.locator("#rocu-justice")
    table = card.locator("table")
    expect(table).to_be_hidden()
    card.locator("summary", has_text="Show these figures as a table").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr", has_text="Arrested").filter(has_text="Dec 2018 to Nov 2019")).to_contain_text(
        "765"
    )


def test_filter_changes_url_and_charts_and_back_restores(page, base_url):
    page.goto(base_url + "/organised-crime")
    graph_data(page, "rocu-disruptions-graph")
    page.select_option("#filter-strand", "Pursue")
    page.click("#filter-apply")
    page.wait_for_url("**/organised-crime?strand=Pursue")
    expect(page.locator("#rocu-justice")).to_contain_text("The sources do not split these figures by strand.")
    page.wait_for_function("document.querySelector('#rocu-disruptions-graph .js-plotly-plot').data[0].x.length === 1")
    # One strand left: its two bars are named by their periods.
    assert [t["x"] for t in graph_data(page, "rocu-disruptions-graph")] == [
        ["Dec 2018 to Nov 2019"],
        ["Dec 2019 to Nov 2020"],
    ]
    assert [t["y"] for t in graph_data(page, "rocu-disruptions-graph")] == [[726], [815]]

    page.select_option("#filter-period", "Dec 2019 to Nov 2020")
    page.click("#filter-apply")
    page.wait_for_url("**period=Dec+2019+to+Nov+2020**")
    assert query(page) == {"period": ["Dec 2019 to Nov 2020"], "strand": ["Pursue"]}

    page.go_back()
    page.wait_for_url("**/organised-crime?strand=Pursue")
    expect(page.locator("#filter-period")).to_have_value("all")
    expect(page.locator("#filter-strand")).to_have_value("Pursue")

    page.go_back()
    page.wait_for_url(base_url + "/organised-crime")
    expect(page.locator("#filter-strand")).to_have_value("all")
    page.wait_for_selector("#rocu-justice-graph .js-plotly-plot .main-svg")
    page.go_forward()
    page.wait_for_url("**/organised-crime?strand=Pursue")
    expect(page.locator("#filter-strand")).to_have_value("Pursue")
    assert_clean(page)


def test_force_filter_explains_missing_figures(page, base_url):
    page.goto(base_url + "/organised-crime")
    # A force with no figures on the page is greyed out and says so: no dead end.
    option = page.locator("#filter-force option[value='Staffordshire']")
    expect(option).to_have_text("Staffordshire (no figures on this page)")
    expect(option).to_be_disabled()
    expect(page.locator("#filter-force option[value='West Midlands region']")).to_be_enabled()
    # Every figure drawn and nothing more asked of the server, so leaving the page cuts no request off.
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    # A link that carries it still explains.
    page.goto(base_url + "/organised-crime?force=Staffordshire")
    expect(page.locator("#rocu-justice")).to_contain_text(
        "The paper reports this only for the West Midlands region as a whole."
    )
    expect(page.locator(".filter-notice")).to_contain_text("Staffordshire")
    assert_clean(page)


def test_copied_link_reproduces_the_view(page, browser, base_url):
    link = base_url + "/referral-trends?force=England+and+Wales&period=2020%2F21"
    page.goto(link)
    expect(page.locator("#filter-period")).to_have_value("2020/21")
    expect(page.locator("#filter-force")).to_have_value("England and Wales")
    total = graph_data(page, "ref-total-graph")
    assert total[0]["x"] == ["2020/21"] and total[0]["y"] == [4915]

    other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    other.goto(link)
    expect(other.locator("#filter-period")).to_have_value("2020/21")
    assert graph_data(other, "ref-total-graph")[0]["y"] == [4915]
    other.reload()
    expect(other.locator("#filter-period")).to_have_value("2020/21")
    other.context.close()


def test_moving_between_pages_keeps_the_filters(page, base_url):
    page.goto(base_url + "/organised-crime?strand=Prevent")
    expect(page.locator("#filter-strand")).to_have_value("Prevent")
    page.get_by_role("navigation").get_by_role("link", name="Counter terrorism").click()
    page.wait_for_url("**/counter-terrorism?strand=Prevent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Counter terrorism")
    expect(page.locator("#filter-strand")).to_have_value("Prevent")
    expect(page.locator("#ct-pursue")).to_contain_text("No figures for the Prevent strand")
    assert_clean(page)


def test_dataset_page_shows_figures_with_sources(page, base_url):
    page.goto(base_url + "/about")
    page.get_by_role("link", name="Operation Venetic (EncroChat) in the region", exact=True).click()
    expect(page).to_have_url(base_url + "/data/operation_venetic")
    cocaine_total = page.locator("tbody tr", has_text="Cocaine seized").filter(has_text="Total")
    expect(cocaine_total).to_contain_text("558.5 kg")
    expect(cocaine_total).to_contain_text("para 98")
    blank = page.locator("tbody tr", has_text="Cannabis seized").filter(has_text="ROCUWM support")
    expect(blank).to_contain_text("Not stated")
    assert_clean(page)


def test_about_lists_every_dataset(page, base_url, store):
    page.goto(base_url + "/about")
    papers, datasets = page.locator("main table").nth(0), page.locator("main table").nth(1)
    expect(papers.locator("caption")).to_have_text("1 board paper")
    expect(datasets.locator("tbody tr")).to_have_count(len(store.names))
    expect(page.locator(".figures-as-at")).to_contain_text("Figures as at January 2021")
    assert_clean(page)


def test_skip_link_is_first_and_moves_focus_to_main(page, base_url):
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_unknown_dataset_says_so(page, base_url):
    page.goto(base_url + "/data/nothing_here")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dataset not found")
    assert_clean(page)


def meeting_steps(slug: str, whole: bool = False):
    from data.loader import get_store
    from data.queries import Filters
    from exports.deck import meeting_steps
    from sections import BY_SLUG, SECTIONS

    return meeting_steps(get_store(), SECTIONS if whole else (BY_SLUG[slug],), Filters(), whole)


def test_meeting_mode_by_keyboard_stays_in_its_section(page, base_url):
    steps = meeting_steps("organised-crime")
    ids = [s.id for s in steps]
    titles = {s.id: s.slide.title for s in steps}
    page.goto(base_url + "/organised-crime")
    page.get_by_role("link", name="Present this page").click()
    page.wait_for_url("**/present/organised-crime")
    expect(page.locator(".presenter-title")).to_have_text(titles[ids[0]])
    expect(page.locator(".presenter-source")).to_contain_text("para 88")

    def at(slide_id: str) -> None:
        page.wait_for_url(f"**/present/{slide_id}")
        expect(page.locator(".presenter-title")).to_have_text(titles[slide_id])
        expect(page.locator("[data-presenter]")).to_have_attribute("data-presenter", slide_id)

    page.keyboard.press("ArrowRight")
    at(ids[1])
    page.keyboard.press(" ")
    at(ids[2])
    page.keyboard.press("ArrowLeft")
    at(ids[1])
    page.keyboard.press("End")
    at(ids[-1])  # the section's last slide, not the dashboard's
    assert ids[-1].startswith("organised-crime/")
    expect(page.locator(".presenter-where")).to_have_text(
        f"Serious and organised crime · slide {len(ids)} of {len(ids)}"
    )
    page.keyboard.press("Home")
    at(ids[0])
    page.go_back()
    at(ids[-1])
    page.keyboard.press("Escape")
    page.wait_for_url(base_url + "/organised-crime")
    expect(page.get_by_role("heading", level=1)).to_have_text("Serious and organised crime")
    assert_clean(page)


def test_the_whole_dashboard_is_a_separate_deck_starting_with_the_summary(page, base_url):
    steps = meeting_steps("overview", whole=True)
    page.goto(base_url + "/county-lines")
    page.get_by_role("link", name="Present the whole dashboard").click()
    page.wait_for_url("**/present/overview?deck=all")
    expect(page.locator(".presenter-title")).to_have_text(steps[0].slide.title)
    page.keyboard.press("End")
    page.wait_for_url(f"**/present/{steps[-1].id}?deck=all")
    assert steps[-1].slide.slug == "referral-trends"
    # An older address (section and number) still opens its slide.
    page.goto(base_url + "/present/venetic-2")
    expect(page.locator("[data-presenter]")).to_have_attribute("data-presenter", "venetic/venetic-cash")


def test_meeting_mode_slide_url_and_filters(page, base_url):
    page.goto(base_url + "/present/venetic/venetic-outcomes?force=West+Midlands+region")
    expect(page.locator(".presenter-title")).to_contain_text("people arrested")
    # A filtered deck says so on every slide.
    expect(page.locator(".presenter-filters")).to_contain_text("force or area: West Midlands region")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/present/venetic/**?force=West+Midlands+region")
    expect(page.locator(".presenter-filters")).to_contain_text("force or area: West Midlands region")
    bg = page.evaluate("getComputedStyle(document.querySelector('.presenter')).backgroundColor")
    assert bg == "rgb(0, 0, 0)"
    page.keyboard.press("l")
    page.wait_for_selector(".presenter.presenter-light")
    bg = page.evaluate("getComputedStyle(document.querySelector('.presenter')).backgroundColor")
    assert bg == "rgb(255, 255, 255)"
    assert_clean(page)


def test_slide_list_blank_screen_and_full_screen_keys(page, base_url):
    steps = meeting_steps("counter-terrorism")
    page.goto(base_url + "/present/counter-terrorism")
    page.wait_for_selector("[data-presenter]")
    page.keyboard.press("g")
    dialog = page.locator("dialog#presenter-list")
    expect(dialog).to_be_visible()
    expect(dialog.locator("li")).to_have_count(len(steps))
    dialog.get_by_role("link", name=f"3. {steps[2].slide.title}").click()
    page.wait_for_url(f"**/present/{steps[2].id}")
    expect(dialog).not_to_be_visible()
    page.keyboard.press("b")
    expect(page.locator("#presenter-blank-screen")).to_be_visible()
    page.keyboard.press("b")
    expect(page.locator("#presenter-blank-screen")).to_be_hidden()
    page.keyboard.press("Shift+F")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    assert_clean(page)


def test_presenter_view_keeps_in_step_without_the_server(browser, base_url):
    steps = meeting_steps("venetic")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        audience = context.new_page()
        audience.goto(base_url + "/present/venetic")
        audience.wait_for_selector("[data-presenter]")
        with context.expect_page() as opened:
            audience.keyboard.press("p")
        view = opened.value
        view.wait_for_selector(".pv-current")
        expect(view.locator(".pv-current")).to_have_text(steps[0].slide.title)
        expect(view.locator(".pv-next")).to_have_text(steps[1].slide.title)
        expect(view.locator(".pv-notes")).to_contain_text("para 98")
        # The audience moves: the presenter view follows, with no request of its own.
        requests: list[str] = []
        view.on("request", lambda r: requests.append(r.url))
        audience.keyboard.press("ArrowRight")
        expect(view.locator(".pv-current")).to_have_text(steps[1].slide.title)
        expect(view.locator(".pv-where")).to_have_text(f"Slide 2 of {len(steps)}")
        assert requests == []
        # The presenter moves: the audience follows.
        view.keyboard.press("ArrowRight")
        audience.wait_for_url(f"**/present/{steps[2].id}")
        expect(audience.locator(".presenter-title")).to_have_text(steps[2].slide.title)
        expect(view.locator(".pv-elapsed")).not_to_have_text("")
    finally:
        context.close()


def test_download_links_carry_the_filters(page, base_url):
    page.goto(base_url + "/organised-crime?strand=Pursue")
    page.locator("#rocu-disruptions .chart-downloads summary").click()
    link = page.locator("#rocu-disruptions").get_by_role("link", name="CSV data", exact=False).first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "rocu-disruptions-strand-Pursue.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "# Filters: period: all; strand: Pursue" in text
    assert ",815," in text


def test_a_board_pack_shows_that_it_is_being_made_then_arrives(page, base_url):
    page.goto(base_url + "/county-lines")
    status = page.locator("#pack-status")
    with page.expect_download(timeout=90_000) as info:
        page.locator(".pack-links").get_by_role("link", name="PowerPoint").first.click()
        expect(status).to_contain_text("Making the board pack (This page as PowerPoint)")
    download = info.value
    assert download.suggested_filename.startswith("spr-board-pack-county-lines-")
    assert Path(download.path()).read_bytes()[:2] == b"PK"
    expect(status).to_contain_text("is ready")
    assert_clean(page)


def test_a_whole_task_by_keyboard_only(page, base_url):
    """Set a filter, open a table and download a chart's data, with Tab, arrows, Space and Enter only."""
    page.goto(base_url + "/organised-crime")
    page.wait_for_selector("#rocu-justice-graph .js-plotly-plot .main-svg")

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    # The skip link is first, and focus is visible on it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    tab_to("#filter-strand")
    page.keyboard.press("ArrowDown")  # All strands -> Pursue; nothing happens until Apply
    page.keyboard.press("ArrowDown")  # -> Prevent
    assert page.url == base_url + "/organised-crime"
    tab_to("#filter-apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organised-crime?strand=Prevent")
    # Focus comes back to the Apply button after the page is redrawn.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'filter-apply'")

    page.goto(base_url + "/organised-crime")
    page.wait_for_selector("#rocu-justice-graph .js-plotly-plot .main-svg")
    # The table is the next key after the chart's skip link.
    tab_to("#rocu-justice .skip-chart")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#rocu-justice .chart-table summary')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('#rocu-justice .chart-table').open")
    page.keyboard.press("Space")
    assert not page.evaluate("document.querySelector('#rocu-justice .chart-table').open")
    # The downloads are one menu: open it, and the data is a key away.
    tab_to("#rocu-justice .chart-downloads summary")
    page.keyboard.press("Enter")
    tab_to("#rocu-justice a[href*='.csv']", limit=8)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "rocu-justice.csv"


def test_each_chart_is_three_tab_stops_and_can_be_skipped(page, base_url):
    page.goto(base_url + "/organised-crime")
    page.wait_for_selector("#rocu-justice-graph .js-plotly-plot .main-svg")
    page.locator("#rocu-disruptions .skip-chart").focus()
    stops = ["skip link"]
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.textContent"))
        assert page.evaluate("document.activeElement.closest('.chart-card').id") == "rocu-disruptions"
    page.keyboard.press("Tab")
    # Past the skip link, at most three stops inside a chart (its further caveats, its table, its
    # downloads in one menu); the next is the next chart.
    assert stops == ["skip link", "Show 1 more caveat", "Show these figures as a table", "Download or show full screen"]
    for key in ("rocu-teams", "rocu-justice", "rocu-reasons"):
        stops = page.locator(f"#{key}").evaluate(
            "card => [...card.querySelectorAll('a, summary, button, [tabindex=\"0\"]')]"
            ".filter(e => e.checkVisibility()).length"
        )
        assert stops <= 4, key  # the skip link and at most three more
    assert page.evaluate("document.activeElement.closest('.chart-card').id") != "rocu-disruptions"
    # The skip link jumps to the next chart.
    page.locator("#rocu-disruptions .skip-chart").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.chart-card').id") == "rocu-lead-support"
    # A screen reader meets the chart as one image named by its finding, not its SVG's numbers.
    figure = page.locator("#rocu-disruptions figure")
    assert figure.get_attribute("role") == "img"
    assert (
        page.evaluate("document.querySelector('#rocu-disruptions figure > div').getAttribute('aria-hidden')") == "true"
    )


def test_tab_never_gets_stuck(page, base_url):
    page.goto(base_url + "/referral-trends")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    seen = []
    for _ in range(150):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    # Focus keeps moving: no element holds it for more than one press.
    assert all(a != b for a, b in itertools.pairwise(seen))


SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_slide_overflows_its_stage(browser, base_url, size):
    """Every slide of the whole deck, at each projector size: all its content inside the 16:9 stage,
    nothing cut off or scrolled, and the chart's labels inside its box."""
    steps = meeting_steps("overview", whole=True)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(base_url + f"/present/{steps[0].id}?deck=all")
        for n, step in enumerate(steps):
            page.wait_for_selector(f"[data-presenter='{step.id}']")
            if page.locator(".presenter-graph").count():
                page.wait_for_selector(".presenter-graph .main-svg")
            problems = page.evaluate(
                """(() => {
                  const stage = document.querySelector('.presenter-stage').getBoundingClientRect();
                  const out = [];
                  const inside = (r) => r.top >= stage.top - 0.5 && r.bottom <= stage.bottom + 0.5
                    && r.left >= stage.left - 0.5 && r.right <= stage.right + 0.5;
                  for (const el of document.querySelectorAll('.presenter-stage > *, .presenter-table tr')) {
                    const r = el.getBoundingClientRect();
                    if (r.height && !inside(r)) out.push(el.className || el.tagName);
                  }
                  const body = document.querySelector('.presenter-body');
                  if (body.scrollHeight > body.clientHeight + 1) out.push('body scrolls');
                  const graph = document.querySelector('.presenter-graph');
                  if (graph) {
                    const g = graph.getBoundingClientRect();
                    for (const t of graph.querySelectorAll('.xtick text, .ytick text, .legendtext')) {
                      const r = t.getBoundingClientRect();
                      if (r.height && (r.bottom > g.bottom + 1 || r.top < g.top - 1)) out.push('label cut: ' + t.textContent);
                    }
                  }
                  const size = parseFloat(getComputedStyle(document.querySelector('.presenter-title')).fontSize);
                  if (size < 24) out.push('title type ' + size);
                  return out;
                })()"""
            )
            assert problems == [], (size, step.id, problems)
            if n < len(steps) - 1:
                page.keyboard.press("ArrowRight")
    finally:
        context.close()


def test_a_printed_page_says_what_it_shows_and_leaves_out_empty_boxes(page, base_url):
    page.goto(base_url + "/counter-terrorism?strand=Pursue")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    empty = page.locator(".chart-card:has(.empty-chart)")
    assert empty.count() > 0
    stamp = page.locator(".print-stamp")
    expect(stamp).to_be_hidden()  # on screen, nothing extra
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    expect(stamp).to_be_visible()
    expect(stamp).to_contain_text("Filters: strand Pursue")
    expect(stamp).to_contain_text("from " + base_url + "/counter-terrorism?strand=Pursue")
    expect(stamp).to_contain_text("Printed ")
    for i in range(empty.count()):
        expect(empty.nth(i)).to_be_hidden()
    assert_clean(page)


SECTION_PATHS = [s.path for s in SECTIONS]
#: Five screens at 1366×768: the longest a page may be (issue 12, part 4).
FIVE_SCREENS = 5 * 768


def wait_for_charts(page: Page) -> None:
    """Every chart on the page drawn (a page's height is only final then)."""
    page.wait_for_function(
        "() => document.querySelector('.chart-card') !== null"
        " && [...document.querySelectorAll('.chart-graph')].every(f => {"
        " const g = f.querySelector('.js-plotly-plot'); return !!(g && g.data && g.data.length); })",
        timeout=20000,
    )


@pytest.mark.parametrize("path", SECTION_PATHS)
def test_no_page_is_longer_than_five_screens(page, base_url, path):
    page.goto(base_url + path)
    expect(page.locator(".chart-card").first).to_be_visible()
    wait_for_charts(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= FIVE_SCREENS, f"{path} is {height} px tall ({height / 768:.1f} screens at 1366×768)"
    # The navigation fits one row on a laptop screen.
    assert page.locator(".site-nav").bounding_box()["height"] < 70


def test_the_overview_first_screen_shows_the_headline_strip_then_what_changed(page, base_url):
    page.goto(base_url + "/")
    tiles = page.locator("#overview-summary .tile")
    expect(tiles.first).to_be_visible()
    boxes = [tiles.nth(i).bounding_box() for i in range(tiles.count())]
    assert 4 <= len(boxes) <= 6
    # One strip: every headline figure on one row, each value, period and direction above the fold.
    assert len({round(b["y"]) for b in boxes}) == 1
    for i in range(len(boxes)):
        for part in (".tile-value", ".tile-period"):
            box = tiles.nth(i).locator(part).bounding_box()
            assert box["y"] + box["height"] <= 768, (i, part)
    changed = page.locator("#overview-summary .points-heading")
    expect(changed).to_contain_text("What changed most")
    first_point = page.locator("#overview-summary .chart-points li").first.bounding_box()
    assert first_point["y"] + 24 <= 768, "the first of what changed most starts on the first screen"


def test_two_number_comparisons_are_small_multiples_side_by_side(page, base_url):
    keys = ["rocu-sentences", "rocu-firearms", "rocu-ammunition", "rocu-safeguarding"]
    page.goto(base_url + "/organised-crime")
    wait_for_charts(page)
    boxes = [page.locator(f"#{k}").bounding_box() for k in keys]
    assert len({round(b["y"]) for b in boxes}) == 1, "the four sit in one row"
    assert all(b["width"] < 1366 / 3 for b in boxes)
    # Each keeps its own scale, and its bars are named by their periods (no legend to read across).
    firearms = graph_data(page, "rocu-firearms-graph")
    assert [t["x"] for t in firearms] == [["Dec 2018 to Nov 2019"], ["Dec 2019 to Nov 2020"]]
    assert [t["y"] for t in firearms] == [[41], [44]]
    # On a narrow screen each card takes the whole width, in the same order.
    page.set_viewport_size({"width": 600, "height": 800})
    narrow = [page.locator(f"#{k}").bounding_box() for k in keys]
    assert [b["y"] for b in narrow] == sorted(b["y"] for b in narrow) and len({round(b["y"]) for b in narrow}) == 4


def test_one_line_on_screen_and_every_figure_for_a_screen_reader(page, base_url):
    page.goto(base_url + "/organised-crime")
    wait_for_charts(page)
    card = page.locator("#rocu-disruptions")
    visible = card.locator(".chart-summary")
    expect(visible).to_have_count(1)
    assert visible.inner_text().count(".") == 1, "one sentence under the title"
    described = card.locator("figure").get_attribute("aria-describedby")
    description = page.locator(f"#{described}")
    expect(description).to_be_hidden()
    words = description.text_content()
    for figure in ("Prepare 20", "Prevent 261", "Pursue 815"):
        assert figure in words
    # The accessible description Chromium computes is that summary.
    snapshot = page.locator("#rocu-disruptions figure").evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
    )
    assert snapshot == words


def test_long_lists_and_caveats_open_on_a_click_and_print_whole(page, base_url):
    page.goto(base_url + "/organised-crime")
    teams = page.locator("#rocu-teams")
    expect(teams).to_be_visible()
    hidden = teams.locator(".more-facts li").first
    expect(hidden).to_be_hidden()
    # The rest of a long list is in the table, which says it holds them all.
    count = teams.locator(".fact-list li").count()
    expect(teams.locator(".more-facts-note")).to_contain_text("more in the table below")
    table = teams.locator(".chart-table summary")
    expect(table).to_have_text(f"Show all {count} statements as a table")
    table.click()
    expect(teams.locator(".chart-table tbody tr")).to_have_count(count)
    caveats = page.locator("#rocu-lead-support-caveats")
    expect(caveats).to_contain_text("Caveats (")
    later = caveats.locator("details.more-caveats li").first
    expect(later).to_be_hidden()
    # Printing shows every statement and caveat, and the whole summary under each chart.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    expect(hidden).to_be_visible()
    expect(later).to_be_visible()
    expect(page.locator("#rocu-disruptions .chart-description")).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    expect(hidden).to_be_hidden()


def test_the_contents_list_leads_to_each_chart(page, base_url):
    page.goto(base_url + "/organised-crime")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents).to_be_visible()
    links = contents.get_by_role("link")
    assert links.count() == page.locator(".chart-card").count()
    contents.get_by_role("link", name="Firearms seized").click()
    assert page.url.endswith("#rocu-firearms")
    # Short pages have none.
    page.goto(base_url + "/public-order")
    expect(page.locator(".chart-card").first).to_be_visible()
    expect(page.get_by_role("navigation", name="On this page")).to_have_count(0)


def test_a_printed_page_is_the_same_from_any_window_width(browser, base_url):
    """A4 from a narrow, a laptop and a wide window: the same pages, every chart at the page's width."""
    import io

    from pypdf import PdfReader

    printed = {}
    for width in (900, 1366, 1920):
        context = browser.new_context(viewport={"width": width, "height": 768})
        try:
            pg = context.new_page()
            pg.goto(base_url + "/organised-crime")
            wait_for_charts(pg)
            pg.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            pg.wait_for_function(
                "() => [...document.querySelectorAll('.chart-grid .main-svg')]"
                ".every(s => Math.round(s.getBoundingClientRect().width) === 680)"
            )
            reader = PdfReader(io.BytesIO(pg.pdf(format="A4")))
            printed[width] = [page.extract_text() for page in reader.pages]
            # After printing the charts fit the window again.
            pg.evaluate("window.dispatchEvent(new Event('afterprint'))")
            pg.wait_for_function(
                "() => [...document.querySelectorAll('.chart-grid .main-svg')]"
                ".some(s => Math.round(s.getBoundingClientRect().width) !== 680)"
            )
        finally:
            context.close()
    assert len(printed[900]) == len(printed[1366]) == len(printed[1920]), {w: len(p) for w, p in printed.items()}
    assert printed[900] == printed[1366] == printed[1920]
    text = " ".join(printed[1366])
    # Every statement and caveat is on paper, the one-line lede is not printed twice.
    assert "Show 2 more caveats" not in text and "more in the table below" not in text
    assert text.count("The disruptions the unit led and those it supported") == 1


#: Records, for each chart's graph, when its traces first appear.
DRAWN_AT_JS = """
window.__drawnAt = {};
new MutationObserver(() => {
  document.querySelectorAll('.chart-graph > div[id]').forEach(el => {
    if (!(el.id in window.__drawnAt) && el.querySelector('g.trace')) window.__drawnAt[el.id] = performance.now();
  });
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("path", ["/organised-crime", "/referral-trends"])
def test_the_first_figure_is_drawn_first_and_the_rest_without_scrolling(page, base_url, path):
    """Only the page's first figure comes drawn; the others are drawn after it, each on its own, even
    when the reader never scrolls to them (the browser draws them when idle)."""
    page.add_init_script(DRAWN_AT_JS)
    page.goto(base_url + path)
    wait_for_charts(page)
    graphs = page.evaluate("[...document.querySelectorAll('.chart-graph > div[id]')].map(el => el.id)")
    drawn = page.evaluate("window.__drawnAt")
    assert len(graphs) >= 3 and set(drawn) == set(graphs)
    first = drawn[graphs[0]]
    assert all(drawn[g] > first for g in graphs[1:]), drawn
    # The last chart is below the fold, and was not scrolled to.
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate(f"document.getElementById('{graphs[-1]}').getBoundingClientRect().top") > 768
    assert_clean(page)


#: Holds back every figure after the first: no idle moments, no scrolling into view.
HOLD_LATER_FIGURES_JS = """
window.requestIdleCallback = () => 0;
window.IntersectionObserver = undefined;
"""


def test_a_figure_not_yet_drawn_says_so_on_paper(page, base_url):
    """Printed in the moment before a later figure is drawn, its place says so, rather than being blank."""
    page.add_init_script(HOLD_LATER_FIGURES_JS)
    page.goto(base_url + "/organised-crime")
    page.wait_for_selector(".chart-graph .js-plotly-plot .main-svg")
    waiting = page.locator(".graph-waiting").first
    waiting.wait_for(state="attached")
    page.emulate_media(media="print")
    said = waiting.evaluate("el => getComputedStyle(el, '::after').content")
    assert "still being drawn when the page was printed" in said
    page.emulate_media(media="screen")
    assert waiting.evaluate("el => getComputedStyle(el, '::after').content") in ("none", "normal")
