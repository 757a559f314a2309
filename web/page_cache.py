"""Serve the Dash Pages router's answer from a cache, per page address, query string and role.

Drawing a page is a pure function of its address, its query string (the filters and the version),
the data and the reader's role, so the serialised answer is kept in the bounded cache of the data
the request is answered from (``web.view`` chose it, after sign-in: the public and the cleared see
different data, each with its own cache). A repeat request skips Dash's layout building and JSON
encoding entirely, and its compressed form is kept too (brotli or gzip, as the browser accepts), so
it is not compressed again on every request. New data brings an empty cache; a change to the list of
versions (a publish, a version marked as presented) is in the key.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable

import brotli
from flask import Flask, Response, g, request

from data.loader import DataStore, get_store

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
    if not isinstance(path, str) or not isinstance(search, str):
        return None
    user = g.get("user")
    view = g.get("view")
    listing = view.library.listing_token if view is not None and view.library is not None else 0
    return ("router", path, search, user.role if user is not None else "", listing)


def install(server: Flask) -> None:
    @server.before_request
    def serve_cached():
        if request.method != "POST" or request.path != _CALLBACK:
            return None
        key = _router_key(request.get_data(cache=True))
        if key is None:
            return None
        memo = get_store().memo
        cached = memo.peek(key)
        if cached is not None:
            encoding = request.accept_encodings.best_match(list(_COMPRESS))
            if encoding is None or len(cached) < _COMPRESS_MIN_BYTES:
                return Response(cached, mimetype="application/json")
            packed = memo.get_or_make((*key, encoding), lambda: _COMPRESS[encoding](cached))
            response = Response(packed, mimetype="application/json")
            response.headers["Content-Encoding"] = encoding  # flask-compress leaves it as it is
            response.vary.add("Accept-Encoding")
            return response
        g.router_key = key
        return None

    @server.after_request
    def remember(response: Response) -> Response:
        key = g.pop("router_key", None)
        failed = g.pop("page_failed", False)  # set by components.page.safe_layout
        if key is not None and response.status_code == 200 and not response.direct_passthrough and not failed:
            body = response.get_data()
            get_store().memo.get_or_make(key, lambda: body)
        return response


def cached_answer(store: DataStore, path: str, search: str = "", role: str = "", encoding: str | None = None):
    """The answer kept in ``store``'s cache for the page at ``path`` with ``search``, drawn for ``role``
    ('' when not signed in) and compressed with ``encoding`` (None: as drawn); None when none is kept."""
    wanted = ("router", path, search, role)
    for key in store.memo.held():
        if key[:4] == wanted and (key[5:] == (encoding,) if encoding else len(key) == 5):
            return store.memo.peek(key)
    return None


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
