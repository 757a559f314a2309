"""The in-process exporter (``make run``): one job per file, finished files kept unless made without a
browser, progress reported while a file is being made. Stand-ins replace the drawing and the store."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from exports.spec import Done, ExportSpec, Pending
from jobs import queue


class DictCache:
    """The shared cache's two calls, over a dict."""

    def __init__(self) -> None:
        self.items: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.items.get(key)

    def set(self, key: str, body: bytes) -> None:
        self.items[key] = body


SPEC = ExportSpec(kind="pack", version=3, sensitive=False, fmt="pdf", sections=("public-order",))
STORE = SimpleNamespace(version=3, withheld=frozenset())


@pytest.fixture
def made(monkeypatch):
    """Each call of the (stand-in) drawing, which takes 0.2 s and reports two pictures drawn."""
    calls: list[str] = []

    def fake_make(spec, store, progress=None):
        calls.append(spec.fmt)
        for drawn in (1, 2):
            if progress is not None:
                progress(drawn)
            time.sleep(0.1)
        return f"file {spec.fmt} v{store.version}".encode()

    monkeypatch.setattr(queue, "make", fake_make)
    monkeypatch.setattr(queue, "browser_path", lambda: "/usr/bin/chromium")
    return calls


def test_the_same_file_asked_for_at_once_is_made_once_and_then_kept(made):
    exporter = queue.InProcessExporter(DictCache(), threads=2)
    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(exporter.result(SPEC, STORE, 5))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert made == ["pdf"]
    assert answers == [Done(b"file pdf v3")] * 4
    assert exporter.result(SPEC, STORE, 0) == Done(b"file pdf v3") and made == ["pdf"]


def test_a_short_wait_reports_progress_then_the_file(made):
    exporter = queue.InProcessExporter(DictCache())
    first = exporter.result(SPEC, STORE, 0.15)
    assert isinstance(first, Pending) and first.drawn >= 1
    assert exporter.result(SPEC, STORE, 5) == Done(b"file pdf v3")
    assert made == ["pdf"]


def test_a_file_made_without_a_browser_is_not_kept(made, monkeypatch):
    """Its pictures are words; once a browser is there, the next request gets the pictures."""
    cache = DictCache()
    exporter = queue.InProcessExporter(cache)
    monkeypatch.setattr(queue, "browser_path", lambda: None)
    assert exporter.result(SPEC, STORE, 5) == Done(b"file pdf v3")
    assert cache.items == {}
    monkeypatch.setattr(queue, "browser_path", lambda: "/usr/bin/chromium")
    assert exporter.result(SPEC, STORE, 5) == Done(b"file pdf v3")
    assert made == ["pdf", "pdf"] and len(cache.items) == 1


def test_a_draft_is_made_each_time_and_never_kept(made):
    cache = DictCache()
    exporter = queue.InProcessExporter(cache)
    draft = SimpleNamespace(version=None, withheld=frozenset())
    assert exporter.result(SPEC, draft, 5) == Done(b"file pdf vNone")
    assert exporter.result(SPEC, draft, 5) == Done(b"file pdf vNone")
    assert made == ["pdf", "pdf"] and cache.items == {}


class HeldExporter:
    """A stand-in shared queue whose files are never ready: each request waits as long as it is allowed
    (until ``free`` is set), and the waits it was allowed are recorded."""

    chart_wait = pack_wait = 5.0

    def __init__(self, shared: bool) -> None:
        self.shared = shared
        self.waits: list[float] = []
        self.free = threading.Event()

    def result(self, spec, store, wait: float):
        self.waits.append(wait)
        self.free.wait(wait)
        return Pending("queued", 0, 0.0)


def _export_app(store, exporter, max_waiting: int):
    from flask import Flask

    from exports.routes import create_blueprint

    app = Flask("export-test")
    app.register_blueprint(create_blueprint(lambda: store, exporter, max_waiting=max_waiting))
    return app.test_client()


IMAGE_URL = "/export/chart/organised-crime/rocu-justice.png"


def test_past_its_share_of_threads_waiting_a_worker_answers_being_made_at_once(store):
    exporter = HeldExporter(shared=True)
    client = _export_app(store, exporter, max_waiting=1)
    first = {}
    waiting = threading.Thread(target=lambda: first.setdefault("answer", client.get(IMAGE_URL)))
    waiting.start()
    deadline = time.monotonic() + 5
    while not exporter.waits and time.monotonic() < deadline:
        time.sleep(0.01)
    # One thread already waits on the queue: the next request is told at once that its file is being made.
    began = time.monotonic()
    second = client.get(IMAGE_URL)
    assert second.status_code == 202 and time.monotonic() - began < 1
    assert b"is being made" in second.data and second.headers["Retry-After"] == "3"
    assert exporter.waits == [5.0, 0.0]
    exporter.free.set()
    waiting.join()
    assert first["answer"].status_code == 202
    # The waiting thread is back: the next request may wait again; the page's script never waits long.
    client.get(IMAGE_URL)
    client.get(IMAGE_URL, headers={"X-SPR-Progress": "1"})
    assert exporter.waits[2:] == [5.0, 0.5]


def test_in_one_process_every_request_waits_for_its_file(store):
    """Under make run there is no shared queue to ask again: a request waits for its file."""
    exporter = HeldExporter(shared=False)
    exporter.free.set()
    client = _export_app(store, exporter, max_waiting=1)
    client.get(IMAGE_URL)
    client.get(IMAGE_URL, headers={"X-SPR-Progress": "1"})
    assert exporter.waits == [5.0, 5.0]
