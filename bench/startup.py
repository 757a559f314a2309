"""Benchmark 4: start-up time and memory per gunicorn worker, with the real data.

Starts gunicorn with gunicorn.conf.py (preload: the master loads, checks and draws the data
once; workers fork from it) and times how long until it answers. Memory is read from /proc for
the master and each worker: resident (RSS), and the part private to that process (USS: what the
process adds; pages shared with the master after the fork are not counted). Measured at start
and again after every page has been drawn in every filter state the page offers once.
"""

from __future__ import annotations

import http.client
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import children, rss_mb, serving, table, verdict, wait_for, write
from web.page_cache import router_request

RUNS = 3
WORKERS = 2
TARGET_START_S = 10.0
TARGET_RSS_MB = 500.0


def uss_mb(pid: int) -> float:
    """Memory private to the process (Private_Clean + Private_Dirty), in MB."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


def _filter_states() -> list[tuple[str, str]]:
    """Every page with no filters and with each single period, strand and force it offers."""
    import pandas as pd

    from data.loader import get_store
    from data.queries import ALL, Filters, filter_options
    from sections import SECTIONS, section_charts

    store = get_store()
    states = [("/", ""), ("/about", "")]
    for section in SECTIONS:
        path = section.path
        states.append((path, ""))
        charts = section_charts(section, store, Filters())
        rows = pd.concat([c.pool for c in charts if c.pool is not None], ignore_index=True)
        options = filter_options(rows, Filters())
        for key, pairs in (("period", options.periods), ("strand", options.strands), ("force", options.forces)):
            for value, _label in pairs:
                if value != ALL:
                    states.append((path, Filters.from_query({key: value}).to_search()))
    return states


def _post(port: int, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        res.read()
        return res.status
    finally:
        conn.close()


def measure_once(states: list[tuple[str, str]]) -> dict:
    started = time.monotonic()
    with serving(env={"SPR_WORKERS": str(WORKERS)}) as (base, proc):
        answered = time.monotonic() - started
        wait_for(lambda: len(children(proc.pid)) == WORKERS, timeout=30)
        workers = children(proc.pid)
        at_start = {
            "master_rss": rss_mb(proc.pid),
            "worker_rss": max(rss_mb(w) for w in workers),
            "worker_uss": max(uss_mb(w) for w in workers),
        }
        port = int(base.rsplit(":", 1)[1])
        # Each state twice over, so both workers (taking turns at random) draw most of them.
        failures = sum(_post(port, router_request(p, s)) != 200 for p, s in states * 2)
        after = {
            "worker_rss": max(rss_mb(w) for w in workers),
            "worker_uss": max(uss_mb(w) for w in workers),
        }
    return {"answered_s": answered, "start": at_start, "after": after, "failures": failures, "states": len(states)}


def run() -> list[str]:
    states = _filter_states()
    runs = [measure_once(states) for _ in range(RUNS)]
    for r in runs:
        print("startup", r, flush=True)
    return report(runs)


def report(runs: list[dict]) -> list[str]:
    med = statistics.median
    answered = med(r["answered_s"] for r in runs)
    worst_answered = max(r["answered_s"] for r in runs)
    master = med(r["start"]["master_rss"] for r in runs)
    w_rss = med(r["start"]["worker_rss"] for r in runs)
    w_uss = med(r["start"]["worker_uss"] for r in runs)
    a_rss = med(r["after"]["worker_rss"] for r in runs)
    a_uss = med(r["after"]["worker_uss"] for r in runs)
    worst_rss = max(r["after"]["worker_rss"] for r in runs)
    return [
        "## 4. Start-up time and memory per worker (real data)",
        "",
        f"- gunicorn with gunicorn.conf.py and {WORKERS} workers; median of {RUNS} starts. Start-up is from "
        "launching gunicorn until it answers: Python and the libraries load, the data is read and checked, "
        "and every page is drawn once in the master (workers fork from it, so they share all of that).",
        f"- *After use*: every page drawn in each of its {runs[0]['states']} filter states (no filter, and each "
        "single period, strand and force it offers), each state requested twice "
        f"({sum(r['failures'] for r in runs)} failed).",
        "- RSS counts pages shared with the master; USS is what a worker holds on its own.",
        "",
        *table(
            ["Measure", "Value"],
            [
                ["Start-up until the first answer (median; worst)", f"{answered:.2f} s; {worst_answered:.2f} s"],
                ["Master RSS", f"{master:.0f} MB"],
                ["Worker RSS at start (largest worker)", f"{w_rss:.0f} MB"],
                ["Worker USS at start", f"{w_uss:.0f} MB"],
                ["Worker RSS after use", f"{a_rss:.0f} MB"],
                ["Worker USS after use", f"{a_uss:.0f} MB"],
            ],
            right=(1,),
        ),
        "",
        "The issue sets these targets for 10⁶ rows (section 3); the real data is far smaller, so they are "
        "a ceiling here.",
        "",
        "| Target | Measured (worst) | Result |",
        "|---|---:|---|",
        f"| Start-up ≤ {TARGET_START_S:.0f} s (real data) | {worst_answered:.2f} s | "
        f"{verdict(worst_answered <= TARGET_START_S)} |",
        f"| Resident memory ≤ {TARGET_RSS_MB:.0f} MB per worker (real data, after use) | {worst_rss:.0f} MB | "
        f"{verdict(worst_rss <= TARGET_RSS_MB)} |",
    ]


def main() -> int:
    print(write("startup", "Start-up and memory", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
