"""Serve the Dash Pages router's answer from a cache, per page address, query string and role.

Drawing a page is a pure function of its address, its query string (the filters and the version),
the data and the reader's role, so the serialised answer is kept in the bounded cache of the data
the shared cache (``web.shared_cache``: Redis for every server, or this process's own), under a key
naming the version and what this reader may see (``web.view`` chose the data after sign-in), the role
and the address. A repeat request skips Dash's layout building and JSON encoding entirely, and its
compressed form is kept too (brotli or gzip, as the browser accepts), so it is not compressed again
on every request. A new version has new keys; a change to the list of versions (a publish, a version
marked as presented) is in the key. Only addresses whose parameters the pages read, with values the
data has, are kept (``cacheable``): a made-up address is drawn, but never fills the cache.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable
from urllib.parse import parse_qsl

import brotli
from flask import Flask, Response, g, request

from data.loader import DataStore, get_store
from data.queries import FILTER_NAMES, MAX_FILTER_CHARS, Filters
from sections.base import checked
from web.shared_cache import cache_key, shared_cache

log = logging.getLogger(__name__)

#: The output id Dash's router callback uses for the page content and its title store.
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
_CALLBACK = "/_dash-update-component"
#: How a cached answer is compressed, once, for browsers that accept it (best first).
_COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=9),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
_COMPRESS_MIN_BYTES = 500


#: The query parameters the pages read (filters, the version pin, meeting mode, the comparison); an
#: address with any other, or a value longer than the longest the data has, is drawn but never kept.
KNOWN_PARAMS = frozenset({*FILTER_NAMES, "version", "draft", "deck", "view", "theme", "from", "to"})
_MAX_SEARCH_CHARS = 1024


def cacheable(search: str, store: DataStore) -> bool:
    """Whether the answer for an address with query string ``search`` may be kept: only known parameters,
    each once and short, and filter values the data has (a made-up address is never one more entry)."""
    if len(search) > _MAX_SEARCH_CHARS:
        return False
    pairs = parse_qsl(search.lstrip("?"), keep_blank_values=True)
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names) or not set(names) <= KNOWN_PARAMS:
        return False
    if any(len(v) > MAX_FILTER_CHARS for _, v in pairs):
        return False
    return checked(store, Filters.from_query(dict(pairs))).ok


def _router_key(body: bytes) -> tuple | None:
    """(kind, pathname, search, role, listing) for a router request, or None for any other callback."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("output") != ROUTER_OUTPUT:
        return None
    values = {
        (i.get("id"), i.get("property")): i.get("value") for i in payload.get("inputs", []) if isinstance(i, dict)
    }
    path = values.get(("_pages_location", "pathname"))
    search = values.get(("_pages_location", "search")) or ""
    if not isinstance(path, str) or not isinstance(search, str) or len(path) > _MAX_SEARCH_CHARS:
        return None
    if not cacheable(search, get_store()):
        return None
    user = g.get("user")
    view = g.get("view")
    listing = view.library.listing_token if view is not None and view.library is not None else 0
    return ("router", path, search, user.role if user is not None else "", listing)


class _MemoBytes:
    """Answers drawn from data that is not a published version (a draft, a folder): kept in that data's
    own small cache, in this process only."""

    def __init__(self, store: DataStore):
        self.memo = store.memo

    def get(self, key: tuple) -> bytes | None:
        value = self.memo.peek(key)
        return value if isinstance(value, bytes) else None

    def set(self, key: tuple, value: bytes) -> None:
        self.memo.get_or_make(key, lambda: value)


def _where(store: DataStore, key: tuple):
    """(cache, key) for ``key``'s answer drawn from ``store``: the shared cache for a published version,
    else the data's own."""
    shared = cache_key(store, *key)
    return (shared_cache(), shared) if shared is not None else (_MemoBytes(store), key)


def install(server: Flask) -> None:
    @server.before_request
    def serve_cached():
        if request.method != "POST" or request.path != _CALLBACK:
            return None
        key = _router_key(request.get_data(cache=True))
        if key is None:
            return None
        store = get_store()
        cache, at = _where(store, key)
        cached = cache.get(at)
        if cached is not None:
            encoding = request.accept_encodings.best_match(list(_COMPRESS))
            if encoding is None or len(cached) < _COMPRESS_MIN_BYTES:
                return Response(cached, mimetype="application/json")
            packed_cache, packed_at = _where(store, (*key, encoding))
            packed = packed_cache.get(packed_at)
            if packed is None:
                packed = _COMPRESS[encoding](cached)
                packed_cache.set(packed_at, packed)
            response = Response(packed, mimetype="application/json")
            response.headers["Content-Encoding"] = encoding  # flask-compress leaves it as it is
            response.vary.add("Accept-Encoding")
            return response
        g.router_key = key
        return None

    @server.after_request
    def remember(response: Response) -> Response:
        key = g.pop("router_key", None)
        failed = g.pop("page_failed", False)  # set by components.page.not_to_be_kept
        if key is not None and response.status_code == 200 and not response.direct_passthrough and not failed:
            cache, at = _where(get_store(), key)
            cache.set(at, response.get_data())
        return response


def cached_answer(
    server: Flask, store: DataStore, path: str, search: str = "", role: str = "", encoding: str | None = None
) -> bytes | None:
    """The answer kept for the page at ``path`` with ``search``, drawn from ``store`` for ``role`` ('' when
    not signed in) and compressed with ``encoding`` (None: as drawn); None when none is kept."""
    with server.app_context():
        listing = server.extensions["spr"].library.listing_token
        key = ("router", path, search, role, listing, *((encoding,) if encoding else ()))
        cache, at = _where(store, key)
        return cache.get(at)


def router_request(path: str, search: str = "") -> bytes:
    """The body the Dash renderer POSTs to draw the page at ``path`` with query string ``search``."""
    return json.dumps(
        {
            "output": ROUTER_OUTPUT,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
        }
    ).encode()
