"""The Dash app: ``create_app()`` builds it. Importing this module builds nothing; gunicorn serves
``wsgi:server``, which calls ``build()``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc  # noqa: F401  (registers dbc's components)

import web
from api.routes import register_api
from components.shell import APP_TITLE, shell
from data.loader import DataStore, get_store, load_or_report, load_store, use_store
from data.validation import DataError
from draw_check import drawing_problems
from exports.routes import create_blueprint as create_exports
from settings import Settings, configure_logging, get_settings

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
    """Build the app on the data in ``settings.data_dir``: raises DataError if it is invalid, and (with
    ``warm``) DrawError if any page, slide or export cannot be drawn from it. Warming draws every page
    and slide once with no filters, so they are cached before anyone asks.
    """
    settings = settings or get_settings()
    use_store(load_store(settings.data_dir))
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
    app.layout = shell
    web.install(app, get_store)
    register_api(app.server, get_store)
    app.server.register_blueprint(create_exports(get_store))
    if warm:
        problems = drawing_problems(app.server, get_store(), nav_paths())
        if problems:
            raise DrawError("\n".join(f"  {p}" for p in problems))
    return app


def nav_paths() -> list[str]:
    """The addresses of the pages in the navigation bar."""
    return [page["path"] for page in dash.page_registry.values() if page.get("nav", True)]


def reload_data(dash_app: dash.Dash) -> bool:
    """Read the data folder again; serve it only if it is valid (else log why and keep the last good data).

    gunicorn calls this in its master on SIGHUP (``gunicorn.conf.py``), before new workers fork
    from it, so every worker answers from the same data. True when new data is now serving.
    """
    fresh = load_or_report()
    if fresh is None:
        return False
    return serve_if_it_draws(dash_app, fresh)


def serve_if_it_draws(dash_app: dash.Dash, fresh: DataStore) -> bool:
    """Serve ``fresh`` if every page, slide and export draws from it (it is then cached); else log what
    failed and go back to the data before. True when ``fresh`` is now serving."""
    before = use_store(fresh)
    problems = drawing_problems(dash_app.server, fresh, nav_paths())
    if problems:
        use_store(before)
        log.error(
            "New data rejected: it is valid, but these could not be drawn from it; the last good data keeps serving.\n%s",
            "\n".join(f"  {p}" for p in problems),
        )
        return False
    log.info("New data is serving: %d rows from %d datasets", len(fresh.frame), len(fresh.catalogue))
    return True


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
