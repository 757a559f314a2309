"""Plain errors: a malformed request gets a 4xx, a genuine fault a 500 with its traceback in the log
(never in the answer), and every unknown address or method the same plain error page.

A callback request is checked before Dash runs it (``callback_problem``): a body that is not a
known callback's request is malformed (400). Anything that fails after that is the server's fault.
"""

from __future__ import annotations

import json
import logging
from html import escape

import dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

CALLBACK = "/_dash-update-component"
#: Paths whose errors are answered in JSON (the API and Dash's own requests).
JSON_PREFIXES = ("/api/", "/_dash")
#: The endpoints Dash answers every page address with (the page shell).
DASH_INDEX_ENDPOINTS = ("/", "/<path:path>")


def callback_problem(body: bytes, callback_map: dict) -> str | None:
    """Why ``body`` is not a request for one of the app's callbacks, or None when it is well formed."""
    try:
        payload = json.loads(body)
    except ValueError:
        return "the body is not JSON"
    if not isinstance(payload, dict):
        return "the body is not a JSON object"
    output = payload.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "no such callback"
    for key in ("inputs", "state"):
        items = payload.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict | list) for i in items):
            return f"'{key}' is not a list of inputs"
    return None


def error_page(status: int, title: str, message: str) -> Response:
    """The one plain error page for addresses that are not the API (no script, no trace)."""
    body = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>'
        f"{escape(title)} – SPR Board Dashboard</title></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        '<p><a href="/">Go to the overview</a></p></main></body></html>'
    )
    return Response(body, status=status, mimetype="text/html")


def install(app: dash.Dash) -> None:
    server = app.server

    @server.before_request
    def reject_malformed_callbacks():
        if request.method == "POST" and request.path == CALLBACK:
            problem = callback_problem(request.get_data(cache=True), app.callback_map)
            if problem is not None:
                log.warning("Rejected callback request: %s", problem)
                return jsonify({"error": f"Malformed callback request: {problem}.", "status": 400}), 400
        return None

    @server.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if request.path.startswith(JSON_PREFIXES):
            return jsonify({"error": err.description or err.name, "status": err.code}), err.code
        return error_page(err.code or 500, err.name, err.description or "")

    @server.errorhandler(Exception)
    def unexpected(err: Exception):
        # A well-formed request that failed is the server's fault: logged with its traceback, answered
        # 500 with none.
        log.exception("Unexpected error on %s %s", request.method, request.path)
        if request.path.startswith(JSON_PREFIXES):
            return jsonify({"error": "Internal server error: the problem has been logged.", "status": 500}), 500
        return error_page(500, "Something went wrong", "The problem has been logged. Please try again later.")

    @server.after_request
    def not_found_status(response: Response) -> Response:
        """The page shell for an address that is no page answers 404 (it still shows the 'not found' page)."""
        if (
            request.method == "GET"
            and request.endpoint in DASH_INDEX_ENDPOINTS
            and response.status_code == 200
            and response.mimetype == "text/html"
        ):
            from dash._pages import _path_to_page  # Dash's own page lookup (its one private name here)

            page, _ = _path_to_page(request.path.strip("/"))
            if not page:
                response.status_code = 404
        return response
