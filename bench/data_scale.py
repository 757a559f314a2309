"""Benchmark 3: data scale. SYNTHETIC tables of 10³ to 10⁶ rows through the loader, checks and callbacks.

For each size, ``bench.synthetic`` writes the shipped data plus generated rows (labelled synthetic)
to a temporary folder, and two fresh Python processes measure it, so each size's memory is its own:

- *load*: ``load_store`` (read, validate, build the frame), the resident memory after it, then each
  section's ``charts(store, filters)`` for distinct filter states, uncached (no memo), as the
  page callback builds them;
- *app*: ``import wsgi`` with ``SPR_DATA_DIR`` on the folder (create the app, load and validate the
  data, draw every page once: what the gunicorn master does before forking workers), then the
  router callback the browser POSTs when filters are applied (``/_dash-update-component``), for a
  fresh query string every time, so neither the router cache nor the chart memo answers.

Peak memory is the process's high-water mark (VmHWM); resident memory is VmRSS.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DASHBOARD_PAGES, ROOT, table, verdict, write

SIZES = (1_000, 10_000, 100_000, 1_000_000)
PAGES = DASHBOARD_PAGES
#: Distinct filter states per page (the charts are measured for the six section pages).
STATES_PER_PAGE = 8
SEED = 6
CHILD_TIMEOUT_S = 300
TARGET_FILTER_P95_MS = 150
TARGET_RSS_MB = 500
TARGET_STARTUP_S = 10
ERROR_TEXT = b"This page could not be shown"


def _memory_mb() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line[:5]] = int(line.split()[1]) / 1024
    return {"rss": out["VmRSS"], "peak": out["VmHWM"]}


def _percentiles(times_s: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times_s)
    return {
        "p50": statistics.median(ms),
        "p95": statistics.quantiles(ms, n=20, method="inclusive")[18],
        "max": ms[-1],
        "n": len(ms),
    }


def filter_states(count: int, seed: int = SEED) -> list[dict[str, str]]:
    """``count`` distinct filter states (period, strand, force), none of them 'everything'.

    Periods are the shipped data's (the pages offer no synthetic period), strands and areas the
    filter bar's own.
    """
    from data import schema
    from data.loader import DEFAULT_DATA_DIR, load_store
    from data.queries import ALL

    rng = random.Random(seed)
    periods = load_store(DEFAULT_DATA_DIR).periods()
    states: list[tuple[str, str, str]] = []
    while len(states) < count:
        state = (
            ALL if rng.random() < 0.4 else rng.choice(periods),
            ALL if rng.random() < 0.5 else rng.choice(schema.STRANDS),
            ALL if rng.random() < 0.4 else rng.choice(schema.FORCES[:8]),
        )
        if state != (ALL, ALL, ALL) and state not in states:
            states.append(state)
    return [dict(zip(("period", "strand", "force"), s, strict=True)) for s in states]


def child_load(folder: Path, states: list[dict[str, str]]) -> dict[str, object]:
    """In a fresh process: time ``load_store`` and each section's charts per filter state (uncached)."""
    from data.loader import load_store
    from data.queries import Filters
    from sections import SECTIONS

    base = _memory_mb()
    start = time.perf_counter()
    store = load_store(folder)
    load_s = time.perf_counter() - start
    after_load = _memory_mb()
    times = []
    for k, state in enumerate(states):
        section = SECTIONS[k % len(SECTIONS)]
        filters = Filters(**state)
        start = time.perf_counter()
        section.build(store, filters)
        times.append(time.perf_counter() - start)
    return {
        "rows": len(store.frame),
        "load_s": load_s,
        "base": base,
        "after_load": after_load,
        "charts": _percentiles(times),
        "after_charts": _memory_mb(),
    }


def child_app(states: list[dict[str, str]]) -> dict[str, object]:
    """In a fresh process (``SPR_DATA_DIR`` set): time ``import wsgi``, then router callbacks per filter state."""
    start = time.perf_counter()
    import wsgi as app  # importing it (building the app, as gunicorn's master does) is what is measured

    startup_s = time.perf_counter() - start
    after_startup = _memory_mb()

    from data.loader import get_store
    from data.queries import Filters
    from web.page_cache import router_request

    client = app.server.test_client()
    times: dict[str, list[float]] = {}
    for k, state in enumerate(states):
        path = PAGES[k % len(PAGES)]
        body = router_request(path, Filters(**state).to_search())
        begin = time.perf_counter()
        res = client.post("/_dash-update-component", data=body, content_type="application/json")
        times.setdefault(path, []).append(time.perf_counter() - begin)
        if res.status_code != 200 or ERROR_TEXT in res.data:
            raise RuntimeError(f"{path} with {state} answered {res.status_code}: {res.data[:300]!r}")
    return {
        "rows": len(get_store().frame),
        "startup_s": startup_s,
        "after_startup": after_startup,
        "callback": _percentiles([t for ts in times.values() for t in ts]),
        "pages": {path: _percentiles(ts) for path, ts in times.items()},
        "after_callbacks": _memory_mb(),
    }


def _child(kind: str, folder: Path, states: list[dict[str, str]]) -> dict[str, object]:
    """Run ``child_<kind>`` in a fresh interpreter; its last line of output is the JSON result."""
    state = tempfile.mkdtemp(prefix="spr-scale-state-")  # a database of its own: the folder becomes version 1
    env = {**os.environ, "SPR_DATA_DIR": str(folder), "SPR_LOG_LEVEL": "WARNING", "SPR_STATE_DIR": state}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.data_scale", "--child", kind, str(folder), json.dumps(states)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
        )
    finally:
        shutil.rmtree(state, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(rows: int, states: list[dict[str, str]]) -> dict[str, object]:
    """Write a SYNTHETIC folder of ``rows`` figures, measure it in two fresh processes, delete it."""
    from bench.synthetic import write_folder

    folder = Path(tempfile.mkdtemp(prefix="spr-scale-"))
    try:
        start = time.perf_counter()
        generated = write_folder(folder, rows)
        made_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1024 / 1024
        load = _child("load", folder, states)
        served = _child("app", folder, states)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "rows": rows,
        "generated": sum(generated.values()),
        "made_s": made_s,
        "size_mb": size_mb,
        "load": load,
        "app": served,
    }


def run(sizes: tuple[int, ...] = SIZES) -> list[str]:
    """Measure every size; return the report section as markdown lines."""
    states = filter_states(STATES_PER_PAGE * len(PAGES))
    results = []
    for rows in sizes:
        result = measure(rows, states)
        print(
            f"{rows:>9,} rows: load {result['load']['load_s']:.2f} s, start-up {result['app']['startup_s']:.2f} s, "
            f"callback p95 {result['app']['callback']['p95']:.0f} ms, "
            f"peak {result['app']['after_callbacks']['peak']:.0f} MB",
            flush=True,
        )
        results.append(result)
    return report(results)


def _page(path: str) -> str:
    return "/ (overview)" if path == "/" else path


def report(results: list[dict]) -> list[str]:
    from bench.synthetic import SCALED

    rows = []
    for r in results:
        load, served = r["load"], r["app"]
        slowest = max(served["pages"], key=lambda p: served["pages"][p]["p50"])
        rows.append(
            [
                f"{r['rows']:,}",
                f"{r['size_mb']:,.1f}",
                f"{load['load_s']:.2f}",
                f"{load['after_load']['peak'] - load['base']['rss']:,.0f}",
                f"{load['charts']['p50']:.1f} / {load['charts']['p95']:.1f}",
                f"{served['startup_s']:.2f}",
                f"{served['callback']['p50']:.1f} / {served['callback']['p95']:.1f}",
                f"{_page(slowest)} ({served['pages'][slowest]['p50']:.0f})",
                f"{served['after_callbacks']['rss']:,.0f}",
                f"{served['after_callbacks']['peak']:,.0f}",
            ]
        )
    top = results[-1]
    p95 = top["app"]["callback"]["p95"]
    rss = top["app"]["after_callbacks"]["rss"]
    peak = top["app"]["after_callbacks"]["peak"]
    startup = top["app"]["startup_s"]
    load_s = top["load"]["load_s"]
    n_calls = top["app"]["callback"]["n"]
    n_charts = top["load"]["charts"]["n"]
    pages = top["app"]["pages"]
    small = results[0]["app"]["after_callbacks"]["rss"]
    over = [_page(p) for p, v in pages.items() if v["p50"] > TARGET_FILTER_P95_MS]
    return [
        "## 3. Data scale",
        "",
        "- **SYNTHETIC data.** Each size is the shipped data folder (about 400 rows) with generated rows added to "
        f"{', '.join(f'`{d}`' for d in SCALED)} (a third each; Venetic's as lead, support and a total that adds up) "
        "until the whole folder holds that many figures. Generated rows are labelled: measure 'Synthetic measure NNN', "
        "category 'Synthetic', period 'Jan 2001 (synthetic)', source https://example.org/synthetic, a note saying they "
        "are not real, and '(with synthetic rows)' in the catalogue (`bench/synthetic.py`). Files are written to a "
        "temporary folder and deleted.",
        "- They are monthly figures for 13 areas and five strand values (none, or one of the four). They live in the "
        "files and datasets the overview, organised crime, Venetic and referral pages read, so every read, check, "
        "dataset look-up and filter scans them; the charts draw the paper's own series (the region, the national "
        "years, the paper's paragraphs), so what a page sends stays the size it is today. This measures the cost of "
        "the data's volume, not of drawing a million points.",
        "- Each size runs in two fresh processes. *Load*: `load_store` (read, validate, build the frame); its memory "
        "is the peak above the process before loading (Python, pandas, plotly imported). *Charts*: a section's "
        f"`charts(store, filters)` uncached, {n_charts} distinct filter states over the six sections. *Start-up*: "
        "`import wsgi` (create the app, load and validate, draw every page, slide and export once: what the gunicorn master does "
        f"before it forks workers). *Callback*: the router callback the browser POSTs when filters are applied, "
        f"{n_calls} distinct query strings over the seven pages (so neither cache answers), through Flask's test "
        "client (no network). RSS is the app process after those callbacks (what a worker forked from it holds); "
        "peak is its high-water mark, reached while the data is read.",
        "",
        *table(
            [
                "Rows",
                "CSV MB",
                "Load + validate (s)",
                "Load peak (MB)",
                "Charts p50 / p95 (ms)",
                "Start-up (s)",
                "Callback p50 / p95 (ms)",
                "Slowest page (p50 ms)",
                "RSS (MB)",
                "Peak RSS (MB)",
            ],
            rows,
            right=(0, 1, 2, 3, 4, 5, 6, 8, 9),
        ),
        "",
        f"Callbacks per page at {top['rows']:,} rows (ms):",
        "",
        *table(
            ["Page", "p50", "max"],
            [[_page(p), f"{v['p50']:.0f}", f"{v['max']:.0f}"] for p, v in pages.items()],
            right=(1, 2),
        ),
        "",
        f"| Target at {top['rows']:,} rows | Measured | Result |",
        "|---|---:|---|",
        f"| Filter callback p95 ≤ {TARGET_FILTER_P95_MS} ms | {p95:.0f} ms | {verdict(p95 <= TARGET_FILTER_P95_MS)} |",
        f"| Resident memory per worker ≤ {TARGET_RSS_MB} MB | {rss:,.0f} MB (peak {peak:,.0f}) | "
        f"{verdict(max(rss, peak) <= TARGET_RSS_MB)} |",
        f"| Start-up ≤ {TARGET_STARTUP_S} s | {startup:.1f} s | {verdict(startup <= TARGET_STARTUP_S)} |",
        "",
        "Where the time and memory go:",
        "",
        f"- Start-up is loading ({load_s:.1f} s at {top['rows']:,} rows) plus importing Dash, Plotly and the pages "
        "and drawing each page once. Loading is mostly pandas' C CSV reader and turning columns into categoricals; "
        "every check runs once per distinct value of a column, not once per row, and the totals are checked by one "
        "grouping, so validation is a small share.",
        f"- Memory: of the {rss:,.0f} MB a worker holds at {top['rows']:,} rows, about {small:,.0f} MB is what it holds "
        f"at {results[0]['rows']:,} rows (Python, pandas, Dash, Plotly, the pages). The frame keeps its text columns "
        "as pointers to shared strings and its repetitive columns as categoricals. The peak is the "
        "master while it reads the largest file (its bytes, pandas' parse and the stripped columns at once); memory "
        "freed while reading is handed back to the system before the workers fork.",
        "- Callbacks: every uncached filter state selects each chart's rows from its whole dataset again, so a page "
        "costs time in proportion to its datasets' rows. "
        + (
            f"Over {TARGET_FILTER_P95_MS} ms at the median: {', '.join(over)}."
            if over
            else f"No page's median is over {TARGET_FILTER_P95_MS} ms."
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        kind, folder, states = args[1], Path(args[2]), json.loads(args[3])
        result = child_load(folder, states) if kind == "load" else child_app(states)
        print(json.dumps(result))
        return 0
    if args:  # a quick look at some sizes: printed, not written to bench/results
        print("\n".join(run(tuple(int(a) for a in args))))
        return 0
    print(write("data_scale", "Data scale", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
