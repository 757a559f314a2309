"""Download routes: ``/export/chart/<section>/<chart>.<fmt>`` and ``/export/pack.<fmt>``.

Filters come from the query string, as on the pages. Names are matched against the sections and
their charts; nothing from the URL is used as a path. Failures give a plain message, never a trace.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request
from markupsafe import escape

from data.loader import DataStore
from data.published import current_view
from data.queries import Filters
from data.rows import to_csv
from exports.pack import version_lines
from exports.render import IMAGE_FORMATS, IMAGE_SIZES, SLIDE, ExportError
from exports.spec import CHART, PACK, Done, Exporter, ExportSpec, Failed, Outcome, Pending
from exports.tables import chart_csv, chart_xlsx
from sections import BY_SLUG, SECTIONS, section_charts
from sections.base import checked
from sections.links import ALL_SECTIONS
from web.shared_cache import kept

log = logging.getLogger(__name__)

CHART_FORMATS = (*IMAGE_FORMATS, "csv", "xlsx")
PACK_FORMATS = ("pptx", "pdf")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _download(body: bytes | str, fmt: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def _checked_filters(store: DataStore) -> Filters | Response:
    """The address's filters, or a plain 404 when one names a value the data does not have (nothing is
    drawn or kept for such an address)."""
    check = checked(store, Filters.from_query(request.args))
    if not check.ok:
        return _plain(404, " ".join(check.problems))
    return check.filters


#: A request header of the page's script: answer at once with the export's progress (JSON) while it is
#: being made, rather than waiting for the file.
PROGRESS_HEADER = "X-SPR-Progress"
#: How often the "being made" page asks again (seconds).
REFRESH_SECONDS = 3


def _spec(kind: str, store: DataStore, fmt: str, filters: Filters, sections: tuple[str, ...], **more) -> ExportSpec:
    view = current_view()
    when = datetime.now(UTC)
    return ExportSpec(
        kind=kind,
        version=store.version,
        sensitive=view.sensitive if view is not None else False,
        fmt=fmt,
        sections=sections,
        period=filters.period,
        strand=filters.strand,
        force=filters.force,
        day=when.date().isoformat() if kind == PACK else "",
        cover=version_lines(store) if kind == PACK else (),
        **more,
    )


def _answer(outcome: Outcome, fmt: str, filename: str, what: str) -> Response:
    if isinstance(outcome, Done):
        return _download(outcome.body, fmt, filename)
    if isinstance(outcome, Failed):
        return _plain(404 if outcome.missing else 503, outcome.message)
    return _pending(outcome, what)


def _pending(outcome: Pending, what: str) -> Response:
    """202: the file is queued or being made. The page's script gets JSON; a browser without it gets a
    page that asks again every few seconds and downloads the file when it is ready."""
    said = (
        f"{what} is being made: {outcome.drawn} chart{'s' if outcome.drawn != 1 else ''} drawn so far."
        if outcome.state == "running"
        else f"{what} is waiting its turn to be made."
    )
    if request.headers.get(PROGRESS_HEADER):
        response = jsonify(state=outcome.state, drawn=outcome.drawn, seconds=round(outcome.seconds, 1), message=said)
        response.status_code = 202
    else:
        page = (
            '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(what)} is being made – SPR Board Dashboard</title></head><body>"
            f'<main><h1>{escape(what)} is being made</h1><p role="status">{escape(said)}</p>'
            f"<p>This page checks again every {REFRESH_SECONDS} seconds, and your browser saves the file when "
            'it is ready. <a href="/">Back to the dashboard</a>.</p></main></body></html>'
        )
        response = Response(page, status=202, mimetype="text/html")
        response.headers["Retry-After"] = str(REFRESH_SECONDS)
    response.cache_control.no_store = True
    return response


def create_blueprint(get_store: Callable[[], DataStore], exporter: Exporter, max_waiting: int = 2) -> Blueprint:
    """The export routes. Images and packs are made by ``exporter`` (here, or by the export workers).
    On a shared queue, at most ``max_waiting`` of this worker's threads wait for a file at once."""
    bp = Blueprint("exports", __name__, url_prefix="/export")
    waiting = threading.BoundedSemaphore(max_waiting)

    @contextmanager
    def waited(long: float) -> Iterator[float]:
        """How long this request waits for its file before it is answered 'being made' (202)."""
        # Only a shared queue answers at once: in one process, another request may reach another
        # worker, which would start the same export again, so there the request waits.
        if not exporter.shared:
            yield long
        elif request.headers.get(PROGRESS_HEADER):  # the page's script asks again by itself
            yield 0.5
        elif not waiting.acquire(blocking=False):
            # Enough of this worker's threads wait on the queue already: the rest are for pages.
            yield 0.0
        else:
            try:
                yield long
            finally:
                waiting.release()

    @bp.get("/chart/<string:slug>/<string:filename>")
    def chart(slug: str, filename: str):
        section = BY_SLUG.get(slug)
        key, _, fmt = filename.rpartition(".")
        if section is None or fmt not in CHART_FORMATS:
            return _plain(404, "No such chart or format.")
        size = IMAGE_SIZES.get(request.args.get("size", SLIDE.name))
        if size is None:
            return _plain(404, "Images come in a slide size or a document size (size=document).")
        store = get_store()
        filters = _checked_filters(store)
        if isinstance(filters, Response):
            return filters
        found = [c for c in section_charts(section, store, filters) if c.key == key]
        if not found:
            return _plain(404, "No such chart.")
        (item,) = found
        if item.is_empty:
            return _plain(404, f"This chart has no figures under these filters. {item.empty_message}")
        when = datetime.now(UTC)
        name = f"{key}{'-' + filters.to_search().lstrip('?').replace('&', '-').replace('=', '-').replace('+', '_') if filters.to_search() else ''}"
        name = "".join(ch for ch in name if ch.isalnum() or ch in "-_")[:120]
        if size is not SLIDE and fmt in IMAGE_FORMATS:
            name += f"-{size.name}"
        try:
            if fmt == "csv":
                # The rows are the costly part, and the same for every reader of this view: kept.
                rows = kept(store, ("chart csv", slug, key, filters.to_search()), lambda: to_csv(item.rows).encode())
                return _download(
                    chart_csv(item, filters, request.url, when, store.publications, rows.decode()), fmt, name
                )
            if fmt == "xlsx":
                return _download(chart_xlsx(item, filters, request.url, when, store.publications), fmt, name)
        except ExportError as err:
            return _plain(503, str(err))
        spec = _spec(CHART, store, fmt, filters, (slug,), chart=key, size=size.name)
        with waited(exporter.chart_wait) as wait:
            outcome = exporter.result(spec, store, wait=wait)
        return _answer(outcome, fmt, name, "The chart image")

    @bp.get("/pack.<string:fmt>")
    def pack(fmt: str):
        if fmt not in PACK_FORMATS:
            return _plain(404, "The board pack comes as pptx or pdf.")
        slug = request.args.get("section", ALL_SECTIONS)
        if slug != ALL_SECTIONS and slug not in BY_SLUG:
            return _plain(404, "No such section.")
        sections = SECTIONS if slug == ALL_SECTIONS else (BY_SLUG[slug],)
        store = get_store()
        filters = _checked_filters(store)
        if isinstance(filters, Response):
            return filters
        when = datetime.now(UTC)
        spec = _spec(PACK, store, fmt, filters, tuple(s.slug for s in sections))
        with waited(exporter.pack_wait) as wait:
            outcome = exporter.result(spec, store, wait=wait)
        return _answer(outcome, fmt, f"spr-board-pack-{slug}-{when:%Y%m%d}", "The board pack")

    return bp
