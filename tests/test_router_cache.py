"""The page router's answer is served from the cache, identical to a freshly drawn one."""

from __future__ import annotations

import json

from data import loader
from web.page_cache import cached_answer, router_request
from web.view import forced_store


def post(client, path: str, search: str = ""):
    return client.post("/_dash-update-component", data=router_request(path, search), content_type="application/json")


def test_cached_answer_equals_a_fresh_one(client, serving):
    client.get("/")  # Dash registers its router on the first request
    first = post(client, "/organised-crime", "?strand=Pursue")
    assert cached_answer(client.application, serving(), "/organised-crime", "?strand=Pursue") == first.get_data()
    again = post(client, "/organised-crime", "?strand=Pursue")
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert again.mimetype == "application/json"
    assert "Content-Security-Policy" in again.headers
    other = post(client, "/organised-crime", "?strand=Prevent")
    assert other.get_data() != first.get_data()
    content = json.loads(first.get_data())["response"]["_pages_content"]["children"]
    assert "Pursue" in json.dumps(content)


def test_new_data_is_never_answered_from_the_old_cache(client, make_folder, serving):
    client.get("/")
    post(client, "/about")
    old = serving()
    assert cached_answer(client.application, old, "/about") is not None
    fresh = loader.load_store(make_folder())
    with forced_store(fresh):
        body = post(client, "/about").get_data(as_text=True)
    assert "1 datasets" in body  # drawn from the new one-dataset folder
    assert cached_answer(client.application, fresh, "/about") is not None


def test_other_callbacks_are_not_cached(client, serving):
    client.get("/")
    cache = client.application.extensions["spr-cache"].cache.cache
    before = len(cache._items)
    clear = {
        "output": "filter-url.search",
        "outputs": {"id": "filter-url", "property": "search"},
        "inputs": [{"id": "filter-clear", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["filter-clear.n_clicks"],
    }
    client.post("/_dash-update-component", json=clear)
    assert len(cache._items) == before


def test_a_page_that_failed_is_not_kept(client, monkeypatch, serving):
    import dash

    from components.page import safe_layout

    def broken(**query):
        raise RuntimeError("synthetic failure for this test")

    client.get("/")
    page = next(p for p in dash.page_registry.values() if p["path"] == "/venetic")
    monkeypatch.setitem(page, "layout", safe_layout(broken))
    res = post(client, "/venetic", "?strand=Prepare")
    assert res.status_code == 200 and "could not be shown" in res.get_data(as_text=True)
    assert "synthetic failure" not in res.get_data(as_text=True)  # no trace reaches the reader
    assert cached_answer(client.application, serving(), "/venetic", "?strand=Prepare") is None
    monkeypatch.undo()
    fixed = post(client, "/venetic", "?strand=Prepare").get_data(as_text=True)
    assert "could not be shown" not in fixed
    assert cached_answer(client.application, serving(), "/venetic", "?strand=Prepare") is not None


def test_cached_answer_is_compressed_once_for_each_encoding(client, serving):
    import gzip

    import brotli

    plain = post(client, "/organised-crime").get_data()
    body = router_request("/organised-crime")
    for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        res = client.post(
            "/_dash-update-component", data=body, content_type="application/json", headers={"Accept-Encoding": encoding}
        )
        assert res.headers["Content-Encoding"] == encoding and "Accept-Encoding" in res.headers["Vary"]
        assert unpack(res.get_data()) == plain
        assert cached_answer(client.application, serving(), "/organised-crime", "", encoding=encoding) == res.get_data()
    assert "Content-Encoding" not in post(client, "/organised-crime").headers


def test_a_made_up_filter_value_is_said_plainly_and_never_kept(client, serving):
    client.get("/")
    cache = client.application.extensions["spr-cache"].cache.cache
    before = cache.size
    res = post(client, "/counter-terrorism", "?strand=Persue")
    body = res.get_data(as_text=True)
    assert res.status_code == 200
    assert "figures do not have ('Persue')" in body
    assert cached_answer(client.application, serving(), "/counter-terrorism", "?strand=Persue") is None
    huge = post(client, "/counter-terrorism", "?strand=" + "x" * 200_000)
    assert huge.status_code == 200 and len(huge.get_data()) < len(body) + 2_000  # the value is not echoed
    assert cache.size == before  # neither answer was kept


def test_an_address_with_parameters_no_page_reads_is_drawn_but_not_kept(client, serving):
    client.get("/")
    res = post(client, "/venetic", "?utm=1")
    assert res.status_code == 200
    assert cached_answer(client.application, serving(), "/venetic", "?utm=1") is None
    assert cached_answer(client.application, serving(), "/no-such-page") is None
    post(client, "/no-such-page")
    assert cached_answer(client.application, serving(), "/no-such-page") is None


def test_the_in_process_cache_is_bounded_in_bytes():
    from web.shared_cache import BytesLRUCache

    cache = BytesLRUCache(max_bytes=1000)
    for i in range(10):
        assert cache.set(f"k{i}", bytes(200))
    assert cache.size <= 1000 and sum(len(v) for _, v in cache._items.values()) == cache.size
    assert cache.get("k0") is None and cache.get("k9") == bytes(200)  # least recently used out first
    cache.get("k5")
    cache.set("k10", bytes(200))
    assert cache.get("k5") is not None  # reading keeps an answer in
    assert not cache.set("big", bytes(251))  # over a quarter of the bound: not kept at all
    assert cache.get("big") is None
