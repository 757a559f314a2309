"""One Chromium, through kaleido, that draws figures as PNG, SVG or PDF, and is replaced when it fails.

kaleido's own sync server cannot be stopped while a render is stuck (stopping waits for the stuck
render), so a hung browser spoiled every later export in that process. Here the browser runs on an
event loop of its own, on its own thread:

- a render past its time limit kills that Chromium (its whole process group) and abandons its loop;
- a Chromium that has died (crashed, or killed from outside) is noticed before the next render;
- either way the next render starts a new one, so one failure spoils only the render it happened in.

Starting the browser has its own time limit, apart from the render's: a first render on a busy machine
is not cut short by the browser's start.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import signal
import threading
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


class RenderTimeout(RuntimeError):
    """The render (or the browser's start) took longer than its limit; that browser was killed."""


@dataclass
class _Browser:
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    kaleido: object
    #: The process that started it: a forked child (a gunicorn worker) never uses or kills its parent's.
    owner: int = field(default_factory=os.getpid)

    def alive(self) -> bool:
        process = getattr(self.kaleido, "subprocess", None)
        return self.thread.is_alive() and process is not None and process.poll() is None

    def pid(self) -> int | None:
        process = getattr(self.kaleido, "subprocess", None)
        return process.pid if process is not None else None


@dataclass
class Renderer:
    """Renders one figure at a time (``render``) with one Chromium, started on first use."""

    render_limit: float = 30.0
    start_limit: float = 60.0
    #: How many browsers this renderer has started (a restart adds one).
    starts: int = 0
    _browser: _Browser | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def render(self, fig, opts: dict) -> bytes:
        """The figure drawn with kaleido's ``opts`` (format, width, height, scale). Raises RenderTimeout
        past the time limit, or the browser's own error. A browser found dead (before the render, or by
        it) is replaced and the render tried once more on the new one."""
        with self._lock:
            for attempt in (1, 2):
                browser = self._ready()
                future = asyncio.run_coroutine_threadsafe(browser.kaleido.calc_fig(fig, opts=opts), browser.loop)
                try:
                    return future.result(timeout=self.render_limit)
                except concurrent.futures.TimeoutError:
                    future.cancel()
                    log.error(
                        "A render took over %s s: killing its Chromium (pid %s)", self.render_limit, browser.pid()
                    )
                    self._discard()
                    raise RenderTimeout(f"rendering took over {self.render_limit:g} s") from None
                except Exception:
                    if browser.alive():
                        raise
                    log.error("Chromium (pid %s) died during a render; starting a new one", browser.pid())
                    self._discard()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def warm(self) -> None:
        """Start the browser now, so the first render does not wait for it."""
        with self._lock:
            self._ready()

    def reset(self) -> None:
        """Kill the browser now (a job that ran past its limit); the next render starts a new one."""
        with self._lock:
            self._discard()

    def browser_pid(self) -> int | None:
        """The running Chromium's process id (None before the first render or after a failure)."""
        browser = self._browser
        mine = browser is not None and browser.owner == os.getpid()
        return browser.pid() if mine and browser.alive() else None

    def stop(self) -> None:
        """Close the browser (at exit); a stuck one is killed."""
        with self._lock:
            browser, self._browser = self._browser, None
        if browser is None or browser.owner != os.getpid():
            return
        try:
            asyncio.run_coroutine_threadsafe(browser.kaleido.close(), browser.loop).result(timeout=5)
        except Exception:  # closing at exit: kill whatever is left
            _kill(browser)
        browser.loop.call_soon_threadsafe(browser.loop.stop)

    def _ready(self) -> _Browser:
        if self._browser is not None and self._browser.owner != os.getpid():
            self._browser = None  # the parent's browser, inherited through fork: not ours to use or kill
        if self._browser is not None and not self._browser.alive():
            log.warning("Chromium (pid %s) is no longer running; starting a new one", self._browser.pid())
            self._discard()
        if self._browser is None:
            self._browser = self._start()
        return self._browser

    def _start(self) -> _Browser:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()
        # kaleido's own limit is a backstop; ours (above) kills the browser.
        k = kaleido.Kaleido(n=1, timeout=self.render_limit * 2, mathjax=False)
        browser = _Browser(loop, thread, k)
        future = asyncio.run_coroutine_threadsafe(k.open(), loop)
        try:
            future.result(timeout=self.start_limit)
        except concurrent.futures.TimeoutError:
            future.cancel()
            _kill(browser)
            loop.call_soon_threadsafe(loop.stop)
            log.error("Chromium did not start within %s s", self.start_limit)
            raise RenderTimeout(f"the browser did not start within {self.start_limit:g} s") from None
        except Exception:
            _kill(browser)
            loop.call_soon_threadsafe(loop.stop)
            raise
        self.starts += 1
        log.info("Chromium started for images (pid %s)", browser.pid())
        return browser

    def _discard(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            _kill(browser)
            browser.loop.call_soon_threadsafe(browser.loop.stop)


def _kill(browser: _Browser) -> None:
    """Kill the browser's process group (Chromium and its helpers: choreographer starts it in its own)."""
    pid = browser.pid()
    if pid is None:
        return
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
            break
        except (ProcessLookupError, PermissionError):
            continue
    process = getattr(browser.kaleido, "subprocess", None)
    if process is not None:
        with contextlib.suppress(Exception):  # a zombie left behind is reaped by the next wait or at exit
            process.wait(timeout=5)
