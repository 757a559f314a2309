"""Draw every page, slide and export from the data now serving, and say what failed.

New data is served only when this finds nothing (at start-up, ``app``, and before a publish, ``publishing``): data the
validator accepts but a page cannot be drawn from is refused with the reason in the log, and the last
good data keeps serving. Images are not rendered here (that needs Chromium in the master); the figures
they are rendered from are built, and the data files written.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from flask import Flask

from data.loader import DataStore, bind_store, unbind_store
from data.queries import Filters
from exports import deck
from exports.pack import collect
from exports.render import export_figure
from exports.tables import chart_csv, chart_xlsx
from sections import SECTIONS, links, section_charts
from web import page_cache
from web.view import forced_store

log = logging.getLogger(__name__)

#: The words a page's layout shows when it failed (components.page.safe_layout).
PAGE_FAILED = "This page could not be shown"


def slide_paths(store: DataStore) -> list[str]:
    """The address of every slide of meeting mode (each section's deck, first by the section's own
    address, which "Present this page" links to), with no filters."""
    paths = []
    for section in SECTIONS:
        paths.append(links.slide(section.slug))
        paths += [links.slide(step.id) for step in deck.meeting_steps(store, (section,), Filters(), False)]
    return paths


def drawing_problems(server: Flask, store: DataStore, pages: list[str]) -> list[str]:
    """What could not be drawn from ``store``: each page in ``pages`` and each slide through the page
    router (answered from ``store``, whatever is serving), and each chart's export figure and data
    files. Charts that fell back to their plain message are problems too. Drawing pages also caches
    them, in ``store``'s own cache."""
    # A context of its own: drawn from inside a request (a publish), the requests made here must not
    # share the outer request's ``g`` (its user, its view).
    with server.app_context(), forced_store(store), bound(store):
        return _problems(server, store, pages)


@contextlib.contextmanager
def bound(store: DataStore):
    token = bind_store(store)
    try:
        yield
    finally:
        unbind_store(token)


def _problems(server: Flask, store: DataStore, pages: list[str]) -> list[str]:
    problems: list[str] = []
    client = server.test_client()
    client.get("/")
    for path in [*pages, *slide_paths(store)]:
        res = client.post(
            "/_dash-update-component", data=page_cache.router_request(path), content_type="application/json"
        )
        if res.status_code != 200 or PAGE_FAILED in res.get_data(as_text=True):
            problems.append(f"the page {path} could not be drawn (status {res.status_code}; the log above says why)")
    when = datetime.now(UTC)
    for section in SECTIONS:
        for chart in section_charts(section, store, Filters()):
            where = f"{section.title}, chart {chart.key!r}"
            if chart.failed:
                problems.append(f"{where} could not be drawn from its figures (the log above says why)")
            if chart.is_empty:
                continue
            try:
                export_figure(chart, store.publications).to_dict()
                chart_csv(chart, Filters(), "check", when, store.publications)
                chart_xlsx(chart, Filters(), "check", when, store.publications)
            except Exception:
                log.exception("Exporting %s failed", where)
                problems.append(f"{where} could not be exported (the log above says why)")
    try:
        pack = collect(store, SECTIONS, Filters())
        # The slides of the whole pack, laid out (titles fitted, lists split) without drawing a picture.
        deck.plan(pack, True, {id(c): "" for s in pack.sections for c in s.charts})
    except Exception:
        log.exception("The board pack could not be put together")
        problems.append("the board pack could not be put together (the log above says why)")
    return problems
