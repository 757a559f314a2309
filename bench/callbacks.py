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
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, free_port, start_gunicorn, stop, table, verdict, wait_until_up, write
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


def drive(
    port: int, path: str, bodies: list[bytes], clients: int, headers: dict[str, str] | None = None, fresh: bool = False
) -> dict[str, float]:
    """``REQUESTS_PER_LEVEL`` POSTs from ``clients`` threads, each on its own connection (with
    ``headers``; ``fresh``: each request's query string made new, so that none is answered from the
    page cache)."""
    sent = {"Content-Type": "application/json", "Accept-Encoding": "br", **(headers or {})}
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
            if fresh:
                body = _SEARCH.sub(lambda m, n=f"n={k}-{i}": _fresh(m, n), body, count=1)
            start_t = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=sent)
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


_SEARCH = re.compile(rb'("property": "search", "value": ")([^"]*)"')


def _fresh(match: re.Match, extra: str) -> bytes:
    """The router request's query string with ``extra`` added to it."""
    search = match.group(2).decode()
    return match.group(1) + (search + ("&" if search else "?") + extra).encode() + b'"'


TARGET_P95_RATIO = 2.0
TARGET_RPS_SHARE = 0.5
WORKERS = os.environ.get("SPR_WORKERS", "2")


BENCH_USER = "bench-analyst"
BENCH_PASSWORD = "synthetic password for the benchmark"  # a throwaway database of the benchmark's own


def signed_in_cookie(port: int, state_dir: str) -> str:
    """A session cookie for an analyst made in the server's own (throwaway) database, signed in as a
    browser does: the sign-in page's CSRF token, then the form."""
    import requests

    subprocess.run(
        [sys.executable, "-m", "web", "users", "add", BENCH_USER, "--role", "analyst", "--password-stdin"],
        cwd=ROOT,
        env={**os.environ, "SPR_STATE_DIR": state_dir},
        input=BENCH_PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    browser = requests.Session()
    base = f"http://127.0.0.1:{port}"
    page = browser.get(base + "/sign-in", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = browser.post(
        base + "/sign-in",
        data={"username": BENCH_USER, "password": BENCH_PASSWORD, "csrf_token": token, "next": "/"},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 303:
        raise RuntimeError(f"could not sign in for the benchmark: {answer.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def run() -> list[str]:
    import tempfile

    results = []
    bodies = [router_request(p, s) for p, s in ROUTES]
    callback = "/_dash-update-component"
    state = tempfile.mkdtemp(prefix="spr-bench-state-")
    env = {"SPR_WORKERS": WORKERS, "SPR_STATE_DIR": state}
    port = free_port()
    proc = start_gunicorn(["-c", "gunicorn.conf.py", "wsgi:server"], port, env)
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}/api/v1/datasets")
        analyst = {"Cookie": signed_in_cookie(port, state)}
        for label, headers in ((DASHBOARD, {}), (SIGNED_IN, analyst)):
            drive(port, callback, bodies, 5, headers)  # warm-up: every worker answers each request once
            for clients in CONCURRENCY:
                results.append((label, clients, _say(label, clients, drive(port, callback, bodies, clients, headers))))
        results.append((UNCACHED, 50, _say(UNCACHED, 50, drive(port, callback, bodies, 50, fresh=True))))
    finally:
        stop(proc)
    port = free_port()
    proc = start_gunicorn(["-c", "gunicorn.conf.py", "bench.floor_app:server"], port, env)
    try:
        time.sleep(3)
        drive(port, "/floor", [b"{}"], 5)
        for clients in CONCURRENCY:
            results.append((FLOOR, clients, _say(FLOOR, clients, drive(port, "/floor", [b"{}"], clients))))
    finally:
        stop(proc)
    return report(results)


DASHBOARD = "Dashboard: page callback"
SIGNED_IN = "Dashboard: page callback, signed in as an analyst"
UNCACHED = "Dashboard: page callback, a new query string every time (drawn, not cached)"
FLOOR = "Floor: bare Flask route"


def _say(label: str, clients: int, r: dict[str, float]) -> dict[str, float]:
    print(label, clients, {k: round(v, 4) for k, v in r.items()}, flush=True)
    return r


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
    app, floor, signed, drawn = at50[DASHBOARD], at50[FLOOR], at50[SIGNED_IN], at50[UNCACHED]
    ratio = app["p95"] / floor["p95"]
    share = app["rps"] / floor["rps"]
    signed_ratio = signed["p95"] / floor["p95"]
    gain = app["rps"] / drawn["rps"] if drawn["rps"] else float("inf")
    return [
        "## 1. Callback latency and throughput",
        "",
        f"- gunicorn with gunicorn.conf.py, {WORKERS} sync workers. Load generator: `bench/callbacks.py` "
        "(threads on the same machine, loopback only; gunicorn's sync workers close the connection after "
        "each answer, so every request opens one).",
        "- Dashboard: the page callback the browser sends when filters are applied (the Dash Pages router "
        "for a page and query string; a mix of six pages and filter states). After the warm-up every one is "
        "answered from the page cache, as when a board opens the same shared links. The cache sits after "
        "sign-in and is kept per version and role, so the same requests are sent again by a signed-in "
        "analyst (a session cookie checked on every request). Then, at 50 clients, each request carries a "
        "query string nobody has asked for, so every page is drawn: what each request would cost without "
        "the cache. Floor: a bare Flask route returning a small JSON, under the same gunicorn settings.",
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
        f"| Signed in: p95 ≤ {TARGET_P95_RATIO:.0f}× the floor's | {signed_ratio:.2f}× "
        f"| {verdict(signed_ratio <= TARGET_P95_RATIO)} |",
        "",
        f"Keeping the page cache: answered from it, the page callback serves {gain:,.0f}× as many requests a "
        f"second as when every page is drawn ({app['rps']:,.0f} against {drawn['rps']:,.0f}), so it stays, "
        "keyed by version, role and query string.",
    ]


def main() -> int:
    print(write("callbacks", "Callback latency and throughput", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
