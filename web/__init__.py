"""The Flask plumbing around the Dash app, installed in one place, in one order (``install``).

Flask runs ``before_request`` hooks in the order they are added and ``after_request`` hooks in the
reverse, so the order here is the order a request meets them: the size limit and headers; errors
(a malformed callback is refused before anything else answers it); sign-in (when it comes, before
any cached answer); caching (a page answered from the cache); the static files.
"""

from __future__ import annotations

from collections.abc import Callable

import dash

from data.loader import DataStore
from web import errors, http_cache, page_cache, plotly_bundle, security


def install(app: dash.Dash, get_store: Callable[[], DataStore]) -> None:
    security.install(app)
    errors.install(app)
    page_cache.install(app.server, get_store)
    http_cache.install(app.server)
    plotly_bundle.install(app.server)
