"""Security headers on every response, and the request size limit.

The Content-Security-Policy allows only this server's own scripts, plus the exact inline
scripts Dash writes into each page (by hash, from ``app.csp_hashes()``); Plotly needs inline
styles. Nothing may frame the dashboard.
"""

from __future__ import annotations

import dash
from flask import Response

#: Largest request body accepted (callbacks send small JSON).
MAX_REQUEST_BYTES = 256 * 1024
#: Addresses that take a larger body (an analyst's upload), and how large; ``web.auth`` raises the
#: limit for them only once it knows the request is an analyst's.
LARGE_BODIES: dict[str, int] = {}


#: Sent with every answer, the app's and gunicorn's own error pages alike (nginx adds HSTS in front).
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
#: For answers that carry no page of the app's (gunicorn's and nginx's own error pages, static files).
FALLBACK_CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"


def allow_large_body(path: str, limit: int) -> None:
    LARGE_BODIES[path] = limit


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


def install(app: dash.Dash) -> None:
    """The request size limit, and the security headers on every response (error pages included)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    @server.after_request
    def add_headers(response: Response) -> Response:
        # Worked out per response: Dash registers some inline scripts on its first request.
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
