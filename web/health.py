"""``/healthz``: whether this server can answer, for nginx, ``make cluster`` and an operator's monitor.

200 with the version served ("ok: version 3"), or 503 when no version can be served. Never cached.
"""

from __future__ import annotations

import logging

from flask import Flask, Response

from web.backend import Backend

log = logging.getLogger(__name__)
PATH = "/healthz"


def install(server: Flask, svc: Backend) -> None:
    @server.get(PATH)
    def healthz() -> Response:
        try:
            current = svc.library.current()
        except Exception as err:  # nothing loaded and no database: this server cannot serve
            log.error("Health check: no version can be served (%s)", err.__class__.__name__)
            return Response("unavailable: no version can be served\n", status=503, mimetype="text/plain")
        response = Response(f"ok: version {current}\n", mimetype="text/plain")
        response.cache_control.no_store = True
        return response
