"""Benchmark: the page-drawing callback under load, beside a bare Flask route as the floor.

Starts gunicorn twice on loopback (the dashboard with gunicorn.conf.py; the floor app with the
same workers and timeouts), then drives each with 10, 50 and 100 concurrent clients for a fixed
number of requests. Reports p50/p95/p99 latency and requests per second to
bench/results/callbacks.md. Loopback only; every run is bounded in count and time.

The dashboard requests are what the browser sends when a filter is applied: the Dash Pages
router callback for a page and query string (a mix of pages and filter states).
"""

from __future__ import annotations

import http.client
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from router_cache import router_request  # noqa: E402
from tests.live_server import free_port, stop, wait_until_up  # noqa: E402

CONCURRENCY = (10, 50, 100)
REQUESTS_PER_LEVEL = 1500
TIME_LIMIT_S = 60
ROUTES = [
    ("/organised-crime", ""),
    ("/organised-crime", "?strand=Pursue"),
    ("/referral-trends", "?force=England+and+Wales"),
    ("/venetic", ""),
    ("/", ""),
    ("/counter-terrorism", "?strand=Prevent"),
]


def start(args: list[str], port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *args],
        cwd=ROOT,
        env={**os.environ, **env, "SPR_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def drive(port: int, path: str, bodies: list[bytes], clients: int) -> dict[str, float]:
    """``REQUESTS_PER_LEVEL`` POSTs from ``clients`` threads, each on its own connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S
    per_client = REQUESTS_PER_LEVEL // clients

    def client(k: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(per_client):
            if time.monotonic() > deadline:
                break
            body = bodies[(k + i) % len(bodies)]
            start_t = time.perf_counter()
            try:
                conn.request(
                    "POST", path, body=body, headers={"Content-Type": "application/json", "Accept-Encoding": "br"}
                )
                res = conn.getresponse()
                res.read()
                ok = res.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - start_t
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
        conn.close()

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    wall = time.perf_counter() - begin
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [float("nan")] * 99
    return {
        "n": len(latencies),
        "errors": errors,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "rps": len(latencies) / wall,
    }


def main() -> int:
    workers = os.environ.get("SPR_WORKERS", "2")
    env = {"SPR_WORKERS": workers}
    results = []
    bodies = [router_request(p, s) for p, s in ROUTES]
    for label, args, path, payload in (
        ("Dashboard: page callback", ["-c", "gunicorn.conf.py", "app:server"], "/_dash-update-component", bodies),
        (
            "Floor: bare Flask route",
            ["-c", "gunicorn.conf.py", "bench.floor_app:server"],
            "/floor",
            [b"{}"],
        ),
    ):
        port = free_port()
        proc = start(args, port, env)
        try:
            probe = "/api/v1/datasets" if "app:server" in args else None
            if probe:
                wait_until_up(proc, f"http://127.0.0.1:{port}{probe}")
            else:
                time.sleep(3)
            drive(port, path, payload, 5)  # warm-up: every worker builds and caches its pages
            for clients in CONCURRENCY:
                r = drive(port, path, payload, clients)
                results.append((label, clients, r))
                print(label, clients, {k: round(v, 4) for k, v in r.items()}, flush=True)
        finally:
            stop(proc)
    lines = [
        "# Callback latency and throughput",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        f"- gunicorn with gunicorn.conf.py, {workers} sync workers; load generator: {Path(__file__).name} "
        "(threads, one keep-alive connection each) on the same machine, loopback only.",
        f"- {REQUESTS_PER_LEVEL} requests per level, each level capped at {TIME_LIMIT_S} s.",
        "",
        "| Target | Clients | Requests | Errors | p50 (ms) | p95 (ms) | p99 (ms) | Requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, clients, r in results:
        lines.append(
            f"| {label} | {clients} | {r['n']} | {r['errors']} | {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | "
            f"{r['p99'] * 1000:.0f} | {r['rps']:.0f} |"
        )
    report = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "callbacks.md"
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
