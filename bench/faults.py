"""Fault tests, loopback only and bounded in time: a worker killed under load, and bad data reloaded.

1. ``kill_worker_under_load``: gunicorn (gunicorn.conf.py, 2 workers) serves the page callback to
   100 concurrent clients; one worker is killed with SIGKILL part-way through. We count failed
   requests (a sync worker holds one request at a time, so at most one can be lost with it) and
   check that the master starts a replacement.
2. ``reload_bad_then_good_data``: the server runs on a copy of the data; one file is made
   invalid and the master is sent SIGHUP. The last good data must keep serving and the problem
   must be logged with its file, line and column. Then a valid change plus SIGHUP must serve.

``tests/test_faults.py`` asserts on these results in CI; ``run()`` reports them.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import children, server_log, serving, table, verdict, wait_for, write
from data.loader import DEFAULT_DATA_DIR  # the shipped data: what a deployment serves
from web.page_cache import router_request

CLIENTS = 100
LOAD_SECONDS = 6.0
KILL_AFTER_S = 2.0
WORKERS = 2
PAGES = ["/organised-crime", "/venetic", "/referral-trends", "/", "/counter-terrorism"]


def _request(port: int, body: bytes) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        res.read()
        return res.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def kill_worker_under_load(
    clients: int = CLIENTS, seconds: float = LOAD_SECONDS, kill_after: float = KILL_AFTER_S
) -> dict:
    """Drive the page callback from ``clients`` threads; SIGKILL one worker after ``kill_after`` s."""
    bodies = [router_request(p) for p in PAGES]
    with serving(env={"SPR_WORKERS": str(WORKERS)}) as (base, proc):
        port = int(base.rsplit(":", 1)[1])
        if not wait_for(lambda: len(children(proc.pid)) == WORKERS, timeout=30):
            raise RuntimeError("gunicorn did not start its workers")
        before = children(proc.pid)
        counts = {"ok": 0, "failed": 0}
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client(k: int) -> None:
            i = k
            while time.monotonic() < stop_at:
                ok = _request(port, bodies[i % len(bodies)])
                i += 1
                with lock:
                    counts["ok" if ok else "failed"] += 1

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
        for t in threads:
            t.start()
        time.sleep(kill_after)
        victim = before[0]
        with lock:
            done_at_kill = counts["ok"] + counts["failed"]
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        replaced = wait_for(
            lambda: victim not in children(proc.pid) and len(children(proc.pid)) == WORKERS, timeout=30, step=0.01
        )
        replaced_in = time.monotonic() - killed
        after = children(proc.pid)
        for t in threads:
            t.join(timeout=60)
        # After the run: a fresh request must be answered (by either worker).
        answered_after = all(_request(port, bodies[0]) for _ in range(2 * WORKERS))
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": counts["ok"] + counts["failed"],
        "failed": counts["failed"],
        "requests_before_kill": done_at_kill,
        "victim": victim,
        "workers_before": before,
        "workers_after": after,
        "replaced": replaced,
        "replaced_in_s": replaced_in,
        "answered_after": answered_after,
    }


def _dataset_json(base: str, name: str) -> list[dict]:
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=30)
    try:
        conn.request("GET", f"/api/v1/datasets/{name}.json")
        res = conn.getresponse()
        payload = json.loads(res.read())
        return payload["rows"] if isinstance(payload, dict) else payload
    finally:
        conn.close()


def _catalogue_titles(base: str) -> dict[str, str]:
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=30)
    try:
        conn.request("GET", "/api/v1/datasets")
        payload = json.loads(conn.getresponse().read())
        items = payload["datasets"] if isinstance(payload, dict) else payload
        return {d["name"]: d["title"] for d in items}
    finally:
        conn.close()


def _edit_csv(path: Path, row_index: int, column: str, value: str) -> int:
    """Set one cell; return the file line the record starts on (header is line 1; one line per record)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    rows[row_index][column] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row_index + 2


def _boots(proc) -> int:
    return server_log(proc).count("Booting worker")


def reload_bad_then_good_data(bad_dataset: str = "ct_contest", source: Path = DEFAULT_DATA_DIR) -> dict:
    """Serve a copy of the data in ``source``; SIGHUP after an invalid edit, then after a valid one."""
    with tempfile.TemporaryDirectory(prefix="spr-reload-") as tmp:
        folder = Path(tmp) / "tables"
        shutil.copytree(source, folder)
        with serving(env={"SPR_WORKERS": str(WORKERS), "SPR_DATA_DIR": str(folder)}) as (base, proc):
            wait_for(lambda: _boots(proc) >= WORKERS, timeout=30)
            good_rows = _dataset_json(base, bad_dataset)
            good_log = len(server_log(proc))

            # 1. An invalid value, then SIGHUP.
            line = _edit_csv(folder / f"{bad_dataset}.csv", 1, "value", "twelve")
            boots = _boots(proc)
            os.kill(proc.pid, signal.SIGHUP)
            rejected = wait_for(lambda: "New data rejected" in server_log(proc)[good_log:], timeout=60)
            new_workers = wait_for(lambda: _boots(proc) >= boots + WORKERS, timeout=60)
            time.sleep(1.0)  # the old workers finish and stop
            log_after_bad = server_log(proc)[good_log:]
            where = f"{bad_dataset}.csv, line {line}, column 'value'"
            error_logged = where in log_after_bad
            rows_after_bad = _dataset_json(base, bad_dataset)
            still_running = proc.poll() is None

            # 2. Put the good file back, make a valid change, then SIGHUP.
            shutil.copy(source / f"{bad_dataset}.csv", folder / f"{bad_dataset}.csv")
            _edit_csv(folder / "datasets.csv", 0, "title", "Terrorism threat picture (revised)")
            mark = len(server_log(proc))
            boots = _boots(proc)
            os.kill(proc.pid, signal.SIGHUP)
            served = wait_for(lambda: "New data is serving" in server_log(proc)[mark:], timeout=60)
            wait_for(lambda: _boots(proc) >= boots + WORKERS, timeout=60)
            time.sleep(1.0)
            titles = {_catalogue_titles(base).get("ct_threat") for _ in range(4)}
    return {
        "rejected_logged": rejected,
        "error_names_file_line_column": error_logged,
        "error_location": where,
        "new_workers_started": new_workers,
        "last_good_data_served": rows_after_bad == good_rows,
        "server_running": still_running,
        "valid_change_served": served and titles == {"Terrorism threat picture (revised)"},
    }


def run() -> list[str]:
    kill = kill_worker_under_load()
    print("kill", kill, flush=True)
    reload = reload_bad_then_good_data()
    print("reload", reload, flush=True)
    return report(kill, reload)


def report(kill: dict, reload: dict) -> list[str]:
    replaced = f"{kill['replaced_in_s']:.2f} s" if kill["replaced"] else "no"
    return [
        "## Fault tests",
        "",
        f"- Worker killed under load: gunicorn with gunicorn.conf.py, {WORKERS} sync workers; {kill['clients']} "
        f"concurrent clients POSTing the page callback for {kill['seconds']:.0f} s; one worker sent SIGKILL "
        f"after {KILL_AFTER_S:.0f} s. A sync worker handles one request at a time, so at most one request "
        "is in flight on it when it dies.",
        "",
        *table(
            ["Requests", "Failed", "Workers before", "Workers after", "Replaced in (s)", "Answering after"],
            [
                [
                    f"{kill['requests']:,}",
                    kill["failed"],
                    ", ".join(map(str, kill["workers_before"])),
                    ", ".join(map(str, kill["workers_after"])),
                    f"{kill['replaced_in_s']:.2f}" if kill["replaced"] else "not replaced",
                    "yes" if kill["answered_after"] else "no",
                ]
            ],
            right=(0, 1, 4),
        ),
        "",
        "| Target | Measured | Result |",
        "|---|---:|---|",
        f"| No failed requests beyond those in flight (≤ 1) | {kill['failed']} | {verdict(kill['failed'] <= 1)} |",
        f"| The master replaces the killed worker | {replaced} | {verdict(kill['replaced'])} |",
        "",
        "- Bad data reloaded: the server runs on a copy of the data folder; one cell of `ct_contest.csv` is "
        "made invalid and the master is sent SIGHUP; then the file is put back, a title is changed and "
        "SIGHUP is sent again.",
        "",
        *table(
            ["Check", "Result"],
            [
                ["Invalid data rejected and logged", verdict(reload["rejected_logged"])],
                [
                    f"The log names the file, line and column ({reload['error_location']})",
                    verdict(reload["error_names_file_line_column"]),
                ],
                [
                    "The last good data keeps serving (new workers started)",
                    verdict(reload["last_good_data_served"] and reload["new_workers_started"]),
                ],
                ["The server kept running", verdict(reload["server_running"])],
                ["A valid change, then SIGHUP: every worker serves it", verdict(reload["valid_change_served"])],
            ],
        ),
    ]


def main() -> int:
    print(write("faults", "Fault tests", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
