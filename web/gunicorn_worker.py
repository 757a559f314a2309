"""The gunicorn worker the dashboard runs on: gunicorn's threaded worker, with the security headers on
gunicorn's own error pages too.

gunicorn answers a request it cannot read (a bad request line, headers too large, a body it cannot
parse) itself, before the app sees it, so the app's ``after_request`` headers never reach those
answers. Behind nginx, nginx adds them; under ``make run`` nothing else would. This worker writes them
into the head of gunicorn's error answer.

Threads (``SPR_THREADS`` a worker) let a worker answer pages while another of its requests waits on an
export job, so an image being drawn elsewhere does not hold a page up.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from web.security import FALLBACK_CSP, SECURITY_HEADERS

#: The lines added to the head of gunicorn's own error answers.
ERROR_HEADERS = b"".join(
    f"{name}: {value}\r\n".encode("latin-1")
    for name, value in {
        **SECURITY_HEADERS,
        "Content-Security-Policy": FALLBACK_CSP,
        "Cache-Control": "no-store",
    }.items()
)


def with_headers(answer: bytes) -> bytes:
    """``answer`` (a whole HTTP answer) with ``ERROR_HEADERS`` after its status line."""
    status, sep, rest = answer.partition(b"\r\n")
    if not sep:
        return answer
    return status + sep + ERROR_HEADERS + rest


class _HeaderedSocket:
    """A client socket whose ``sendall`` adds the error headers to the answer's head (sent in one call)."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._sent = False

    def sendall(self, data: bytes, *args: Any) -> None:
        if not self._sent:
            self._sent = True
            data = with_headers(data)
        self._sock.sendall(data, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class HeaderedThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker; its own error answers carry the security headers."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, _HeaderedSocket(client), addr, exc)
