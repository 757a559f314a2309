"""Download routes: ``/export/chart/<section>/<chart>.<fmt>`` and ``/export/pack.<fmt>``.

Filters come from the query string, as on the pages. Names are matched against the sections and
their charts; nothing from the URL is used as a path. Failures give a plain message, never a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Blueprint, Response, request

from data.loader import DataStore
from data.queries import Filters
from exports.board_pack import pack_file
from exports.render import IMAGE_FORMATS, IMAGE_SIZES, SLIDE, ExportError, chart_image
from exports.tables import chart_csv, chart_xlsx
from sections import BY_SLUG, SECTIONS, section_charts
from sections.base import checked
from sections.links import ALL_SECTIONS

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


def create_blueprint(get_store: Callable[[], DataStore]) -> Blueprint:
    bp = Blueprint("exports", __name__, url_prefix="/export")

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
                return _download(chart_csv(item, filters, request.url, when, store.publications), fmt, name)
            if fmt == "xlsx":
                return _download(chart_xlsx(item, filters, request.url, when, store.publications), fmt, name)
            return _download(chart_image(item, fmt, store.publications, size), fmt, name)
        except ExportError as err:
            return _plain(503, str(err))

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
        try:
            body = pack_file(store, sections, filters, fmt, when)
        except ExportError as err:
            return _plain(503, str(err))
        return _download(body, fmt, f"spr-board-pack-{slug}-{when:%Y%m%d}")

    return bp
