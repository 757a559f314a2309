"""Benchmark: how long exports take (one chart image per format, the board pack as PPTX and PDF).

Run with ``make bench-exports``; writes a markdown report (machine, date, figures) to
``bench/results/exports.md`` and prints it. Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import write

RUNS = 5


def timed(client, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        res = client.get(url)
        out.append(time.perf_counter() - start)
        if res.status_code != 200:
            raise SystemExit(f"{url} answered {res.status_code}: {res.get_data(as_text=True)[:200]}")
    return out


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    import wsgi

    client = wsgi.server.test_client()
    cases = [
        ("First image (starts the exporter's Chromium)", "/export/chart/organised-crime/rocu-justice.png", 1),
        ("One chart as PNG", "/export/chart/organised-crime/rocu-drugs.png", RUNS),
        ("One chart as SVG", "/export/chart/organised-crime/rocu-drugs.svg", RUNS),
        ("One chart as PDF", "/export/chart/organised-crime/rocu-drugs.pdf", RUNS),
        ("One chart's data as CSV", "/export/chart/organised-crime/rocu-drugs.csv", RUNS),
        ("One chart's data as Excel", "/export/chart/organised-crime/rocu-drugs.xlsx", RUNS),
        ("Board pack, one page, PowerPoint", "/export/pack.pptx?section=organised-crime", 2),
        ("Board pack, whole dashboard, PowerPoint", "/export/pack.pptx?section=all", 2),
        ("Board pack, whole dashboard, PDF", "/export/pack.pdf?section=all", 2),
    ]
    lines = [
        "- In-process Flask test client (no network); the image exporter keeps one Chromium per process.",
        "",
        "| Export | Runs | Median (s) | Slowest (s) |",
        "|---|---:|---:|---:|",
    ]
    for label, url, runs in cases:
        t = timed(client, url, runs)
        lines.append(f"| {label} | {runs} | {statistics.median(t):.2f} | {max(t):.2f} |")
    print(write("exports", "Export timings", lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
