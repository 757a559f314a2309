"""Benchmark: Lighthouse scores (accessibility, best practices, performance) for every page.

Runs npm's `lighthouse` (via npx, pinned to major 12) with Debian's Chromium against the app
served by gunicorn on a free loopback port, and writes bench/results/lighthouse.md.
Targets (issue 5): accessibility 100, best practices at least 95. Reported, not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import DASHBOARD_PAGES, write  # noqa: E402
from tests.live_server import running_app  # noqa: E402

PAGES = (
    *DASHBOARD_PAGES,
    "/about",
    "/accessibility",
    "/present/organised-crime-1",
)
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
)
COMMAND = (
    "npx --yes lighthouse@12 URL --chrome-path=/usr/bin/chromium "
    f'--chrome-flags="{FLAGS}" --output=json --preset=desktop '
    "--only-categories=accessibility,best-practices,performance"
)


def run(url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = COMMAND.replace("URL", url) + f" --output-path={out} --quiet"
        subprocess.run(cmd, shell=True, check=True, timeout=240, cwd=tmp)
        report = json.loads(out.read_text())
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


def main() -> int:
    rows = []
    with running_app() as base:
        for path in PAGES:
            scores = run(base + path)
            rows.append((path, scores))
            print(path, scores, flush=True)
    lines = [
        "- Desktop preset, app under gunicorn (2 workers) on loopback, Debian's Chromium.",
        f"- Command: `{COMMAND}`",
        "- Targets: accessibility 100, best practices at least 95. Performance is issue 6's work.",
        "",
        "| Page | Accessibility | Best practices | Performance |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| `{p}` | {s.get('accessibility')} | {s.get('best-practices')} | {s.get('performance')} |" for p, s in rows
    ]
    print(write("lighthouse", "Lighthouse scores", lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
