"""Security headers on every response, and plain errors for malformed requests.

The Content-Security-Policy allows only this server's own scripts, plus the exact inline
scripts Dash writes into each page (by hash, from ``app.csp_hashes()``); Plotly needs inline
styles. Nothing may frame the dashboard.
"""

from __future__ import annotations

import logging

import dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

#: Largest request body accepted (callbacks send small JSON; nothing uploads files).
MAX_REQUEST_BYTES = 256 * 1024


def content_security_policy(app: dash.Dash) -> str:
    hashes = " ".join(app.csp_hashes())  # already quoted: 'sha256-...'
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def harden(app: dash.Dash) -> None:
    """Add the headers, the request size limit and JSON/plain error pages to ``app.server``."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    @server.after_request
    def add_headers(response: Response) -> Response:
        # Worked out per response: Dash registers some inline scripts on its first request.
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    @server.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if request.path.startswith(("/api/", "/_dash")):
            return jsonify({"error": err.description or err.name, "status": err.code}), err.code
        return Response(f"{err.code} {err.name}: {err.description}\n", status=err.code, mimetype="text/plain")

    @server.errorhandler(Exception)
    def unexpected(err: Exception):
        # Malformed callback requests (bad JSON, unknown ids, wrong types) end up here: log them, and
        # answer 400 with no trace. Anything else is a 500, also without a trace.
        if request.path.startswith("/_dash-update-component"):
            log.warning("Rejected callback request: %s: %s", type(err).__name__, err)
            return jsonify({"error": "Malformed callback request.", "status": 400}), 400
        log.exception("Unexpected error on %s", request.path)
        return Response("500 Internal Server Error: the problem has been logged.\n", status=500, mimetype="text/plain")
