"""The two exporters (``exports.spec.Exporter``): ``InProcessExporter`` for ``make run`` and
``RedisExporter`` (RQ on Redis) for ``make cluster``; ``exporter_for(settings, cache)`` picks one.

A finished file is kept in the shared cache under a key naming the version, the reader's view and
everything the file depends on (``cache_key``), so the second request for it is answered at once. The
same file asked for twice while it is being made is made once: by one job per key.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from data.loader import DataStore
from exports.render import ExportError, browser_path
from exports.spec import TIME_LIMITS, Done, ExportSpec, Failed, NothingToExport, Outcome, Pending, make
from settings import Settings
from web.shared_cache import SharedCache, cache_key

log = logging.getLogger(__name__)

QUEUE_NAME = "spr-exports"
#: What a reader is told when an export failed for a reason the log holds.
COULD_NOT = "The file could not be made on the server; the problem has been logged. Please try again."
#: How long a finished job's file stays in its job record (the cache keeps it for longer).
RESULT_SECONDS = 300


def _key(spec: ExportSpec, store: DataStore) -> str | None:
    return cache_key(store, "export", spec)


def _outcome(make_body: Callable[[], bytes]) -> Outcome:
    try:
        return Done(make_body())
    except NothingToExport as err:
        return Failed(str(err), missing=True)
    except ExportError as err:
        return Failed(str(err))
    except Exception:
        log.exception("An export failed")
        return Failed(COULD_NOT)


def _keep(cache: SharedCache, key: str, body: bytes) -> None:
    """Keep a finished file, unless it was made without a browser (its pictures are words): the next
    one, with a browser, should have them."""
    if browser_path() is not None:
        cache.set(key, body)


@dataclass
class _Progress:
    """How far one running export has got."""

    started: float = field(default_factory=time.monotonic)
    drawn: int = 0


class InProcessExporter:
    """Exports made by a thread pool in this process (one at a time), kept in this process's cache.

    Each picture has the image time limit; a browser that hangs or dies is replaced (``exports.renderer``)."""

    shared = False
    pack_wait = 80.0  # under gunicorn's 90 s: a whole pack takes about 13 s
    chart_wait = 40.0

    def __init__(self, cache: SharedCache, threads: int = 1):
        self.cache = cache
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="export")
        self._jobs: dict[str, tuple[concurrent.futures.Future, _Progress]] = {}
        self._lock = threading.Lock()

    def result(self, spec: ExportSpec, store: DataStore, wait: float) -> Outcome:
        key = _key(spec, store)
        if key is None:  # a draft: made now, never kept
            return _outcome(lambda: make(spec, store))
        found = self.cache.get(key)
        if found is not None:
            return Done(found)
        with self._lock:  # held until the job is recorded: its end (``_run``) waits for this lock
            running = self._jobs.get(key)
            if running is None:
                state = _Progress()
                context = contextvars.copy_context()  # the request's view and data, for the job's thread
                future = self._pool.submit(context.run, self._run, spec, store, key, state)
                running = self._jobs[key] = (future, state)
        future, state = running
        try:
            return future.result(timeout=wait)
        except concurrent.futures.TimeoutError:
            return Pending("running" if state.drawn else "queued", state.drawn, time.monotonic() - state.started)

    def _run(self, spec: ExportSpec, store: DataStore, key: str, state: _Progress) -> Outcome:
        def progress(drawn: int) -> None:
            state.drawn = drawn

        try:
            outcome = _outcome(lambda: make(spec, store, progress))
            if isinstance(outcome, Done):
                _keep(self.cache, key, outcome.body)
            return outcome
        finally:
            with self._lock:
                self._jobs.pop(key, None)


class RedisExporter:
    """Exports queued on Redis (RQ) and made by the export workers (``python -m jobs.worker``).

    If Redis cannot be reached, the export is made here instead (as under ``make run``), so a reader
    still gets the file."""

    shared = True
    pack_wait = 10.0
    chart_wait = 40.0

    def __init__(self, cache: SharedCache, redis_url: str):
        from redis import Redis
        from rq import Queue

        self.cache = cache
        self.redis = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=1)
        self.queue = Queue(QUEUE_NAME, connection=self.redis)
        self.fallback = InProcessExporter(cache)

    def result(self, spec: ExportSpec, store: DataStore, wait: float) -> Outcome:
        from redis.exceptions import RedisError

        key = _key(spec, store)
        if key is None:
            return _outcome(lambda: make(spec, store))
        found = self.cache.get(key)
        if found is not None:
            return Done(found)
        try:
            return self._queued(spec, key, wait)
        except RedisError as err:
            log.warning("The export queue (Redis) is not answering (%s): making the file here", err.__class__.__name__)
            return self.fallback.result(spec, store, wait=max(wait, self.fallback.chart_wait))

    def _queued(self, spec: ExportSpec, key: str, wait: float) -> Outcome:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        job_id = "spr-export-" + hashlib.sha256(key.encode()).hexdigest()[:40]
        try:
            job = Job.fetch(job_id, connection=self.redis)
            status = job.get_status()
        except NoSuchJobError:
            job, status = None, None
        finished_with_file = status == JobStatus.FINISHED and "body" in (job.return_value() or {})
        if (
            job is None
            or status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
            or (status == JobStatus.FINISHED and not finished_with_file)  # an earlier try failed: try again
        ):
            if job is not None:
                job.delete()
            job = self.queue.enqueue_call(
                "jobs.worker.run",
                args=(spec.to_dict(), key),
                job_id=job_id,
                timeout=TIME_LIMITS[spec.kind],
                result_ttl=RESULT_SECONDS,
                failure_ttl=60,
                ttl=TIME_LIMITS[spec.kind] * 4,  # a job no worker picks up is dropped, not kept for ever
            )
        deadline = time.monotonic() + wait
        while True:
            status = job.get_status()
            if status == JobStatus.FINISHED:
                value = job.return_value()
                if isinstance(value, dict) and "error" in value:
                    return Failed(value["error"], missing=bool(value.get("missing")))
                body = self.cache.get(key) or (value or {}).get("body")
                if isinstance(body, bytes):
                    return Done(body)
                return Failed(COULD_NOT)
            if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                log.error("Export job %s ended %s", job.id, status)
                return Failed(COULD_NOT)
            if time.monotonic() >= deadline:
                meta = job.get_meta()
                began = job.enqueued_at.timestamp() if job.enqueued_at else time.time()
                state = "running" if status == JobStatus.STARTED else "queued"
                return Pending(state, int(meta.get("drawn", 0)), max(0.0, time.time() - began))
            time.sleep(0.1)


def exporter_for(settings: Settings, cache: SharedCache):
    """The exporter this server uses: on Redis when ``SPR_REDIS_URL`` names one, else in-process."""
    return RedisExporter(cache, settings.redis_url) if settings.redis_url else InProcessExporter(cache)
