"""The Dash app: ``create_app()`` builds it. Importing this module builds nothing; gunicorn serves
``wsgi:server``, which calls ``build()``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc  # noqa: F401  (registers dbc's components)
from flask import request

import web
from api.routes import register_api
from components.shell import APP_TITLE, shell
from data.loader import DataStore, get_store, load_store, use_store
from data.marking import public_view
from data.validation import DataError
from draw_check import drawing_problems
from exports.render import check_renderer
from exports.routes import create_blueprint as create_exports
from jobs.queue import exporter_for
from publishing.routes import register as register_publishing
from settings import Settings, configure_logging, get_settings
from web.backend import Backend
from web.health import PATH as HEALTH_PATH
from web.shared_cache import EXTENSION as CACHE

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent
#: The version in the address lets browsers keep the file for a year (http_cache); a test keeps it
#: in step with the file's own header.
BOOTSTRAP_URL = "/assets/vendor/bootstrap.min.css?v=5.3.8"

INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


class DrawError(RuntimeError):
    """Valid data from which a page, slide or export cannot be drawn; the message lists what failed."""


def create_app(settings: Settings | None = None, warm: bool = True) -> dash.Dash:
    """Build the app on the published data: the database is migrated, and at the first start the data
    folder (``settings.data_dir``) is checked and published as version 1. Raises DataError if the data
    is invalid, and (with ``warm``) DrawError if any page, slide or export cannot be drawn from the
    current version, as everyone sees it and as a cleared reader sees it. Warming draws every page and
    slide once with no filters, so they are cached before anyone asks.
    """
    settings = settings or get_settings()
    svc = Backend.open(settings)
    if svc.versions.latest() is None:
        load_store(settings.data_dir)  # raises DataError: nothing invalid is ever published
        svc.versions.import_folder(settings.data_dir)
    current = svc.library.current()
    full = svc.library.store(current, sensitive=True)
    use_store(svc.library.store(current, sensitive=False))  # what code outside a request sees
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        # Dash matches this against file names only. Bootstrap is linked first, below; plotly.js is
        # loaded by Dash when a chart first appears (plotly_bundle), not on every page.
        assets_ignore=r"^(bootstrap\.min\.css|plotly-basic\.min\.js)$",
        external_stylesheets=[BOOTSTRAP_URL],
        title=APP_TITLE,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        compress=True,
        # Dash Pages would otherwise build every page's layout (all its figures) in every worker and
        # send it inside every page's HTML (740 KB) to check callback ids in the browser. The tests
        # check instead that every callback's ids are in the shell or a page (test_callback_ids).
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX_STRING
    app.interpolate_index = _with_structured_data(app.interpolate_index, settings.data_licence_url)
    app.layout = shell
    web.install(app, svc)
    register_api(app.server, get_store)
    exporter = exporter_for(settings, app.server.extensions[CACHE])
    # Half of each worker's threads at most wait on the export queue; the rest answer pages.
    app.server.register_blueprint(create_exports(get_store, exporter, max_waiting=max(1, settings.threads // 2)))
    register_publishing(app.server, svc, lambda store: drawing_problems_everywhere(app, store))
    check_renderer()  # logs plainly when chart images and packs cannot be made here
    # Dash finishes setting itself up (its script list, the pages' router) on its first request, with no
    # lock: make that request here, before a worker's threads can make it together.
    app.server.test_client().get(HEALTH_PATH)
    if warm:
        problems = drawing_problems_everywhere(app, full)
        if problems:
            raise DrawError("\n".join(f"  {p}" for p in problems))
    return app


def _with_structured_data(interpolate, licence_url: str):
    """Dash's page HTML, with a dataset page's schema.org description in its head (Dash documents
    ``interpolate_index`` as the way to change that HTML)."""

    def with_data(**parts: str) -> str:
        from pages.dataset import structured_data

        parts["metas"] = parts.get("metas", "") + structured_data(request.path, request.host_url, licence_url)
        return interpolate(**parts)

    return with_data


def nav_paths() -> list[str]:
    """The addresses of the pages in the navigation bar."""
    return [page["path"] for page in dash.page_registry.values() if page.get("nav", True)]


def drawing_problems_everywhere(dash_app: dash.Dash, full: DataStore) -> list[str]:
    """What cannot be drawn from ``full``, as a cleared reader sees it and as everyone else does."""
    problems = drawing_problems(dash_app.server, full, nav_paths())
    public = public_view(full)
    if public is not full:
        problems += [f"{p} (as the public sees it)" for p in drawing_problems(dash_app.server, public, nav_paths())]
    return problems


def build() -> dash.Dash:
    """The app as gunicorn serves it (``wsgi.py``): logging set up, and on data that is invalid or does not
    draw, the full report logged and the process ended with status 3."""
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        return create_app(settings)
    except DataError as err:
        log.critical("The data is not valid, so the dashboard will not start.\n%s", err.report())
    except DrawError as err:
        log.critical("The data is valid, but the dashboard cannot draw these from it, so it will not start.\n%s", err)
    sys.exit(3)


if __name__ == "__main__":
    s = get_settings()
    build().run(host=s.host, port=s.port, debug=False)
