"""Which data each request is answered from: a version, a draft, and what the reader may see.

Runs after sign-in (the reader's role decides whether sensitive datasets are in the data) and before
any cache, for every request but static files. The version is, in order:

1. for a Dash callback, the version the page was drawn from (``PAGE_VERSION_ID``, a store in the
   page), so a page and everything it asks for afterwards come from one version;
2. the address's ``?version=N`` (a pinned view) or, for analysts only, ``?draft=<id>``;
3. otherwise the current version (``Library.current``, which asks the database at most four times a second).

A version that does not exist gets a plain 404; a draft for anyone but an analyst gets the same 404.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
from collections.abc import Iterator

from flask import Flask, abort, g, request

from components.filters import URL_ID
from components.view_notice import PAGE_VERSION_ID
from data.loader import DataStore, bind_store, unbind_store
from data.published import NoSuchVersion, View, bind_view, unbind_view
from data.validation import DataError
from sections import links
from web.auth import may_see_sensitive
from web.backend import Backend

log = logging.getLogger(__name__)

#: Requests that read no data.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/static/", "/_favicon.ico")
PAGES_LOCATION = "_pages_location"
CALLBACK = "/_dash-update-component"
#: The store that draws every page, slide and export before data is served (``draw_check``): set by
#: the server itself, never by a request, and only for the requests it makes itself (a context
#: variable: a request answered meanwhile on another thread never sees it).
_forced: contextvars.ContextVar[DataStore | None] = contextvars.ContextVar("spr_forced_store", default=None)


@contextlib.contextmanager
def forced_store(store: DataStore) -> Iterator[DataStore]:
    """Answer the requests made in this context from ``store`` while the block runs (the server's own
    drawing check, through a test client in the same thread)."""
    token = _forced.set(store)
    try:
        yield store
    finally:
        _forced.reset(token)


def _callback_items() -> list[dict]:
    try:
        payload = json.loads(request.get_data(cache=True))
    except ValueError:
        return []
    items = [*payload.get("inputs", []), *payload.get("state", [])] if isinstance(payload, dict) else []
    return [i for i in items if isinstance(i, dict)]


def _address() -> tuple[str, str]:
    """The page address and query string the request is for (a callback's, from its page's location)."""
    if request.method == "POST" and request.path == CALLBACK:
        path, search = "/", ""
        for item in _callback_items():
            value = item.get("value")
            if item.get("id") in (PAGES_LOCATION, URL_ID) and isinstance(value, str):
                if item.get("property") == "pathname":
                    path = value
                elif item.get("property") == "search":
                    search = value
        return path, search
    query = request.query_string.decode("latin-1")
    return request.path, f"?{query}" if query else ""


def _drawn_pin() -> dict[str, str]:
    """For a callback, the version (or draft) its page was drawn from."""
    if request.method != "POST" or request.path != CALLBACK:
        return {}
    for item in _callback_items():
        value = item.get("value")
        if item.get("id") == PAGE_VERSION_ID and item.get("property") == "data" and isinstance(value, dict):
            return {k: str(v) for k, v in value.items() if k in links.PIN_PARAMS and v is not None}
    return {}


def resolve(svc: Backend) -> View:
    """The view this request asks for (aborts 404 for a version or draft that does not exist)."""
    library = svc.library
    user = g.get("user")
    sensitive = may_see_sensitive(user)
    path, search = _address()
    named = links.pin_of(search)  # what the reader's own address names
    pin = _drawn_pin() or named
    current = library.current()

    def view(store: DataStore, pinned: int | None = None, draft=None, cleared: bool = sensitive) -> View:
        return View(store, current, pinned, draft, cleared, library, path, search)

    forced = _forced.get()
    if forced is not None:
        return view(forced, cleared=True)
    if links.DRAFT in pin:
        draft = svc.versions.draft(pin[links.DRAFT]) if user is not None and user.can("analyst") else None
        if draft is None:
            abort(404, "There is no such draft, or you are not signed in as an analyst.")
        return view(_load(lambda: library.draft_store(draft, sensitive)), draft=draft)
    if links.VERSION in pin:
        text = pin[links.VERSION]
        if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
            abort(404, f"There is no version {text[:20]!r}: versions are numbered 1 to {current}.")
        number = int(text)
        if number > current:  # published a moment ago, perhaps, by another worker or server
            current = library.refresh_now()
        if number > current:
            abort(404, f"There is no version {number}: the current version is {current}.")
        store = _load(lambda: library.store(number, sensitive))
        return view(store, pinned=number if named.get(links.VERSION) == text else None)
    return view(_load(lambda: library.store(current, sensitive)))


def _load(get):
    try:
        return get()
    except NoSuchVersion as err:
        abort(404, str(err).capitalize() + ".")
    except DataError as err:
        log.error("A stored version could not be read by this release:\n%s", err.report())
        abort(409, "This version cannot be shown by this release of the dashboard; the problem has been logged.")


def install(server: Flask, svc: Backend) -> None:
    @server.before_request
    def choose_view():
        if request.path.startswith(STATIC_PREFIXES):
            return None
        view = resolve(svc)
        g.view = view
        g.view_tokens = (
            bind_store(view.store),
            bind_view(view),
            links.use_pin(
                {links.DRAFT: view.draft.id}
                if view.draft is not None
                else ({links.VERSION: str(view.pinned)} if view.pinned is not None else {})
            ),
        )
        return None

    @server.teardown_request
    def forget_view(_exc):
        tokens = g.pop("view_tokens", None)
        if tokens is not None:
            store_token, view_token, pin_token = tokens
            links.forget_pin(pin_token)
            unbind_view(view_token)
            unbind_store(store_token)
