"""Page layouts and callbacks, called directly (no browser): every page renders under every filter."""

from __future__ import annotations

import itertools

import dash
import pytest
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from components import filters as filter_ids
from components.filters import clear_filters, filters_to_url
from components.shell import keep_filters_in_nav, toggle_nav
from data.queries import Filters
from tests.conftest import PAGES


def page_layout(dash_app, path: str):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    return page["layout"]


def walk(component):
    """Every component in a layout tree."""
    if isinstance(component, Component):
        yield component
        children = getattr(component, "children", None)
    else:
        children = component
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif isinstance(children, Component):
        yield from walk(children)


def texts(component) -> list[str]:
    out = []
    for c in walk(component):
        ch = getattr(c, "children", None)
        if isinstance(ch, str):
            out.append(ch)
        elif isinstance(ch, list | tuple):
            out += [x for x in ch if isinstance(x, str)]
    return out


def by_id(component, id_):
    return next(c for c in walk(component) if getattr(c, "id", None) == id_)


def heading(component) -> str:
    return next(c.children for c in walk(component) if type(c).__name__ == "H1")


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_with_its_heading(dash_app, path):
    tree = page_layout(dash_app, path)()
    assert heading(tree) == PAGES[path]


FILTER_CASES = [
    {},
    {"strand": "Pursue"},
    {"strand": "Prepare"},
    {"force": "Staffordshire"},
    {"force": "England and Wales"},
    {"period": "Dec 2018 to Nov 2019"},
    {"period": "2019/20", "force": "West Midlands region"},
    {"period": "not a period", "strand": "nonsense", "force": "Gotham"},
]


@pytest.mark.parametrize(("path", "query"), list(itertools.product(PAGES, FILTER_CASES)))
def test_pages_render_under_any_filters_without_error(dash_app, path, query):
    tree = page_layout(dash_app, path)(**query)
    assert heading(tree) == PAGES[path], "the page fell back to its error message"


def test_filter_bar_shows_the_url_state(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(strand="Pursue", period="Dec 2019 to Nov 2020")
    assert by_id(tree, filter_ids.STRAND_ID).value == "Pursue"
    assert by_id(tree, filter_ids.PERIOD_ID).value == "Dec 2019 to Nov 2020"
    assert by_id(tree, filter_ids.FORCE_ID).value == "all"
    periods = [o["value"] for o in by_id(tree, filter_ids.PERIOD_ID).options]
    assert periods[:3] == ["all", "Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020"]


def test_unknown_url_value_stays_selected_and_is_explained(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(period="2019/20")
    select = by_id(tree, filter_ids.PERIOD_ID)
    assert select.value == "2019/20"
    assert {"label": "2019/20 (no figures on this page)", "value": "2019/20"} in select.options
    assert any("no figures for the period '2019/20'" in t for t in texts(tree))


def test_strand_filter_keeps_only_that_strand_and_explains_the_rest(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(strand="Pursue")
    disruptions = by_id(tree, "rocu-disruptions-graph").figure
    assert [list(t.x) for t in disruptions.data] == [["Pursue"], ["Pursue"]]
    assert [list(t.y) for t in disruptions.data] == [[726], [815]]
    assert "The sources do not split these figures by strand." in texts(tree)


def test_force_filter_says_the_figures_are_regional(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(force="Warwickshire")
    assert "The paper reports this only for the West Midlands region as a whole." in texts(tree)


def test_organised_crime_charts_hold_the_paper_figures(dash_app):
    tree = page_layout(dash_app, "/organised-crime")()
    justice = by_id(tree, "rocu-justice-graph").figure
    assert [t.name for t in justice.data] == ["Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020"]
    assert [list(t.y) for t in justice.data] == [[765, 336, 211], [560, 209, 174]]
    titles = [c.children for c in walk(tree) if type(c).__name__ == "H2"]
    assert "Cocaine seized rose more than six-fold to 626.81 kg" in " ".join(titles)


def test_no_percent_change_across_the_recording_break(dash_app):
    tree = page_layout(dash_app, "/organised-crime")()
    summary = by_id(tree, "rocu-disruptions-summary").children
    assert "No change is given" in summary
    assert "%" not in summary


def test_overview_tiles_and_what_changed(dash_app):
    tree = page_layout(dash_app, "/")()
    words = " ".join(texts(tree))
    assert "Cocaine seized rose more than six-fold to 626.81 kg" in words
    assert "more than 360" in words
    assert "nearly £7m" in words
    assert "▼ down 27%" in words  # arrests 765 -> 560
    assert "recording changed" in words


def test_overview_tile_links_keep_the_filters(dash_app):
    tree = page_layout(dash_app, "/")(force="West Midlands region")
    links = [c.href for c in walk(tree) if type(c).__name__ == "A" and getattr(c, "href", None)]
    assert "/organised-crime?force=West+Midlands+region" in links


def test_filters_to_url_callback():
    assert filters_to_url(1, "all", "Pursue", "all") == "?strand=Pursue"
    assert filters_to_url(1, "Dec 2019 to Nov 2020", "all", "West Midlands region") == (
        "?period=Dec+2019+to+Nov+2020&force=West+Midlands+region"
    )
    assert filters_to_url(1, "all", "all", "all") == ""
    assert clear_filters(1) == ""
    for not_pressed in (None, 0):
        with pytest.raises(PreventUpdate):
            filters_to_url(not_pressed, "all", "Pursue", "all")
        with pytest.raises(PreventUpdate):
            clear_filters(not_pressed)
    assert Filters.from_query({"strand": ["Pursue"]}).strand == "Pursue"


def test_nav_links_keep_the_filters(dash_app):
    hrefs = keep_filters_in_nav("?strand=Prevent")
    assert hrefs[0] == "/?strand=Prevent"
    assert "/referral-trends?strand=Prevent" in hrefs
    assert keep_filters_in_nav(None)[0] == "/"


def test_nav_toggle():
    assert toggle_nav(1, False) == (True, "true")
    assert toggle_nav(2, True) == (False, "false")


def test_charts_are_built_once_per_filter_state_and_data():
    from data.loader import DEFAULT_DATA_DIR, load_store
    from sections import organised_crime, section_charts

    store = load_store(DEFAULT_DATA_DIR)
    first = section_charts(organised_crime, store, Filters(strand="Pursue"))
    assert section_charts(organised_crime, store, Filters(strand="Pursue")) is first
    assert section_charts(organised_crime, store, Filters(strand="Prevent")) is not first
    # New data starts with an empty cache: nothing computed from old data is served.
    fresh = load_store(store.directory)
    assert section_charts(organised_crime, fresh, Filters(strand="Pursue")) is not first
    assert len(store.memo) == 2


def test_cache_is_bounded():
    from data.loader import ResultCache

    cache = ResultCache(size=3)
    for k in range(10):
        cache.get_or_make(k, lambda k=k: k * k)
    assert len(cache) == 3
    assert cache.get_or_make(9, lambda: "recomputed") == 81
    assert cache.get_or_make(0, lambda: "recomputed") == "recomputed"


def test_meeting_mode_counts_the_caveats_left_on_the_page_in_plain_english(client):
    import re

    from router_cache import router_request

    text = client.post(
        "/_dash-update-component", data=router_request("/present/referral-trends-1"), content_type="application/json"
    ).get_data(as_text=True)
    found = re.findall(r"(\d+) more (caveats?) on the page", text)
    assert found, "this slide has more caveats than it shows"
    for count, word in found:
        assert word == ("caveat" if count == "1" else "caveats")
