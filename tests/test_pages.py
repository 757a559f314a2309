"""Page layouts and callbacks, called directly (no browser): every page renders under every filter."""

from __future__ import annotations

import itertools
import json

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


def graph_figure(component, key: str):
    """The figure the chart ``key`` draws: its graph's, or (drawn after the page) the one it waits for."""
    from components.chart_card import CHART_GRAPH, LATER_FIGURE

    later = [c for c in walk(component) if getattr(c, "id", None) == {"type": LATER_FIGURE, "key": key}]
    if later:
        return later[0].data["figure"]
    return by_id(component, {"type": CHART_GRAPH, "key": key}).figure


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
    assert periods[0] == "all"
    # In time order, by the day each period ends: the year to November 2019, then January 2020, ...
    assert (
        periods.index("Dec 2018 to Nov 2019") < periods.index("At January 2020") < periods.index("Dec 2019 to Nov 2020")
    )
    assert periods.index("Dec 2019 to Nov 2020") < periods.index("At January 2021") < periods.index("2021/22")


def test_unknown_url_value_stays_selected_and_is_explained(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(period="2015/16")
    select = by_id(tree, filter_ids.PERIOD_ID)
    assert select.value == "2015/16"
    assert {"label": "2015/16 (no figures on this page)", "value": "2015/16", "disabled": False} in select.options
    assert any("no figures for the period '2015/16'" in t for t in texts(tree))
    # A period this page's figures overlap (2019/20 runs into both of the unit's years) shows them.
    tree = page_layout(dash_app, "/organised-crime")(period="2019/20")
    assert {"label": "2019/20", "value": "2019/20", "disabled": False} in by_id(tree, filter_ids.PERIOD_ID).options
    assert not any("no figures for the period" in t for t in texts(tree))
    justice = graph_figure(tree, "rocu-justice")
    assert [t.name for t in justice.data if t.type == "bar"] == ["Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020"]


def test_strand_filter_keeps_only_that_strand_and_explains_the_rest(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(strand="Pursue")
    disruptions = graph_figure(tree, "rocu-disruptions")
    # One strand left: its bars are named by their periods (no legend needed).
    assert [list(t.x) for t in disruptions.data] == [["Dec 2018 to Nov 2019"], ["Dec 2019 to Nov 2020"]]
    assert [list(t.y) for t in disruptions.data] == [[726], [815]]
    assert "The sources do not split these figures by strand." in texts(tree)


def test_force_filter_says_the_figures_are_regional(dash_app):
    tree = page_layout(dash_app, "/organised-crime")(force="Warwickshire")
    assert "The paper reports this only for the West Midlands region as a whole." in texts(tree)


def test_organised_crime_charts_hold_the_paper_figures(dash_app):
    tree = page_layout(dash_app, "/organised-crime")()
    justice = graph_figure(tree, "rocu-justice")
    assert [t.name for t in justice.data] == ["Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020"]
    assert [list(t.y) for t in justice.data] == [[765, 336, 211], [560, 209, 174]]
    titles = [c.children for c in walk(tree) if type(c).__name__ == "H2"]
    assert "Cocaine seized rose more than six-fold (our calculation) to 626.81 kg" in " ".join(titles)


def test_strand_changes_are_given_with_the_recording_note_as_a_caveat_not_a_break(dash_app):
    """Para 87 explains the fall in support disruptions only; the strand table is compared (para 90 does so
    itself), every change marked as ours, and the recording change stands beside it as a caveat."""
    tree = page_layout(dash_app, "/organised-crime")()
    summary = by_id(tree, "rocu-disruptions-summary").children
    assert "Prevent disruptions ▼ down 49% (our calculation)" in summary
    card = by_id(tree, "rocu-disruptions")
    words = " ".join(texts(card))
    assert "the way support activity is recorded changed (para 87)" in words
    assert "Check on the paper (SPR update to the board, January 2021, paras 86, 88)" in words
    assert "1,141" in words and "1,142" in words


def test_support_disruptions_are_not_compared_across_the_recording_change(dash_app):
    tree = page_layout(dash_app, "/")()
    words = " ".join(texts(tree))
    assert "▼ down 36% on the period before (as stated in the paper)" in words
    assert "the dashboard therefore does not compare it with the year before" in words


def test_overview_tiles_and_what_changed(dash_app):
    tree = page_layout(dash_app, "/")()
    words = " ".join(texts(tree))
    assert "Cocaine seized rose more than six-fold (our calculation) to 626.81 kg" in words
    assert "over 360" in words
    assert "nearly £7m" in words
    assert "▼ down 27% (our calculation)" in words  # arrests 765 -> 560
    assert "▲ up 43% on the period before (as stated in the paper)" in words
    # A rise from a small base in its unit does not lead: 13.31 kg to 113.81 kg gets no %.
    assert "Other Class A seized rose" not in words
    assert "too small for a % to mean much: Heroin seized, Other Class A seized, Other Class B seized" in words
    # A tile's value keeps its qualifier; no caveat repeats it.
    assert "the source gives this as" not in words


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
    from data.loader import load_store
    from sections import organised_crime, section_charts
    from tests.conftest import DATA_DIR

    store = load_store(DATA_DIR)
    section = organised_crime.SECTION
    first = section_charts(section, store, Filters(strand="Pursue"))
    assert section_charts(section, store, Filters(strand="Pursue")) is first
    assert section_charts(section, store, Filters(strand="Prevent")) is not first
    # New data starts with an empty cache: nothing computed from old data is served.
    fresh = load_store(store.origin)
    assert section_charts(section, fresh, Filters(strand="Pursue")) is not first
    assert len([k for k in store.memo._items if k[0] == "charts"]) == 2


def test_cache_is_bounded():
    from data.loader import ResultCache

    cache = ResultCache(size=3)
    for k in range(10):
        cache.get_or_make(k, lambda k=k: k * k)
    assert len(cache) == 3
    assert cache.get_or_make(9, lambda: "recomputed") == 81
    assert cache.get_or_make(0, lambda: "recomputed") == "recomputed"


def test_meeting_mode_moves_caveats_past_two_lines_to_slides_of_their_own(client, store):
    from data.queries import Filters
    from sections import BY_SLUG, section_charts
    from web.page_cache import router_request

    def slide(path: str) -> str:
        res = client.post("/_dash-update-component", data=router_request(path), content_type="application/json")
        return json.dumps(res.get_json(), ensure_ascii=False)

    chart = next(c for c in section_charts(BY_SLUG["referral-trends"], store, Filters()) if c.key == "ref-concern")
    assert len(chart.caveats) > 3
    assert "Caveats for this chart are on the next slide." in slide("/present/referral-trends/ref-concern")
    following = "".join(slide(f"/present/referral-trends/ref-concern/{n}") for n in range(2, 6))
    for caveat in chart.caveats:
        assert caveat[:60] in following, caveat


def test_a_strand_filter_is_not_applied_on_a_page_without_strands_and_the_page_says_so(client, store):
    from data.queries import Filters
    from sections import BY_SLUG, section_charts
    from web.page_cache import router_request

    section = BY_SLUG["public-order"]
    plain = section_charts(section, store, Filters())
    carried = section_charts(section, store, Filters(strand="Pursue"))
    assert [c.key for c in carried if not c.is_empty] == [c.key for c in plain if not c.is_empty]
    res = client.post(
        "/_dash-update-component",
        data=router_request("/public-order", "?strand=Pursue"),
        content_type="application/json",
    )
    text = json.dumps(res.get_json(), ensure_ascii=False)
    assert text.count("not split by strand, so the strand filter ('Pursue') is not applied here") == 1
    # A page with strands still applies it.
    ct = section_charts(BY_SLUG["counter-terrorism"], store, Filters(strand="Pursue"))
    assert any(c.is_empty for c in ct)


def test_filter_options_without_figures_are_greyed_out(client):
    from web.page_cache import router_request

    res = client.post("/_dash-update-component", data=router_request("/public-order"), content_type="application/json")
    text = json.dumps(res.get_json(), ensure_ascii=False)
    assert '"label": "Staffordshire (no figures on this page)", "value": "Staffordshire", "disabled": true' in text


def test_a_period_keeps_the_figures_whose_dates_overlap_it(dash_app):
    """'Dec 2019 to Nov 2020' keeps counter terrorism's Pursue results of 1 Apr to 5 Dec 2020."""
    tree = page_layout(dash_app, "/counter-terrorism")(period="Dec 2019 to Nov 2020")
    pursue = graph_figure(tree, "ct-pursue")
    assert any(len(t.y or ()) for t in pursue.data)
    words = " ".join(texts(by_id(tree, "ct-pursue")))
    assert "1 Apr 2020 to 5 Dec 2020" in words
    assert "There are no figures for the period" not in " ".join(texts(tree))
    # The year before ends the day before this period starts: the unit's outcomes keep one period only.
    oc = page_layout(dash_app, "/organised-crime")(period="Dec 2019 to Nov 2020")
    justice = graph_figure(oc, "rocu-justice")
    assert [t.name for t in justice.data if t.type == "bar"] == ["Dec 2019 to Nov 2020"]
