"""Serve a smaller plotly.js: only the trace types the dashboard draws (bar, scatter, pie).

Dash loads plotly.js on demand, when the first chart appears, from one fixed address. This
answers that address with ``assets/vendor/plotly-basic.min.js`` (1.2 MB, about 330 KB with
brotli) instead of the full bundle (4.8 MB), so a chart draws sooner; the browser parses a
quarter of the code. The file must match the plotly.js version of the Python ``plotly``
package, whose figures it draws (tested).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, Response, request, send_file

BUNDLE_PATH = Path(__file__).resolve().parent.parent / "assets" / "vendor" / "plotly-basic.min.js"
#: The address the Dash renderer loads plotly.js from (dash-renderer sets ``window._dashPlotlyJSURL``).
DASH_PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
#: Trace types the bundle can draw; every figure the app shows must use only these.
TRACE_TYPES = frozenset({"bar", "scatter", "pie"})


def bundle_version(path: Path = BUNDLE_PATH) -> str:
    """The plotly.js version written in the bundle's header comment, e.g. '4.1.1'."""
    with path.open(encoding="utf-8") as f:
        head = f.read(300)
    match = re.search(r"plotly\.js \([^)]*\) v(\d+\.\d+\.\d+)", head)
    if not match:
        raise ValueError(f"{path}: no plotly.js version in the header")
    return match.group(1)


def already_has(if_none_match: set[str], etag: str) -> bool:
    """Whether the browser's If-None-Match names ``etag``, with or without the ':br' / ':gzip' that
    compression adds to it (so Flask's own check, which compares the bare tag, never matches)."""
    return any(tag.split(":", 1)[0] == etag for tag in if_none_match)


def install(server: Flask) -> None:
    """Answer Dash's plotly.js address with the smaller bundle (a static rule outranks Dash's)."""
    etag = hashlib.sha256(BUNDLE_PATH.read_bytes()).hexdigest()[:40]

    def plotly_js() -> Response:
        # The address has no version in it, so browsers check it (ETag) before reusing it: an
        # unchanged file costs a 304 with no body; an upgraded one is never served stale.
        if already_has(request.if_none_match.as_set(), etag):
            response = Response(status=304)
            response.set_etag(etag)
        else:
            response = send_file(BUNDLE_PATH, mimetype="text/javascript", etag=etag, conditional=False)
        response.cache_control.public = True
        response.cache_control.no_cache = True
        return response

    server.add_url_rule(DASH_PLOTLY_URL, "plotly_basic_bundle", plotly_js, methods=["GET"])
