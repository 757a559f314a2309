"""Shared pieces for the benchmarks: the machine description, serving on loopback, markdown tables."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sections import SECTIONS  # noqa: E402
from tests.live_server import free_port, server_log, stop, wait_until_up  # noqa: E402

#: The pages with charts (one per section, in the paper's order), and those plus the overview.
CHART_PAGES: tuple[str, ...] = tuple(section.path for section in SECTIONS if section.path != "/")
DASHBOARD_PAGES: tuple[str, ...] = ("/", *CHART_PAGES)


def memory_total_mb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def chromium_version() -> str:
    from tests.conftest import CHROMIUM

    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout
        return out.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not installed"


def machine_lines() -> list[str]:
    """Markdown bullets: when and where the figures were measured."""
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, {memory_total_mb() / 1024:.1f} GiB memory, "
        f"{platform.platform()}",
        f"- Python {platform.python_version()}",
    ]


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (gunicorn's workers, for the master), started by any of its
    threads (an export worker starts Chromium from a thread of its own)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (a gunicorn's workers; an export worker's Chromium and its
    helpers, which sit several levels down)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children(current))
    return found


def start_gunicorn(args: Sequence[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``python -m gunicorn *args`` from the project folder, output to a log file (see ``server_log``)."""
    import tempfile

    log = tempfile.NamedTemporaryFile("w+", prefix="spr-bench-", suffix=".log", delete=False)  # noqa: SIM115
    env = dict(env or {})
    env.setdefault("SPR_STATE_DIR", tempfile.mkdtemp(prefix="spr-bench-state-"))  # a database of its own
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *args],
        cwd=ROOT,
        env={**os.environ, **env, "SPR_PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proc.log_path = log.name
    return proc


@contextlib.contextmanager
def serving(
    args: Sequence[str] = ("-c", "gunicorn.conf.py", "wsgi:server"),
    env: dict[str, str] | None = None,
    probe: str = "/api/v1/datasets",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Serve on a free loopback port until the probe answers; yield (base URL, gunicorn master)."""
    port = free_port()
    proc = start_gunicorn(args, port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, base + probe)
        yield base, proc
    finally:
        stop(proc)


def wait_for(check, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return False


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()) -> list[str]:
    """A markdown table; columns whose index is in ``right`` are right-aligned."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write(name: str, title: str, body: Sequence[str]) -> str:
    """Write ``bench/results/<name>.md`` (title, machine, body) and return its text."""
    text = "\n".join([f"# {title}", "", *machine_lines(), "", *body]) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    return text


__all__ = [
    "CHART_PAGES",
    "DASHBOARD_PAGES",
    "RESULTS",
    "ROOT",
    "children",
    "chromium_version",
    "descendants",
    "free_port",
    "machine_lines",
    "rss_mb",
    "server_log",
    "serving",
    "start_gunicorn",
    "stop",
    "table",
    "verdict",
    "wait_for",
    "wait_until_up",
    "write",
]
