"""gunicorn settings for the dashboard (`gunicorn -c gunicorn.conf.py wsgi:server`, as `make run` does).

Bind address, port and worker count come from the SPR_* settings (settings.py).

New data without a restart: replace the files, then send the master SIGHUP
(``kill -HUP <master pid>``). The master reads and checks the folder again; if it is valid, new
workers serve it; if not, the problems are logged (file, line, column) and the last good data
keeps serving. Either way the old workers finish their requests and stop.
"""

import multiprocessing

from settings import get_settings

_settings = get_settings()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers or multiprocessing.cpu_count() * 2 + 1
# Load the data once in the master; workers share it (copy on write) and all answer alike.
preload_app = True
# The board pack can take about 10 s to draw; nothing should take 90.
timeout = 90
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so no long-lived worker holds on to memory.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = _settings.log_level.lower()


def on_reload(arbiter) -> None:
    """On SIGHUP, load the data again in the master, before gunicorn forks the new workers."""
    import app
    import wsgi  # already imported by the master (preload_app)

    try:
        app.reload_data(wsgi.app)
    except Exception:  # a fault in reloading must not take the server down; the old data stays
        arbiter.log.exception("Reloading the data failed; the last good data keeps serving")
