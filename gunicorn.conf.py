"""gunicorn settings for the dashboard (`gunicorn -c gunicorn.conf.py wsgi:server`, as `make run` does).

Bind address, port and worker count come from the SPR_* settings (settings.py).

New figures need no restart or signal: they are published (the Publish page, or ``python -m web
publish``) into the database, and every worker of every server serves the new version within 2 s
(each asks the database for the current version at most four times a second).
"""

import multiprocessing

from settings import get_settings

_settings = get_settings()

bind = f"{_settings.host}:{_settings.port}"
# Each server its own pidfile, named by its port, in its state folder: several servers on one machine
# never share one, even when they share the folder.
_settings.state_dir.mkdir(parents=True, exist_ok=True)
pidfile = str(_settings.state_dir / f"gunicorn-{_settings.port}.pid")
workers = _settings.workers or multiprocessing.cpu_count() * 2 + 1
# gunicorn's threaded worker, whose own error pages carry the security headers (web/gunicorn_worker.py).
# A request waiting on an export job holds one thread, not the whole worker.
worker_class = "web.gunicorn_worker.HeaderedThreadWorker"
threads = _settings.threads
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
# gunicorn's control socket (for gunicornc) is one path per user, shared by every gunicorn on the
# machine, so one server stopping removes another's; nothing here uses it.
control_socket_disable = True
