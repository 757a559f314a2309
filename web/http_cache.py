"""How long browsers may keep what the server sends.

Files whose address names their version (Dash adds ``?m=<modified time>`` to ``/assets/`` files;
Bootstrap is linked with ``?v=<version>``; the favicon with ``?v=<dash version>``) are kept for a
year without asking again: a new version has a new address. Dash's own component bundles already
carry their version in the path and a year's lifetime. Pages, callbacks, the API and exports are
not cached (no ``Cache-Control`` change).
"""

from __future__ import annotations

from flask import Flask, Response, request

YEAR_S = 365 * 24 * 60 * 60
VERSIONED_PREFIXES = ("/assets/", "/_favicon.ico")


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
