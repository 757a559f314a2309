"""An export worker: ``python -m jobs.worker --name export-1`` (``make cluster`` starts two).

Takes chart images and board packs off the Redis queue (RQ) one at a time and makes them from the
published version each job names, as that job's reader sees it. It holds one Chromium for its whole
life (an RQ ``SimpleWorker`` runs jobs in its own process, not a fork per job), started before the
first job. A job past its time limit is stopped and the browser killed and started again; a browser
that crashed is replaced before the next job (``exports.renderer``). If the worker itself dies,
``make cluster`` starts another, and the job's reader is told to try again.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
from dataclasses import dataclass

from flask import Flask

from data.loader import bind_store, unbind_store
from data.published import View, bind_view, unbind_view
from exports.render import RENDERER, ExportError, check_renderer
from exports.spec import ExportSpec, NothingToExport, make
from jobs.queue import QUEUE_NAME
from settings import configure_logging, get_settings
from web.backend import Backend
from web.shared_cache import SharedCache
from web.shared_cache import install as install_cache

log = logging.getLogger(__name__)


@dataclass
class _Context:
    svc: Backend
    cache: SharedCache


_context: _Context | None = None


def run(spec_data: dict, key: str) -> dict:
    """One job: make the file, keep it under ``key`` in the shared cache, and return it (or the reader's
    message when it cannot be made)."""
    from rq import get_current_job
    from rq.timeouts import JobTimeoutException

    assert _context is not None, "jobs.worker.run runs in an export worker (python -m jobs.worker)"
    spec = ExportSpec.from_dict(spec_data)
    library = _context.svc.library
    store = library.store(spec.version, spec.sensitive)
    job = get_current_job()

    def progress(drawn: int) -> None:
        if job is not None:
            job.meta["drawn"] = drawn
            job.save_meta()

    view = View(store, library.current(), None, None, spec.sensitive, library)
    tokens = bind_store(store), bind_view(view)
    try:
        body = make(spec, store, progress)
    except NothingToExport as err:
        return {"error": str(err), "missing": True}
    except ExportError as err:
        return {"error": str(err)}
    except JobTimeoutException:
        log.error("Export job %s passed its time limit: restarting this worker's Chromium", job.id if job else "?")
        RENDERER.reset()
        raise
    finally:
        unbind_view(tokens[1])
        unbind_store(tokens[0])
    _context.cache.set(key, body)
    return {"body": body}


def _use(context: _Context) -> None:
    """Give the jobs their context. Run as ``python -m jobs.worker`` this file is ``__main__``, but RQ
    calls ``jobs.worker.run``: the module by its own name must hold it."""
    global _context
    _context = context
    importlib.import_module("jobs.worker")._context = context


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="An export worker of the SPR Board Dashboard.")
    parser.add_argument("--name", default=None, help="The worker's name in the queue (default: RQ's).")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    if not settings.redis_url:
        log.critical("SPR_REDIS_URL is blank: an export worker takes its jobs from Redis")
        return 2
    from redis import Redis
    from rq import Queue, SimpleWorker

    # Below the web servers' CPU priority: on a host shared with app servers, pages are answered first.
    # Chromium inherits it, but when run as root it sets its own processes' priorities (measured).
    os.nice(settings.export_nice)
    svc = Backend.open(settings, migrate_first=False)
    holder = Flask("spr-export-worker")  # Flask-Caching's home; the worker serves nothing
    _use(_Context(svc, install_cache(holder, settings)))
    if check_renderer():
        RENDERER.warm()  # the first job does not wait for Chromium to start
    redis = Redis.from_url(settings.redis_url)
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=redis)], connection=redis, name=args.name)
    log.info("Export worker %s taking jobs from %s", worker.name, QUEUE_NAME)
    try:
        worker.work(logging_level=settings.log_level)
    finally:
        RENDERER.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
