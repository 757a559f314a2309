"""How long browsers may keep what the server sends.

Files whose address names their version (Dash adds ``?m=<modified time>`` to ``/assets/`` files;
Bootstrap is linked with ``?v=<version>``; the favicon with ``?v=<dash version>``) are kept for a
year without asking again: a new version has a new address. Dash's own component bundles already
carry their version in the path and a year's lifetime.

Everything else says how it may be kept, unless its route said already (``/healthz``, a pack still
being made: ``no-store``):
- sign-in, accounts, users and publishing: ``no-store`` (forms with a CSRF token, a user's own details);
- page callbacks: ``no-store`` (the answer is drawn for this reader's role and version);
- pages, the API and downloads: ``private, no-cache``: a browser may keep them but asks again each time
  (a new version may have been published), and no shared proxy keeps them (they differ by reader).
"""

from __future__ import annotations

from flask import Flask, Response, request

YEAR_S = 365 * 24 * 60 * 60
VERSIONED_PREFIXES = ("/assets/", "/_favicon.ico")
#: Answers never kept anywhere.
NO_STORE_PREFIXES = ("/sign-in", "/sign-out", "/account", "/admin", "/publish", "/_dash-update-component")


def is_versioned(path: str, args) -> bool:
    """True for a static file requested with its version in the query string."""
    return path.startswith(VERSIONED_PREFIXES) and bool(args.get("m") or args.get("v"))


def install(server: Flask) -> None:
    @server.after_request
    def long_cache_for_versioned_files(response: Response) -> Response:
        if request.method == "GET" and response.status_code in (200, 304) and is_versioned(request.path, request.args):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR_S
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
            return response
        if "Cache-Control" in response.headers or request.path.startswith(("/_dash-component-suites/", "/assets/")):
            return response  # said by its route, or a static file Dash or the bundle route already labels
        if request.path.startswith(NO_STORE_PREFIXES):
            response.cache_control.no_store = True
        else:
            response.cache_control.private = True
            response.cache_control.no_cache = True
        return response
