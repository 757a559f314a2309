"""Run every benchmark and write one report: ``bench/results/report.md`` (``make bench``).

1. callback latency and throughput against a bare Flask floor; 2. page load against static
and bare-Dash floors; 3. data scale (synthetic data, 10³ to 10⁶ rows); 4. start-up time and
memory per worker; then the fault tests. Each section states its targets and whether they were
met; a summary at the top gathers them. A benchmark that cannot run is reported as such, and the
others still run. Loopback only; each part is bounded in time.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import callbacks, data_scale, faults, page_load, startup
from bench.common import chromium_version, write

log = logging.getLogger(__name__)

PARTS: list[tuple[str, Callable[[], list[str]]]] = [
    ("1. Callback latency and throughput", callbacks.run),
    ("2. Page load", page_load.run),
    ("3. Data scale", data_scale.run),
    ("4. Start-up time and memory", startup.run),
    ("Fault tests", faults.run),
]


def target_rows(lines: list[str]) -> list[str]:
    """The rows of a section's tables that carry a verdict ('met' / 'not met')."""
    return [line for line in lines if line.startswith("|") and ("| met" in line or "**not met**" in line)]


def summary_row(title: str, row: str) -> str:
    """'| <section>: <target> | <measured> | <verdict> |' from a section's target row."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    measured = cells[1] if len(cells) >= 3 else ""
    return f"| {title.split('. ', 1)[-1]}: {cells[0]} | {measured} | {cells[-1]} |"


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sections: list[str] = []
    summary: list[str] = []
    for title, run in PARTS:
        log.info("Running %s", title)
        began = time.monotonic()
        try:
            lines = run()
        except Exception:  # one broken benchmark must not lose the others' figures
            lines = [f"## {title}", "", "Could not run:", "", "```", traceback.format_exc().strip(), "```"]
            summary.append(f"| {title} | could not run | **not met** |")
        took = time.monotonic() - began
        sections += [*lines, "", f"*({title}: {took:.0f} s to run.)*", ""]
        summary += [summary_row(title, row) for row in target_rows(lines)]
    body = [
        f"- Browser: {chromium_version()}",
        "- Command: `make bench` (this report); each part can also be run alone, see the README.",
        "",
        "## Summary of targets",
        "",
        "| Target | Measured | Result |",
        "|---|---:|---|",
        *summary,
        "",
        *sections,
    ]
    print(write("report", "Benchmark report", body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
