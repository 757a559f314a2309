"""What every page says about the data it shows: a pinned version or a draft (at the top, with the way
back to the current version), and the handling mark of sensitive figures (at the top and bottom).

``page_version_store`` keeps, in the page, the version it was drawn from: the callbacks the page makes
later (a table opened) send it, so they answer from the same version as the page.
"""

from __future__ import annotations

from datetime import date, datetime

from dash import dcc, html

from data import schema
from data.loader import get_store
from data.marking import marking_of
from data.published import current_view
from sections import links

PAGE_VERSION_ID = "page-version"
NOTICE_CLASS = "view-notice"
MARK_CLASS = "handling-mark"


def long_date(value: date | datetime) -> str:
    """'2 December 2026'."""
    return f"{value.day} {value:%B %Y}"


def page_version_store() -> dcc.Store:
    """The version (or draft) this page is drawn from, for the page's later callbacks."""
    view = current_view()
    data: dict[str, str] = {}
    if view is not None and view.draft is not None:
        data = {links.DRAFT: view.draft.id}
    elif view is not None and view.version is not None:
        data = {links.VERSION: str(view.version)}
    return dcc.Store(id=PAGE_VERSION_ID, data=data)


def presented_text(number: int) -> str:
    """'Version 3 was presented to the board on 15 January 2027 (Strategic Policing and Crime Board).' or ''."""
    view = current_view()
    info = view.library.info(number) if view is not None and view.library is not None else None
    if info is None or not info.presentations:
        return ""
    shown = "; ".join(long_date(p.presented_on) + (f" ({p.meeting})" if p.meeting else "") for p in info.presentations)
    return f"Version {number} was presented to the board on {shown}."


def view_notice() -> html.Div | None:
    """The notice at the top of a page that does not show the current version (None when it does)."""
    view = current_view()
    if view is None:
        return None
    back = view.path + links.with_pin(view.search, {})
    if view.draft is not None:
        return html.Div(
            [
                html.Strong("Draft, not published. "),
                f"Only analysts can see this: it is {view.draft.created_by}'s upload laid over version "
                f"{view.draft.base_version}. ",
                html.A("Back to the draft", href=links.draft_page(view.draft.id)),
            ],
            className=f"{NOTICE_CLASS} alert alert-warning",
            role="note",
        )
    if view.pinned is None:
        return None
    info = view.info()
    published = f", published {long_date(info.published_at)}" if info is not None else ""
    if view.pinned == view.current:
        words = [
            html.Strong(f"Version {view.pinned}{published}. "),
            "This is the current version, shown by a link that will keep showing it after newer versions. ",
        ]
    else:
        words = [
            html.Strong(f"You are looking at version {view.pinned}{published}. "),
            f"It is not the current version (version {view.current}). ",
        ]
    presented = presented_text(view.pinned)
    return html.Div(
        [
            *words,
            f"{presented} " if presented else "",
            html.A("See the current version", href=back),
            " · ",
            html.A("Every version", href=links.versions_page()),
        ],
        className=f"{NOTICE_CLASS} alert alert-info",
        role="note",
    )


def marking_bar(mark: str, where: str) -> html.Div | None:
    """The handling mark as a bar (``where``: 'top' or 'bottom'); None for OFFICIAL, which needs none
    on screen."""
    if mark != schema.OFFICIAL_SENSITIVE:
        return None
    return html.Div(
        mark,
        className=f"{MARK_CLASS} {MARK_CLASS}-{where}",
        role="note",
        **{"aria-label": f"Handling mark: {mark}. Do not share these figures beyond those allowed to see them."},
    )


def download_props(datasets) -> dict[str, str]:
    """The attributes of a download link for figures from ``datasets``: a plain download, or (for
    sensitive figures) a link to the page that asks the reader to confirm first."""
    if marking_of(get_store(), list(datasets)) == schema.OFFICIAL_SENSITIVE:
        return {"title": "OFFICIAL-SENSITIVE: you will be asked to confirm before the download"}
    return {"download": ""}
