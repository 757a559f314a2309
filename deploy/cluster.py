"""The deployment for many users, on this one machine: ``make cluster`` (stop with Ctrl+C or ``make cluster-stop``).

Starts, each on a free loopback port, with its own folder under the cluster folder (``SPR_CLUSTER_DIR``,
default ``state/cluster``) and its log in ``<cluster>/logs``:

- PostgreSQL (Debian's), the shared store of published versions, accounts and sessions;
- Redis (Debian's ``redis-server``), the shared cache and the export queue, bounded in bytes;
- 3 app servers (gunicorn), each with its own state folder and pidfile;
- 2 export workers (``python -m jobs.worker``), each holding one Chromium;
- nginx (Debian's) in front: it buffers slow clients, fails over between app servers and serves the
  static files itself.

Every process is started by this script and stopped by its pid (``<cluster>/run/*.pid``), nothing is
daemonised, and nothing listens beyond 127.0.0.1. ``python -m deploy.cluster stop`` stops a cluster
started by another shell (``make cluster-stop``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy.nginx import nginx_conf

log = logging.getLogger("cluster")

ROOT = Path(__file__).resolve().parent.parent
APP_SERVERS = 3
EXPORT_WORKERS = 2
#: Workers per app server (3 servers × 2 on a 2-core machine).
WORKERS_PER_SERVER = 2
#: Threads per worker: a request waiting for an export worker's image holds a thread (not the CPU), so
#: many images queued at once still leave threads for pages. SPR_THREADS, when set, wins.
THREADS_PER_WORKER = 16
#: Redis holds at most this much (cached pages and exports, least recently used out first; the queue).
REDIS_MAXMEMORY = "256mb"
#: The least time between two starts of one export worker.
RESTART_GAP_SECONDS = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx binds: a closed one is free
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Layout:
    """Where a cluster keeps everything, and the ports it listens on (``cluster.json``)."""

    home: Path

    @property
    def run(self) -> Path:
        return self.home / "run"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def manifest(self) -> Path:
        return self.home / "cluster.json"

    def pidfile(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def read(self) -> dict:
        return json.loads(self.manifest.read_text()) if self.manifest.exists() else {}


def _as_postgres() -> list[str]:
    """PostgreSQL will not run as root: as root, its commands run as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (make postgres installs Debian's)")
    return str(found[-1])


class Cluster:
    """Starts and stops the pieces, in order; each started process is recorded by its pid."""

    def __init__(self, layout: Layout, port: int):
        self.layout = layout
        self.port = port
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}
        #: How each piece was started (so an operator, or a test of faults, can start one again).
        self.commands: dict[str, dict] = {}
        self._restarted: dict[str, float] = {}

    # The pieces ----------------------------------------------------------------------------------

    def start_postgres(self) -> str:
        data = self._postgres_folder()
        secret = data.parent / f"{data.name}.password"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            secret.write_text(secrets.token_urlsafe(24))
            if os.geteuid() == 0:
                pg = pwd.getpwnam("postgres")
                for path in (data, secret):
                    os.chown(path, pg.pw_uid, pg.pw_gid)
                os.chmod(data, 0o700)
            subprocess.run(
                [
                    *_as_postgres(),
                    _pg_bin("initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "spr",
                    f"--pwfile={secret}",
                    "--auth-host=scram-sha-256",
                    "--auth-local=peer",
                ],
                check=True,
                stdout=self.layout.log("postgres").open("a"),
                stderr=subprocess.STDOUT,
            )
        port = self.ports["postgres"] = free_port()
        self._spawn(
            "postgres",
            [
                *_as_postgres(),
                _pg_bin("postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={data}",
            ],
        )
        password = secret.read_text().strip()
        env = {**os.environ, "PGPASSWORD": password}
        self._wait(
            lambda: (
                subprocess.run(
                    [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "spr"],
                    capture_output=True,
                ).returncode
                == 0
            ),
            "postgres",
        )
        exists = subprocess.run(
            [
                _pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "spr",
                "-d",
                "postgres",
                "-tAc",
                "SELECT 1 FROM pg_database WHERE datname = 'spr'",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(
                [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "spr", "spr"], env=env, check=True
            )
        return f"postgresql+psycopg://spr:{password}@127.0.0.1:{port}/spr"

    def _postgres_folder(self) -> Path:
        """The database's folder: in the cluster folder, unless (as root) the ``postgres`` user cannot reach
        it there (a private temporary folder); then in a folder of its own under /tmp, named in
        ``run/postgres.folder`` so the same one is used next time."""
        named = self.layout.run / "postgres.folder"
        if named.exists():
            return Path(named.read_text().strip())
        folder = self.layout.home / "postgres"
        if os.geteuid() == 0 and subprocess.run([*_as_postgres(), "test", "-x", str(self.layout.home)]).returncode:
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="spr-cluster-pg-")) / "postgres"
            os.chmod(folder.parent, 0o755)
        named.write_text(f"{folder}\n")
        return folder

    def start_redis(self) -> str:
        port = self.ports["redis"] = free_port()
        folder = self.layout.home / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(folder),
                "--maxmemory",
                REDIS_MAXMEMORY,
                "--maxmemory-policy",
                "allkeys-lru",
            ],
        )
        self._wait(lambda: _redis_ping(port), "redis")
        return f"redis://127.0.0.1:{port}/0"

    def app_env(self, database: str, redis: str, name: str) -> dict[str, str]:
        state = self.layout.home / name
        state.mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "SPR_DATABASE_URL": database,
            "SPR_REDIS_URL": redis,
            "SPR_RATE_LIMIT_STORAGE": redis,
            "SPR_STATE_DIR": str(state),
            "SPR_WORKERS": str(WORKERS_PER_SERVER),
            "SPR_THREADS": os.environ.get("SPR_THREADS") or str(THREADS_PER_WORKER),
            "SPR_HOST": "127.0.0.1",
        }

    def start_app(self, index: int, database: str, redis: str) -> None:
        name = f"app-{index}"
        port = self.ports[name] = free_port()
        env = {**self.app_env(database, redis, name), "SPR_PORT": str(port)}
        self._spawn(
            name,
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--pid",
                str(self.layout.pidfile(name + ".gunicorn")),
                "wsgi:server",
            ],
            env=env,
        )

    def start_worker(self, index: int, database: str, redis: str) -> None:
        name = f"export-{index}"
        env = self.app_env(database, redis, name)
        self._spawn(name, [sys.executable, "-m", "jobs.worker", "--name", name], env=env)

    def start_nginx(self) -> None:
        prefix = self.layout.home / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        servers = [self.ports[f"app-{i}"] for i in range(1, APP_SERVERS + 1)]
        conf = prefix / "nginx.conf"
        conf.write_text(
            nginx_conf(
                port=self.port,
                servers=servers,
                prefix=prefix,
                logs=self.layout.logs,
                assets=ROOT / "assets",
                user="root" if os.geteuid() == 0 else None,
            )
        )
        self.ports["nginx"] = self.port
        self._spawn("nginx", ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])

    # Running ---------------------------------------------------------------------------------------

    def up(self) -> None:
        self.layout.run.mkdir(parents=True, exist_ok=True)
        self.layout.logs.mkdir(parents=True, exist_ok=True)
        database = self.database = self.start_postgres()
        redis = self.redis = self.start_redis()
        # The first server publishes the data folder as version 1 (if nothing is published yet); the
        # others start once it has, so they never race to publish it.
        self.start_app(1, database, redis)
        self._wait_http(self.ports["app-1"], "app-1")
        for i in range(2, APP_SERVERS + 1):
            self.start_app(i, database, redis)
        for i in range(1, EXPORT_WORKERS + 1):
            self.start_worker(i, database, redis)
        for i in range(2, APP_SERVERS + 1):
            self._wait_http(self.ports[f"app-{i}"], f"app-{i}")
        self.start_nginx()
        self._wait_http(self.port, "nginx")
        self.layout.manifest.write_text(
            json.dumps(
                {
                    "url": f"http://127.0.0.1:{self.port}/",
                    "ports": self.ports,
                    "pids": {n: p.pid for n, p in self.procs.items()},
                    "commands": self.commands,
                    "database": database,
                    "redis": redis,
                    "supervisor": os.getpid(),
                },
                indent=2,
            )
        )
        os.chmod(self.layout.manifest, 0o600)  # it holds the database password

    def watch(self) -> None:
        """Say when a piece stops; start a stopped export worker again (a job it held is reported failed
        to its reader, who can ask again)."""
        for name, proc in list(self.procs.items()):
            if proc.poll() is None or getattr(proc, "reported", False):
                continue
            proc.reported = True
            log.warning(
                "%s (pid %s) has stopped with status %s; see %s", name, proc.pid, proc.returncode, self.layout.log(name)
            )
            if name.startswith("export-"):
                # At most once in 5 s: a worker that cannot reach Redis would otherwise restart in a loop.
                last = self._restarted.get(name, 0.0)
                if time.monotonic() - last < RESTART_GAP_SECONDS:
                    proc.reported = False  # looked at again next time round
                    continue
                self._restarted[name] = time.monotonic()
                self.start_worker(int(name.rpartition("-")[2]), self.database, self.redis)

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        out = self.layout.log(name).open("a")
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches this script only; it stops each piece in order
        )
        self.procs[name] = proc
        self.commands[name] = {"argv": cmd, "env": {k: v for k, v in (env or {}).items() if k.startswith("SPR_")}}
        self.layout.pidfile(name).write_text(f"{proc.pid}\n")
        log.info("started %s (pid %s)", name, proc.pid)

    def _wait(self, ready, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise SystemExit(f"{name} stopped at start-up; see {self.layout.log(name)}")
            if ready():
                return
            time.sleep(0.2)
        raise SystemExit(f"{name} did not start within {timeout:g} s; see {self.layout.log(name)}")

    def _wait_http(self, port: int, name: str) -> None:
        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as res:
                    return res.status == 200
            except OSError:
                return False

        self._wait(answers, name, timeout=180)


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


#: The pidfile of ``make cluster`` itself (it watches the pieces, and stops them on Ctrl+C).
SUPERVISOR = "supervisor.pid"
#: The order pieces are stopped in: the front first, the stores last.
STOP_ORDER = ("nginx", "app-", "export-", "redis", "postgres")


def stop(layout: Layout, timeout: float = 30) -> list[str]:
    """Stop every process the cluster's pidfiles name (front first, stores last); returns their names."""
    if not layout.run.exists():
        return []
    named = {p.name[: -len(".pid")]: p for p in layout.run.glob("*.pid") if p.name != SUPERVISOR}
    order = sorted(named, key=lambda n: next(i for i, prefix in enumerate(STOP_ORDER) if n.startswith(prefix)))
    stopped = []
    for name in order:
        path = named[name]
        with contextlib.suppress(ValueError, FileNotFoundError):
            pid = int(path.read_text().strip())
            if _stop_pid(pid, timeout):
                stopped.append(name)
        path.unlink(missing_ok=True)
    return stopped


def _stop_pid(pid: int, timeout: float) -> bool:
    """SIGTERM the process group ``pid`` leads, then SIGKILL if it outlives ``timeout``."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("up", "stop"), nargs="?", default="up")
    parser.add_argument("--dir", default=os.environ.get("SPR_CLUSTER_DIR", str(ROOT / "state" / "cluster")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SPR_CLUSTER_PORT", "8080")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s cluster: %(message)s")
    layout = Layout(Path(args.dir).resolve())
    if args.action == "stop":
        supervisor = layout.run / SUPERVISOR
        with contextlib.suppress(ValueError, FileNotFoundError, ProcessLookupError):
            pid = int(supervisor.read_text().strip())
            os.kill(pid, signal.SIGTERM)  # it stops every piece, in order, then itself
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                os.kill(pid, 0)
                time.sleep(0.2)
        supervisor.unlink(missing_ok=True)
        names = stop(layout)
        log.info("stopped %s", ", ".join(names) if names else "every piece")
        return 0
    if stop(layout):
        log.info("stopped what an earlier cluster left running")
    port = args.port if _port_free(args.port) else free_port()
    cluster = Cluster(layout, port)

    def finish(*_args) -> None:
        log.info("stopping the cluster")
        stop(layout)
        (layout.run / SUPERVISOR).unlink(missing_ok=True)
        sys.exit(0)

    signal.signal(signal.SIGINT, finish)
    signal.signal(signal.SIGTERM, finish)
    layout.run.mkdir(parents=True, exist_ok=True)
    (layout.run / SUPERVISOR).write_text(f"{os.getpid()}\n")
    try:
        cluster.up()
    except BaseException:
        stop(layout)
        raise
    log.info(
        "the dashboard is at http://127.0.0.1:%s/ (logs in %s; Ctrl+C or make cluster-stop stops it)", port, layout.logs
    )
    while True:
        time.sleep(1)
        cluster.watch()


if __name__ == "__main__":
    raise SystemExit(main())
