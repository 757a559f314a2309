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
