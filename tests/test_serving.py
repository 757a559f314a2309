"""What makes pages load fast: the smaller plotly.js, cache lifetimes, small HTML, warmed pages."""

from __future__ import annotations

import json
import re

import dash
import pytest
from plotly.offline import get_plotlyjs_version

import app as app_module
from data.loader import get_store
from data.queries import Filters
from figures.theme import for_presenting
from sections import SECTIONS, section_charts
from web import plotly_bundle
from web.http_cache import YEAR_S, is_versioned

# -- the smaller plotly.js ---------------------------------------------------------------------


def test_bundle_is_the_plotly_js_version_the_python_package_draws_for():
    assert plotly_bundle.bundle_version() == get_plotlyjs_version()


def test_dash_asks_for_plotly_js_where_the_bundle_is_served():
    # If Dash moves the address, the renderer would load the full bundle (and nothing else fails).
    renderer = (
        __import__("pathlib").Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.min.js"
    ).read_text(encoding="utf-8", errors="replace")
    assert plotly_bundle.DASH_PLOTLY_URL.lstrip("/") in renderer


def test_plotly_address_serves_the_small_bundle_checked_before_reuse(client):
    res = client.get(plotly_bundle.DASH_PLOTLY_URL)
    assert res.status_code == 200
    body = res.get_data()
    assert body == plotly_bundle.BUNDLE_PATH.read_bytes()
    assert b"plotly.js (basic - minified)" in body[:200]
    assert len(body) < 1.5 * 1024 * 1024  # the full bundle is 4.8 MB
    assert res.mimetype == "text/javascript"
    assert res.cache_control.no_cache and res.cache_control.public and "ETag" in res.headers
    again = client.get(plotly_bundle.DASH_PLOTLY_URL, headers={"If-None-Match": res.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    # Compressed, the ETag carries ':br'; the browser sends that back, and still gets a 304.
    br = client.get(plotly_bundle.DASH_PLOTLY_URL, headers={"Accept-Encoding": "br"})
    assert br.headers["Content-Encoding"] == "br" and br.headers["ETag"].endswith(':br"')
    revalidated = client.get(
        plotly_bundle.DASH_PLOTLY_URL, headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and not revalidated.get_data()
    changed = client.get(plotly_bundle.DASH_PLOTLY_URL, headers={"If-None-Match": '"something-else:br"'})
    assert changed.status_code == 200 and changed.get_data() == body


@pytest.mark.parametrize("presenting", [False, True], ids=["page", "meeting mode"])
def test_every_chart_uses_only_trace_types_in_the_bundle(presenting):
    store = get_store()
    seen = set()
    for section in SECTIONS:
        for chart in section_charts(section, store, Filters()):
            if chart.figure is None:
                continue
            figure = for_presenting(chart.figure) if presenting else chart.figure
            seen |= {trace.type for trace in figure.data}
    assert seen, "no charts drawn"
    assert seen <= plotly_bundle.TRACE_TYPES, seen - plotly_bundle.TRACE_TYPES


def test_bundle_can_draw_every_trace_type_it_claims():
    text = plotly_bundle.BUNDLE_PATH.read_text(encoding="utf-8")
    for trace in plotly_bundle.TRACE_TYPES:
        assert f'moduleType:"trace",name:"{trace}"' in text, trace


# -- cache lifetimes ---------------------------------------------------------------------------


def test_versioned_static_files_are_kept_a_year(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/assets/app\.css\?m=[^"]+)"', page).group(1)
    res = client.get(css)
    assert res.status_code == 200
    assert res.cache_control.max_age == YEAR_S and res.cache_control.immutable
    bootstrap = client.get(app_module.BOOTSTRAP_URL)
    assert bootstrap.status_code == 200 and bootstrap.cache_control.max_age == YEAR_S


def test_unversioned_files_and_pages_are_not_kept(client):
    assert client.get("/assets/app.css").cache_control.max_age is None
    assert client.get("/organised-crime").cache_control.max_age is None
    assert client.get("/api/v1/datasets").cache_control.max_age is None
    assert not is_versioned("/api/v1/datasets", {"v": "1"})


def test_bootstrap_address_names_the_version_of_the_file(client):
    version = re.search(r"v=([\d.]+)$", app_module.BOOTSTRAP_URL).group(1)
    head = (app_module.ROOT / "assets" / "vendor" / "bootstrap.min.css").read_text(encoding="utf-8")[:200]
    assert f"Bootstrap  v{version} " in head
    page = client.get("/").get_data(as_text=True)
    assert page.count(app_module.BOOTSTRAP_URL) == 1


# -- small pages, warmed before the first visitor ----------------------------------------------


def test_page_html_does_not_carry_every_page_layout(client):
    res = client.get("/referral-trends")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert "validation_layout" not in html
    assert len(html) < 20_000, len(html)


def test_importing_app_builds_nothing_and_wsgi_draws_every_page_before_the_first_visitor():
    """``import app`` loads no data and registers no page; ``import wsgi`` (what gunicorn's master does
    before it forks) builds the app and draws every page in the nav and every slide."""
    import subprocess
    import sys

    code = (
        "import dash, app\n"
        "from data import loader\n"
        "assert loader._store is None and not dash.page_registry, 'import app built something'\n"
        "import wsgi\n"
        "from data.loader import get_store\n"
        "from draw_check import slide_paths\n"
        "paths = app.nav_paths()\n"
        "assert '/organised-crime' in paths and '/' in paths and '/checks' in paths, paths\n"
        "slides = slide_paths(get_store())\n"
        "assert slides[:2] == ['/present/overview', '/present/overview/overview-summary'], slides[:2]\n"
        "from web.page_cache import cached_answer\n"
        "missing = [p for p in paths + slides if cached_answer(wsgi.server, get_store(), p) is None]\n"
        "print('missing', missing)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=app_module.ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "missing []" in out.stdout, out.stdout


def _ids(component, found: set[str]) -> set[str]:
    cid = getattr(component, "id", None)
    if cid is not None:
        found.add(json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            _ids(child, found)
    return found


def test_every_callback_id_is_in_the_shell_or_a_page(dash_app):
    """Dash no longer checks this in the browser (suppress_callback_exceptions), so this test does."""
    from components.shell import shell

    found = _ids(shell(), set())
    for page in dash.page_registry.values():
        if page["path"] in ("/data/none", "/present/none"):
            continue
        layout = page["layout"]
        _ids(layout() if callable(layout) else layout, found)
    found |= {"_pages_content", "_pages_store", "_pages_location", "_pages_dummy"}
    types = {json.loads(i)["type"] for i in found if i.startswith("{")}
    for key, spec in dash_app.callback_map.items():
        outputs = re.findall(r"([\w{}\":\[\],-]+?)\.([\w-]+)(?:@\w+)?(?:\.\.|$)", key.strip("."))
        assert outputs, key
        ids = [i["id"] for i in spec["inputs"] + spec.get("state", [])] + [o for o, _ in outputs]
        for cid in ids:
            if isinstance(cid, str) and cid.startswith("{"):
                assert json.loads(cid)["type"] in types, (key, cid)
            elif isinstance(cid, dict):
                assert cid["type"] in types, (key, cid)
            else:
                assert cid in found, (key, cid)


# -- tables are drawn when first opened ---------------------------------------------------------


def _open_table(
    client, key: str, clicks: int, pathname: str, search: str = "", slot_now: object = None, drawn: dict | None = None
):
    """The callback a page sends when a table is opened; ``drawn`` is the version the page was drawn from."""
    from components.chart_card import PAGES_LOCATION, TABLE_LOADING, TABLE_SLOT, TABLE_SUMMARY
    from components.view_notice import PAGE_VERSION_ID

    if slot_now is None:  # what the page sends before the table is drawn
        slot_now = {"type": "P", "namespace": "dash_html_components", "props": {"children": TABLE_LOADING}}

    slot = {"key": key, "type": TABLE_SLOT}
    summary = {"key": key, "type": TABLE_SUMMARY}
    body = {
        "output": json.dumps({"key": ["MATCH"], "type": TABLE_SLOT}, separators=(",", ":")) + ".children",
        "outputs": {"id": slot, "property": "children"},
        "inputs": [{"id": summary, "property": "n_clicks", "value": clicks}],
        "state": [
            {"id": slot, "property": "children", "value": slot_now},
            {"id": PAGES_LOCATION, "property": "pathname", "value": pathname},
            {"id": PAGES_LOCATION, "property": "search", "value": search},
            {"id": PAGE_VERSION_ID, "property": "data", "value": drawn or {}},
        ],
        "changedPropIds": [json.dumps(summary, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", json=body)


def test_page_leaves_tables_to_be_drawn_when_opened(client):
    from web.page_cache import router_request

    res = client.post(
        "/_dash-update-component", data=router_request("/organised-crime"), content_type="application/json"
    )
    text = res.get_data(as_text=True).replace(" ", "")
    assert text.count('"type":"chart-table-slot"') >= 5
    assert '"type":"Table"' not in text and '"type":"Td"' not in text  # no table drawn with the page


def test_opening_a_table_draws_its_rows_under_the_filters(client):
    res = _open_table(client, "rocu-justice", 1, "/organised-crime")
    assert res.status_code == 200
    table = json.dumps(res.get_json())
    assert "Arrested" in table and "765" in table and "Dec 2018 to Nov 2019" in table
    filtered = json.dumps(
        _open_table(client, "rocu-justice", 1, "/organised-crime", "?period=Dec+2019+to+Nov+2020").get_json()
    )
    assert "Dec 2019 to Nov 2020" in filtered and "Dec 2018 to Nov 2019" not in filtered


def test_reopening_draws_only_if_the_table_is_not_there_yet(client):
    drawn = _open_table(client, "rocu-justice", 1, "/organised-crime").get_json()
    table = drawn["response"][next(iter(drawn["response"]))]["children"]
    assert _open_table(client, "rocu-justice", 3, "/organised-crime", slot_now=table).status_code == 204
    # A first try that failed left the placeholder: opening again draws it.
    assert "765" in json.dumps(_open_table(client, "rocu-justice", 3, "/organised-crime").get_json())


def test_unknown_charts_say_so(client):
    missing = json.dumps(_open_table(client, "no-such-chart", 1, "/organised-crime").get_json())
    assert "not available" in missing
    elsewhere = json.dumps(_open_table(client, "rocu-justice", 1, "/nowhere").get_json())
    assert "not available" in elsewhere


def test_dash_fingerprinted_bundles_are_kept_a_year(client):
    page = client.get("/").get_data(as_text=True)
    bundles = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[\w]+m\d+[^"]*\.js)"', page)
    assert bundles, "no fingerprinted Dash bundles in the page"
    for url in bundles:
        res = client.get(url)
        assert res.status_code == 200 and res.cache_control.max_age == YEAR_S, url
