"""The addresses of everything the dashboard links to, built in one place: pages, chart exports, board
packs, slides, dataset pages and the data API. Each carries the filters (the query string), so a link
opens the view it was made from."""

from __future__ import annotations

from urllib.parse import quote

from data.queries import Filters

API = "/api/v1"
ALL_SECTIONS = "all"


def _query(filters: Filters | None, **extra: str) -> str:
    search = filters.to_search() if filters is not None else ""
    pairs = "&".join(f"{k}={quote(v)}" for k, v in extra.items())
    if not pairs:
        return search
    return f"{search}&{pairs}" if search else f"?{pairs}"


def page(path: str, filters: Filters | None = None) -> str:
    """A page at ``path`` ('/', '/organised-crime', ...) with the filters."""
    return path + _query(filters)


def section_path(slug: str) -> str:
    """A section's page address from its slug (the overview's is '/')."""
    from sections.base import HOME

    return "/" if slug == HOME else f"/{slug}"


def chart_export(slug: str, key: str, fmt: str, filters: Filters | None = None) -> str:
    """A chart's image or data file: '/export/chart/<section>/<chart>.<fmt>' with the filters."""
    return f"/export/chart/{slug}/{key}.{fmt}" + _query(filters)


def pack(fmt: str, scope: str, filters: Filters | None = None) -> str:
    """The board pack of a section (its slug) or of the whole dashboard (``ALL_SECTIONS``)."""
    return f"/export/pack.{fmt}" + _query(filters, section=scope)


def slide(slide_id: str, filters: Filters | None = None) -> str:
    """A slide of meeting mode, '/present/<section>-<n>' with the filters."""
    return f"/present/{slide_id}" + _query(filters)


def dataset_page(name: str) -> str:
    return f"/data/{name}"


def dataset_api(name: str, fmt: str) -> str:
    return f"{API}/datasets/{name}.{fmt}"


def api(path: str = "datasets") -> str:
    """An API listing: 'datasets', 'publications' or 'checks'."""
    return f"{API}/{path}"
