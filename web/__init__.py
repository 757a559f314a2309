"""The Flask plumbing around the Dash app, installed in one place, in one order (``install``).

Flask runs ``before_request`` hooks in the order they are added and ``after_request`` hooks in the
reverse, so the order here is the order a request meets them:

1. the size limit and the security headers (``security``);
2. errors: a malformed callback is refused before anything else answers it (``errors``);
3. sign-in: who is asking, CSRF, rate limits (``auth``);
4. the view: which version or draft, and whether sensitive datasets are in it (``view``); a download
   of sensitive figures asks the reader to confirm first (``confirm``);
5. caching: a page answered from the shared cache (``shared_cache``: Redis, or in-process), keyed by
   that view's version and the role (``page_cache``), and how long browsers keep files (``http_cache``);
6. the static files: the smaller plotly.js (``plotly_bundle``).
"""

from __future__ import annotations

import dash

from web import (
    admin,
    auth,
    confirm,
    errors,
    health,
    http_cache,
    page_cache,
    plotly_bundle,
    security,
    shared_cache,
    view,
)
from web.backend import Backend


def install(app: dash.Dash, svc: Backend) -> None:
    svc.install(app.server)
    shared_cache.install(app.server, svc.settings)
    health.install(app.server, svc)
    security.install(app)
    errors.install(app)
    auth.install(app.server, svc)
    admin.install(app.server, svc)
    view.install(app.server, svc)
    confirm.install(app.server)
    page_cache.install(app.server)
    http_cache.install(app.server)
    plotly_bundle.install(app.server)
