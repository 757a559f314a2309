"""The addresses of everything the dashboard links to, built in one place: pages, chart exports, board
packs, slides, dataset pages and the data API. Each carries the filters (the query string), so a link
opens the view it was made from.

A view can be pinned to a published version (``?version=N``) or, for analysts, be a draft
(``?draft=<id>``): the web layer names the pin for each request (``use_pin``) and every page link keeps
it. Links to files (chart exports, packs, dataset downloads) always name the version their page was
drawn from, so a page and its downloads show the same figures even if a new version is published
while the page is open.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from urllib.parse import parse_qs, quote, urlencode

from data.queries import Filters

API = "/api/v1"
ALL_SECTIONS = "all"
VERSION = "version"
DRAFT = "draft"
#: The query parameters that choose which data a view shows (not filters of it).
PIN_PARAMS = (VERSION, DRAFT)

_pin: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar("spr_pin", default=())


def use_pin(pairs: Mapping[str, str]) -> contextvars.Token:
    """Keep ``pairs`` (``{"version": "3"}``, ``{"draft": id}`` or nothing) in every page link built
    until ``forget_pin``."""
    return _pin.set(tuple((k, v) for k, v in pairs.items() if k in PIN_PARAMS and v))


def forget_pin(token: contextvars.Token) -> None:
    _pin.reset(token)


def pin() -> dict[str, str]:
    """The pin of the view being drawn (empty for the current version)."""
    return dict(_pin.get())


def file_pin() -> dict[str, str]:
    """The pin for a file link: the view's own, else the version the page is drawn from."""
    pairs = pin()
    if pairs:
        return pairs
    from data.loader import get_store

    version = get_store().version
    return {VERSION: str(version)} if version is not None else {}


def pin_of(search: str | None) -> dict[str, str]:
    """The pin in a query string ('?version=3&strand=Pursue' → {'version': '3'})."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {k: query[k][0] for k in PIN_PARAMS if query.get(k)}


def search(filters: Filters | None, pairs: Mapping[str, str] | None = None, **extra: str) -> str:
    """A query string: the filters, the pin (``pairs``; default the view's) and ``extra``."""
    query = filters.to_search().lstrip("?") if filters is not None else ""
    more = {**(pin() if pairs is None else dict(pairs)), **extra}
    tail = "&".join(f"{k}={quote(str(v))}" for k, v in more.items())
    joined = "&".join(p for p in (query, tail) if p)
    return f"?{joined}" if joined else ""


def with_pin(search_text: str, pairs: Mapping[str, str]) -> str:
    """``search_text`` (a query string) with ``pairs`` added where it has none of its own."""
    query = parse_qs((search_text or "").lstrip("?"), keep_blank_values=False)
    flat = [(k, v) for k, vs in query.items() for v in vs if k not in PIN_PARAMS]
    flat += list(pairs.items())
    return "?" + urlencode(flat) if flat else ""


def page(path: str, filters: Filters | None = None) -> str:
    """A page at ``path`` ('/', '/organised-crime', ...) with the filters and the view's pin."""
    return path + search(filters)


def current(path: str, filters: Filters | None = None) -> str:
    """The page at ``path`` showing the current version (no pin), with the filters."""
    return path + search(filters, {})


def section_path(slug: str) -> str:
    """A section's page address from its slug (the overview's is '/')."""
    from sections.base import HOME

    return "/" if slug == HOME else f"/{slug}"


def chart_export(slug: str, key: str, fmt: str, filters: Filters | None = None, **extra: str) -> str:
    """A chart's image or data file: '/export/chart/<section>/<chart>.<fmt>' with the filters (and, for an
    image, ``size='document'``)."""
    return f"/export/chart/{slug}/{key}.{fmt}" + search(filters, file_pin(), **extra)


def pack(fmt: str, scope: str, filters: Filters | None = None) -> str:
    """The board pack of a section (its slug) or of the whole dashboard (``ALL_SECTIONS``)."""
    return f"/export/pack.{fmt}" + search(filters, file_pin(), section=scope)


def slide(slide_id: str, filters: Filters | None = None, **extra: str) -> str:
    """A slide of meeting mode, '/present/<section>/<chart-key>' (or a section's first slide,
    '/present/<section>'), with the filters and the view's pin."""
    return f"/present/{slide_id}" + search(filters, **extra)


def dataset_page(name: str) -> str:
    return f"/data/{name}" + search(None)


def dataset_api(name: str, fmt: str) -> str:
    """A dataset's file in the API, at the version the page is drawn from."""
    return f"{API}/datasets/{name}.{fmt}" + search(None, file_pin())


def dataset_metadata(name: str) -> str:
    """A dataset's CSVW metadata: the CSV's own address plus '-metadata.json' (where CSVW readers look)."""
    return f"{API}/datasets/{name}.csv-metadata.json" + search(None, file_pin())


def api(path: str = "datasets") -> str:
    """An API listing: 'datasets', 'publications', 'checks' or 'versions'."""
    return f"{API}/{path}"


def draft_page(draft_id: str) -> str:
    """An analyst's draft: what it changes, and the button that publishes it."""
    return f"/publish/drafts/{draft_id}"


def publish_page() -> str:
    return "/publish"


def versions_page() -> str:
    return "/versions"


def compare_page(old: int, new: int) -> str:
    """What changed between two versions, figure by figure."""
    return f"/versions/compare?from={old}&to={new}"
