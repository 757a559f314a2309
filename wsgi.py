"""What gunicorn serves: ``gunicorn -c gunicorn.conf.py wsgi:server`` (as ``make run`` does).

Importing this module builds the app (``app.build``): in gunicorn's master, with ``preload_app``,
before the workers fork, so every worker starts with the data loaded, checked and drawn.
"""

from app import build

app = build()
server = app.server
