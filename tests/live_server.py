"""Run the app under gunicorn on a free loopback port, as `make run` does."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, env: dict[str, str] | None = None, workers: int = 2) -> subprocess.Popen:
    env = dict(env or {})
    # Each server its own database, unless the test shares one between servers.
    env.setdefault("SPR_STATE_DIR", tempfile.mkdtemp(prefix="spr-server-state-"))
    env["SPR_PORT"] = str(port)  # gunicorn.conf.py names the pidfile by it (servers may share a state folder)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        # The project's settings (the threaded worker, preloading), as `make run` uses them.
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "wsgi:server",
    ]
    # The server's output goes to a file: an unread pipe fills up and blocks the server.
    log = tempfile.NamedTemporaryFile("w+", prefix="spr-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proc.log_path = log.name
    return proc


def server_log(proc: subprocess.Popen) -> str:
    """What the server has written so far."""
    return Path(proc.log_path).read_text(encoding="utf-8", errors="replace")


def wait_until_up(proc: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{server_log(proc)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def running_app(env: dict[str, str] | None = None, workers: int = 2) -> Iterator[str]:
    """Yield the base URL of the app served by gunicorn; stop it afterwards."""
    port = free_port()
    proc = start_gunicorn(port, env, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/api/v1/datasets")
        yield base
    finally:
        stop(proc)
