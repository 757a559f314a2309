"""The cluster (``make cluster``) on real processes: nginx in front of three gunicorn servers, PostgreSQL,
Redis and two export workers, and the faults it must ride through: a server killed under load, Redis
stopped, PostgreSQL restarted, an export worker's browser hung or crashed, the worker itself killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from deploy.cluster import ROOT, _pg_bin
from deploy.harness import RunningCluster, cluster_running
from web.page_cache import router_request

pytestmark = pytest.mark.cluster

JSON = {"Content-Type": "application/json"}
IMAGE = "/export/chart/organised-crime/rocu-justice"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> RunningCluster:
    with cluster_running(tmp_path_factory.mktemp("cluster")) as running:
        yield running


def _page(cluster: RunningCluster, path: str = "/venetic", search: str = "", port=None):
    return cluster.request("/_dash-update-component", "POST", router_request(path, search), JSON, port=port)


def _redis_keys(cluster: RunningCluster) -> int:
    out = subprocess.run(
        ["redis-cli", "-p", str(cluster.port("redis")), "dbsize"], capture_output=True, text=True, timeout=10
    )
    return int(out.stdout.strip())


def _wait(check, timeout: float = 30, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(step)
    raise AssertionError(f"not true within {timeout} s")


def _healthy(cluster: RunningCluster, name: str) -> bool:
    try:
        return cluster.request("/healthz", port=cluster.port(name), timeout=2).status == 200
    except OSError:
        return False


def test_pages_callbacks_and_static_files_come_through_nginx_with_their_headers(cluster):
    page = cluster.request("/")
    assert page.status == 200
    assert page.header_values("X-Frame-Options") == ["DENY"]  # once: nginx's, not the app's as well
    assert page.header_values("Strict-Transport-Security")
    (csp,) = page.header_values("Content-Security-Policy")
    assert "script-src 'self' 'sha256-" in csp  # the app's own policy, with its inline scripts' hashes
    assert "Venetic" in _page(cluster).body.decode()
    refused = cluster.request("/" + "x" * 10_000)  # nginx's own error page
    assert refused.status == 414
    assert refused.header_values("X-Content-Type-Options") == ["nosniff"]
    assert refused.header_values("Content-Security-Policy")[0].startswith("default-src 'none'")
    static = cluster.request("/assets/app.css?m=1")
    assert static.status == 200 and "immutable" in static.headers["Cache-Control"]


def test_slow_clients_wait_on_nginx_not_on_a_worker(cluster):
    # Six sync workers in all: twenty clients that never finish their headers would hold every one.
    slow = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", cluster.port("nginx")))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(s)
    try:
        for _ in range(6):
            assert cluster.request("/", timeout=10).status == 200
    finally:
        for s in slow:
            s.close()


def test_every_server_shares_one_cache_and_a_made_up_filter_is_never_kept(cluster):
    before = _redis_keys(cluster)
    first = _page(cluster, "/counter-terrorism", "?strand=Protect", port=cluster.port("app-1"))
    assert first.status == 200 and _redis_keys(cluster) > before
    kept = _redis_keys(cluster)
    again = _page(cluster, "/counter-terrorism", "?strand=Protect", port=cluster.port("app-3"))
    assert again.body == first.body and _redis_keys(cluster) == kept  # served from what app-1 kept
    made_up = _page(cluster, "/counter-terrorism", "?strand=" + "x" * 3000, port=cluster.port("app-2"))
    assert made_up.status == 200 and b"figures do not have" in made_up.body
    assert _redis_keys(cluster) == kept


def test_a_pack_is_queued_shows_its_progress_and_the_second_request_is_immediate(cluster):
    path = "/export/pack.pptx?section=public-order&force=West+Midlands+Police"
    progress = {"X-SPR-Progress": "1"}
    answers = []
    for _ in range(120):
        got = cluster.request(path, headers=progress)
        answers.append(got.status)
        if got.status != 202:
            break
        state = json.loads(got.body)
        assert state["state"] in ("queued", "running") and "board pack" in state["message"]
        assert got.headers["Cache-Control"] == "no-store"
        time.sleep(0.5)
    assert answers[-1] == 200 and got.body[:2] == b"PK", answers
    started = time.monotonic()
    again = cluster.request(path)
    assert again.status == 200 and again.body == got.body
    assert time.monotonic() - started < 5  # from the cache, not made again


def test_killing_an_app_server_under_load_loses_no_request(cluster):
    failures, answered = [], []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            for kind in ("page", "callback"):
                try:
                    got = cluster.request("/organised-crime") if kind == "page" else _page(cluster, "/county-lines")
                    (answered if got.status == 200 else failures).append((kind, got.status))
                except OSError as err:
                    failures.append((kind, repr(err)))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(2)
    cluster.kill("app-2")
    time.sleep(4)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    try:
        assert answered and failures == []
    finally:
        cluster.start("app-2")
        _wait(lambda: _healthy(cluster, "app-2"), timeout=120)


def test_pages_answer_while_redis_is_down_and_are_cached_again_when_it_returns(cluster):
    cluster.kill("redis")
    try:
        for search in ("", "?strand=Prevent", "?strand=Pursue"):
            assert _page(cluster, "/counter-terrorism", search).status == 200
        assert cluster.request("/overview" if False else "/").status == 200
        image = cluster.request(IMAGE + ".svg?size=document")  # made by the server itself meanwhile
        assert image.status == 200 and b"<svg" in image.body
        logs = "".join(cluster.log(f"app-{i}") for i in (1, 2, 3))
        assert "The shared cache (Redis) is not answering" in logs
    finally:
        cluster.start("redis")
    _wait(
        lambda: (
            subprocess.run(
                ["redis-cli", "-p", str(cluster.port("redis")), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        )
    )
    # Once its rest is over (5 s), each server keeps answers in Redis again.
    _wait(lambda: _page(cluster, "/venetic", "?strand=Pursue").status == 200 and _redis_keys(cluster) > 0, 30, 1)


def test_the_last_good_version_serves_through_a_postgres_restart_and_publishing_works_after(cluster, tmp_path):
    cluster.kill("postgres", signal.SIGINT)  # a fast shutdown, as a restart does
    try:
        for name in ("app-1", "app-2", "app-3"):
            got = cluster.request("/healthz", port=cluster.port(name))
            assert got.status == 200 and b"version 1" in got.body
        assert cluster.request("/").status == 200 and _page(cluster, "/public-order").status == 200
        _wait(lambda: "The database is not answering" in "".join(cluster.log(f"app-{i}") for i in (1, 2, 3)), 10)
    finally:
        cluster.start("postgres")
    port = str(cluster.port("postgres"))
    _wait(lambda: subprocess.run([_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", port]).returncode == 0, 60)
    folder = tmp_path / "tables"
    subprocess.run(["cp", "-r", str(ROOT / "data" / "tables"), str(folder)], check=True)
    datasets = folder / "datasets.csv"
    datasets.write_text(
        datasets.read_text().replace("Terrorism threat picture", "Terrorism threat picture (revised)", 1)
    )
    env = {**cluster.manifest["commands"]["app-1"]["env"]}
    published = subprocess.run(
        [sys.executable, "-m", "web", "publish", str(folder), "--note", "after the restart", "--by", "cluster test"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert published.returncode == 0, published.stderr[-2000:]
    done = time.monotonic()
    # Each server watched by a thread of its own, so one slow answer does not delay seeing another.
    seen: dict[str, float] = {}

    def watch(name: str) -> None:
        while time.monotonic() - done < 10 and name not in seen:
            try:
                if b"version 2" in cluster.request("/healthz", port=cluster.port(name), timeout=5).body:
                    seen[name] = time.monotonic()
            except OSError:
                pass
            time.sleep(0.02)

    watchers = [threading.Thread(target=watch, args=(f"app-{i}",)) for i in (1, 2, 3)]
    for t in watchers:
        t.start()
    for t in watchers:
        t.join()
    assert len(seen) == 3, seen
    assert max(seen.values()) - done <= 2.0, {n: round(t - done, 2) for n, t in seen.items()}  # with no signal


def _browsers_of(pid: int) -> list[int]:
    """The process groups of the Chromium browsers that process ``pid`` started (each is in a session of
    its own, led by choreographer's wrapper around Chromium)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        ppid, pgid = int(fields[1]), int(fields[2])
        if ppid == pid and pgid == int(proc.name) and b"chromium" in command:
            found.append(pgid)
    return found


def test_export_workers_give_the_app_servers_the_cpu_first(cluster):
    # The worker process (figures, packs); Chromium run as root sets its own priorities, so it is not
    # asserted here.
    for name in ("export-1", "export-2"):
        assert os.getpriority(os.PRIO_PROCESS, cluster.pid(name)) == 10, name
    for name in ("app-1", "app-2", "app-3"):
        assert os.getpriority(os.PRIO_PROCESS, cluster.pid(name)) == 0, name


def test_an_export_worker_replaces_a_hung_or_crashed_browser_and_is_itself_restarted(cluster):
    workers = ("export-1", "export-2")
    # Each worker starts its browser before its first job.
    _wait(lambda: all(_browsers_of(cluster.pid(name)) for name in workers), timeout=60)
    # Hung: every browser stops answering. The export is stopped at the time limit, that browser is
    # killed, and the next export comes.
    hung = [b for name in workers for b in _browsers_of(cluster.pid(name))]
    for browser in hung:
        os.killpg(browser, signal.SIGSTOP)
    stuck = cluster.request(IMAGE + ".pdf", timeout=90)
    assert stuck.status == 503 and b"took longer than 30 seconds" in stuck.body
    for browser in hung:
        with contextlib.suppress(ProcessLookupError):  # the one that hung is killed by now
            os.killpg(browser, signal.SIGCONT)
    assert cluster.request(IMAGE + ".pdf", timeout=90).status == 200
    # Crashed: every browser killed; the next export still comes.
    for name in workers:
        for browser in _browsers_of(cluster.pid(name)):
            os.killpg(browser, signal.SIGKILL)
    assert cluster.request(IMAGE + ".svg").status == 200
    # The worker itself killed: the cluster starts another, and exports go on.
    old = cluster.pid("export-1")
    cluster.kill("export-1")
    _wait(lambda: cluster.pid("export-1") != old, timeout=20)
    assert cluster.request(IMAGE + ".png").status == 200
