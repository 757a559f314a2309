"""A cluster started for a test or a benchmark (``cluster_running``), with ways to stop and start its
pieces one at a time (``RunningCluster``): the faults the cluster must ride through, on real processes.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.cluster import ROOT, Layout, free_port


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


@dataclass
class RunningCluster:
    layout: Layout
    manifest: dict
    supervisor: subprocess.Popen

    @property
    def url(self) -> str:
        return self.manifest["url"].rstrip("/")

    def port(self, name: str) -> int:
        return self.manifest["ports"][name]

    def pid(self, name: str) -> int:
        return int(self.layout.pidfile(name).read_text().strip())

    def log(self, name: str) -> str:
        path = self.layout.log(name)
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGKILL, wait: float = 30) -> None:
        """Send ``sig`` to the piece's process group and wait until its leader has gone."""
        pid = self.pid(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.05)
        raise TimeoutError(f"{name} (pid {pid}) did not stop")

    def start(self, name: str) -> int:
        """Start the piece again exactly as the cluster first started it; returns its new pid."""
        command = self.manifest["commands"][name]
        proc = subprocess.Popen(
            command["argv"],
            cwd=ROOT,
            env={**os.environ, **command["env"]},
            stdout=self.layout.log(name).open("a"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.layout.pidfile(name).write_text(f"{proc.pid}\n")
        return proc.pid

    def request(
        self,
        path: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict | None = None,
        port=None,
        timeout: float = 60,
    ) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port("nginx"), timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return Answer(res.status, res.headers, res.read())
        finally:
            conn.close()


@contextlib.contextmanager
def cluster_running(home: Path, timeout: float = 300) -> Iterator[RunningCluster]:
    """``python -m deploy.cluster`` in ``home`` on a free port, until the block ends (then stopped by pid)."""
    home.mkdir(parents=True, exist_ok=True)
    layout = Layout(home)
    out = (home / "supervisor.log").open("a")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.cluster", "--dir", str(home), "--port", str(free_port())],
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the cluster did not start:\n{(home / 'supervisor.log').read_text()}")
            manifest = layout.read()
            if manifest.get("supervisor") == proc.pid:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the cluster did not start in {timeout:g} s")
            time.sleep(0.5)
        yield RunningCluster(layout, json.loads(layout.manifest.read_text()), proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        from deploy.cluster import stop

        stop(layout)
        named = layout.run / "postgres.folder"  # a database folder made outside ``home`` goes with it
        if named.exists() and Path(named.read_text().strip()).parent.name.startswith("spr-cluster-pg-"):
            shutil.rmtree(Path(named.read_text().strip()).parent, ignore_errors=True)
