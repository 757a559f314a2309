"""Benchmark: the page-drawing callback under load, beside a bare Flask route as the floor.

Starts gunicorn twice on loopback (the dashboard with gunicorn.conf.py; the floor app with the
same workers and timeouts), then drives each with 10, 50 and 100 concurrent clients for a fixed
number of requests. Reports p50/p95/p99 latency and requests per second (``run()`` for the
combined report; ``main()`` writes bench/results/callbacks.md). Loopback only; every run is
bounded in count and time.

The dashboard requests are what the browser sends when a filter is applied: the Dash Pages
router callback for a page and query string (a mix of pages and filter states). After the
warm-up each is answered from the cache, as repeat requests are when a board opens the same
links; the cost of a filter state nobody has asked for yet is in the data-scale benchmark.
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import free_port, start_gunicorn, stop, table, verdict, wait_until_up, write
from web.page_cache import router_request

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


TARGET_P95_RATIO = 2.0
TARGET_RPS_SHARE = 0.5
WORKERS = os.environ.get("SPR_WORKERS", "2")


def run() -> list[str]:
    env = {"SPR_WORKERS": WORKERS}
    results = []
    bodies = [router_request(p, s) for p, s in ROUTES]
    for label, args, path, payload in (
        ("Dashboard: page callback", ["-c", "gunicorn.conf.py", "wsgi:server"], "/_dash-update-component", bodies),
        ("Floor: bare Flask route", ["-c", "gunicorn.conf.py", "bench.floor_wsgi:server"], "/floor", [b"{}"]),
    ):
        port = free_port()
        proc = start_gunicorn(args, port, env)
        try:
            probe = "/api/v1/datasets" if "wsgi:server" in args else None
            if probe:
                wait_until_up(proc, f"http://127.0.0.1:{port}{probe}")
            else:
                time.sleep(3)
            drive(port, path, payload, 5)  # warm-up: every worker answers each request once
            for clients in CONCURRENCY:
                r = drive(port, path, payload, clients)
                results.append((label, clients, r))
                print(label, clients, {k: round(v, 4) for k, v in r.items()}, flush=True)
        finally:
            stop(proc)
    return report(results)


def report(results: list[tuple[str, int, dict[str, float]]]) -> list[str]:
    rows = [
        [
            label,
            clients,
            r["n"],
            r["errors"],
            f"{r['p50'] * 1000:.0f}",
            f"{r['p95'] * 1000:.0f}",
            f"{r['p99'] * 1000:.0f}",
            f"{r['rps']:,.0f}",
        ]
        for label, clients, r in results
    ]
    at50 = {label: r for label, clients, r in results if clients == 50}
    app, floor = at50["Dashboard: page callback"], at50["Floor: bare Flask route"]
    ratio = app["p95"] / floor["p95"]
    share = app["rps"] / floor["rps"]
    return [
        "## 1. Callback latency and throughput",
        "",
        f"- gunicorn with gunicorn.conf.py, {WORKERS} sync workers. Load generator: `bench/callbacks.py` "
        "(threads on the same machine, loopback only; gunicorn's sync workers close the connection after "
        "each answer, so every request opens one).",
        "- Dashboard: the page callback the browser sends when filters are applied (the Dash Pages router "
        "for a page and query string; a mix of six pages and filter states). After the warm-up every one is "
        "answered from the cache, as when a board opens the same shared links; a filter state nobody has asked "
        "for yet is drawn once (see section 3's callback times). Floor: a bare Flask route returning a small "
        "JSON, under the same gunicorn settings.",
        f"- {REQUESTS_PER_LEVEL} requests per level, each level capped at {TIME_LIMIT_S} s.",
        "",
        *table(
            ["Target", "Clients", "Requests", "Errors", "p50 (ms)", "p95 (ms)", "p99 (ms)", "Requests/s"],
            rows,
            right=range(1, 8),
        ),
        "",
        "| Target (50 clients) | Result | |",
        "|---|---:|---|",
        f"| p95 ≤ {TARGET_P95_RATIO:.0f}× the floor's | {ratio:.2f}× | {verdict(ratio <= TARGET_P95_RATIO)} |",
        f"| Throughput ≥ {TARGET_RPS_SHARE:.0%} of the floor's | {share:.0%} | {verdict(share >= TARGET_RPS_SHARE)} |",
    ]


def main() -> int:
    print(write("callbacks", "Callback latency and throughput", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
