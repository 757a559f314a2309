"""Fault tests, loopback only and bounded in time: a worker killed under load, and bad data published.

1. ``kill_worker_under_load``: gunicorn (gunicorn.conf.py, 2 workers) serves the page callback to
   100 concurrent clients; one worker is stopped part-way through, the connections it has accepted
   are counted (the requests in flight on it: those its threads are answering and those it holds
   for its threads), and it is killed with SIGKILL. We count failed requests, which must be no more
   than those in flight on it, and check that the master starts a replacement.
2. ``publish_bad_then_good_data``: the server runs on a copy of the data; the folder is made invalid
   and published from the command line: refused, naming the file, line and column, and the last good
   data keeps serving. Then a valid change is published: every worker must serve it within 2 s, with
   no signal and no restart.

``tests/test_faults.py`` asserts on these results in CI; ``run()`` reports them.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, children, server_log, serving, table, verdict, wait_for, write
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
    except (OSError, http.client.HTTPException):  # the killed worker's answer, cut off part way
        return False
    finally:
        conn.close()


def _connections(pid: int, port: int) -> set[int]:
    """The socket inodes of the connections process ``pid`` holds to the server's ``port`` (accepted,
    not yet closed): the requests in flight on it."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    found = set()
    for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table_path, encoding="ascii") as f:
            next(f)
            for line in f:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                # An accepted connection, open both ways (01): this port locally, a client at the other end.
                if local_port == port and remote_port != 0 and fields[3] == "01" and int(fields[9]) in inodes:
                    found.add(int(fields[9]))
    return found


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
        os.kill(victim, signal.SIGSTOP)  # it accepts nothing more; what it holds is what dies with it
        in_flight = len(_connections(victim, port))
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
        "in_flight_at_kill": in_flight,
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


def _publish(folder: Path, env: dict[str, str], note: str) -> subprocess.CompletedProcess:
    """``python -m web publish FOLDER`` against the server's database (the command line's publish)."""
    return subprocess.run(
        [sys.executable, "-m", "web", "publish", str(folder), "--note", note, "--by", "fault test"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def publish_bad_then_good_data(
    bad_dataset: str = "ct_contest", source: Path = DEFAULT_DATA_DIR, database_url: str = ""
) -> dict:
    """Serve ``source``; publish an invalid copy (refused), then a valid change, and time how long until
    every answer shows it, with no signal or restart. ``database_url``: an empty database to use instead
    of SQLite."""
    with tempfile.TemporaryDirectory(prefix="spr-publish-") as tmp:
        folder = Path(tmp) / "tables"
        shutil.copytree(source, folder)
        env = {"SPR_WORKERS": str(WORKERS), "SPR_DATA_DIR": str(folder), "SPR_STATE_DIR": str(Path(tmp) / "state")}
        if database_url:
            env["SPR_DATABASE_URL"] = database_url
        with serving(env=env) as (base, proc):
            wait_for(lambda: _boots(proc) >= WORKERS, timeout=30)
            good_rows = _dataset_json(base, bad_dataset)

            # 1. An invalid value, published: refused, naming the file, line and column.
            line = _edit_csv(folder / f"{bad_dataset}.csv", 1, "value", "twelve")
            bad = _publish(folder, env, "an invalid value")
            where = f"{bad_dataset}.csv, line {line}, column 'value'"
            rows_after_bad = [_dataset_json(base, bad_dataset) for _ in range(2 * WORKERS)]
            still_running = proc.poll() is None

            # 2. Put the good file back and change a title: published, then every worker answers it.
            shutil.copy(source / f"{bad_dataset}.csv", folder / f"{bad_dataset}.csv")
            _edit_csv(folder / "datasets.csv", 0, "title", "Terrorism threat picture (revised)")
            boots = _boots(proc)
            good = _publish(folder, env, "a title changed")
            published = time.monotonic()
            new = "Terrorism threat picture (revised)"
            reached = wait_for(
                lambda: all(_catalogue_titles(base).get("ct_threat") == new for _ in range(4 * WORKERS)),
                timeout=10,
                step=0.02,
            )
            spread_s = time.monotonic() - published
            titles = {_catalogue_titles(base).get("ct_threat") for _ in range(4 * WORKERS)}
            restarted = _boots(proc) > boots
    return {
        "rejected": bad.returncode != 0 and "NOT valid" in bad.stderr,
        "error_names_file_line_column": where in bad.stderr,
        "error_location": where,
        "last_good_data_served": all(r == good_rows for r in rows_after_bad),
        "server_running": still_running,
        "published": good.returncode == 0,
        "valid_change_served": reached and titles == {new},
        "spread_s": spread_s,
        "workers_restarted": restarted,
    }


def run() -> list[str]:
    kill = kill_worker_under_load()
    print("kill", kill, flush=True)
    publish = publish_bad_then_good_data()
    print("publish", publish, flush=True)
    return report(kill, publish)


def report(kill: dict, reload: dict) -> list[str]:
    replaced = f"{kill['replaced_in_s']:.2f} s" if kill["replaced"] else "no"
    return [
        "## Fault tests",
        "",
        f"- Worker killed under load: gunicorn with gunicorn.conf.py, {WORKERS} threaded workers; "
        f"{kill['clients']} concurrent clients POSTing the page callback for {kill['seconds']:.0f} s; one worker "
        f"stopped after {KILL_AFTER_S:.0f} s, the connections it had accepted counted (the requests in flight "
        f"on it: {kill['in_flight_at_kill']}), then sent SIGKILL. Requests not yet accepted wait for the other "
        "worker; those in flight on the killed one are lost with it (nginx, in the cluster, retries them).",
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
        f"| No failed requests beyond those in flight (≤ {kill['in_flight_at_kill']}) | {kill['failed']} | "
        f"{verdict(kill['failed'] <= kill['in_flight_at_kill'])} |",
        f"| The master replaces the killed worker | {replaced} | {verdict(kill['replaced'])} |",
        "",
        "- Bad data published: the server runs on a copy of the data (its own SQLite database); one cell of "
        "`ct_contest.csv` is made invalid and the folder published with `python -m web publish`; then the "
        "file is put back, a title is changed and the folder published again. No signal, no restart.",
        "",
        *table(
            ["Check", "Result"],
            [
                ["Invalid data refused, nothing published", verdict(reload["rejected"])],
                [
                    f"The refusal names the file, line and column ({reload['error_location']})",
                    verdict(reload["error_names_file_line_column"]),
                ],
                ["The last good data keeps serving", verdict(reload["last_good_data_served"])],
                ["The server kept running", verdict(reload["server_running"])],
                [
                    f"A valid publish reaches every worker within 2 s (measured {reload['spread_s']:.2f} s)",
                    verdict(reload["valid_change_served"] and reload["spread_s"] <= 2.0),
                ],
                ["No worker was restarted to serve it", verdict(not reload["workers_restarted"])],
            ],
        ),
    ]


def main() -> int:
    print(write("faults", "Fault tests", run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
