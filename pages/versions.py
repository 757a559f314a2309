"""The revision log: every published version (``/versions``), and what changed between any two, figure
by figure (``/versions/compare?from=A&to=B``).

Everyone sees the same list; the changes are worked out from the data the reader may see, so a
sensitive figure (or a sensitive dataset's name) never shows to someone who may not see it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask import g, has_request_context

from components.page import EVERY_DATASET, safe_layout
from components.shell import APP_TITLE
from components.tables import scrollable
from components.view_notice import long_date
from data.diff import Comparison
from data.published import current_view
from sections import links

COMPARE_FROM = "compare-from"
COMPARE_TO = "compare-to"
#: Rows of changes shown on the page (the API gives them all).
MAX_SHOWN = 1000


def _signed_in_role() -> str:
    user = g.get("user") if has_request_context() else None
    return user.role if user is not None else ""


def _compare_form(latest: int, old: int | None = None, new: int | None = None) -> html.Form:
    options = [{"label": f"Version {n}", "value": str(n)} for n in range(latest, 0, -1)]
    return html.Form(
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("From version", html_for=COMPARE_FROM, className="fw-semibold mb-1"),
                        dbc.Select(id=COMPARE_FROM, name="from", options=options, value=str(old or max(latest - 1, 1))),
                    ],
                    xs=12,
                    md=3,
                ),
                dbc.Col(
                    [
                        dbc.Label("To version", html_for=COMPARE_TO, className="fw-semibold mb-1"),
                        dbc.Select(id=COMPARE_TO, name="to", options=options, value=str(new or latest)),
                    ],
                    xs=12,
                    md=3,
                ),
                dbc.Col(
                    html.Button("Show what changed", type="submit", className="btn btn-dark"),
                    xs=12,
                    md=3,
                    className="d-flex align-items-end",
                ),
            ],
            className="g-3",
        ),
        method="get",
        action=links.compare_page(0, 0).split("?")[0],
        className="filter-bar",
        **{"aria-label": "Compare two versions"},
    )


@safe_layout(shows=EVERY_DATASET)
def log_layout(**_query: str) -> html.Div:
    view = current_view()
    listing = view.library.listing()
    analyst = _signed_in_role() in ("analyst", "admin")
    signed_in = bool(_signed_in_role())
    rows = []
    for v in listing:
        changed = view.shown_changes(v.changed)
        presented = "; ".join(
            long_date(p.presented_on) + (f" ({p.meeting})" if p.meeting else "") for p in v.presentations
        )
        actions: list = [html.A(f"View version {v.number}", href=f"/?version={v.number}")]
        if v.number > 1:
            actions += [" · ", html.A("What it changed", href=links.compare_page(v.number - 1, v.number))]
        if analyst:
            actions += [" · ", html.A("Manage", href=f"/publish/versions/{v.number}")]
        note = v.note + (f" (Publishes version {v.republished_from} again.)" if v.republished_from else "")
        rows.append(
            html.Tr(
                [
                    html.Th(f"{v.number}{' (current)' if v.number == view.current else ''}", scope="row"),
                    html.Td(
                        f"{long_date(v.published_at)}, {v.published_at:%H:%M} UTC"
                        + (f", by {v.published_by}" if signed_in else "")
                    ),
                    html.Td(note),
                    html.Td(", ".join(changed) or "No figures you can see"),
                    html.Td(presented or "—"),
                    html.Td(actions),
                ]
            )
        )
    return html.Div(
        [
            html.H1("Every published version"),
            html.P(
                "Each time an analyst publishes new figures they become a new version. No version is ever "
                "changed or deleted: a link to a version shows its figures as they were published, so you can "
                "see what the board saw on the day. Rolling back publishes an earlier version again, as a new one.",
                className="lead",
            ),
            _compare_form(view.current),
            scrollable(
                dbc.Table(
                    [
                        html.Caption("Every version, newest first"),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col")
                                    for h in (
                                        "Version",
                                        "Published",
                                        "Note",
                                        "Files changed",
                                        "Presented to the board",
                                        "Links",
                                    )
                                ]
                            )
                        ),
                        html.Tbody(rows),
                    ],
                    size="sm",
                    className="versions-table",
                ),
                label="Every published version",
            ),
            html.P(["The same list for programs: ", html.A(links.api("versions"), href=links.api("versions")), "."]),
        ]
    )


def changes_table(found: Comparison) -> html.Div:
    """Every figure added, removed or changed, with its value, qualifier and source before and after."""
    head = ("Change", "Dataset", "Figure", "Before", "After", "Source before", "Source after", "What differs")
    body = [
        html.Tr(
            [
                html.Td(c.kind),
                html.Td(c.dataset),
                html.Td(c.figure),
                html.Td(c.old),
                html.Td(c.new),
                html.Td(c.old_source),
                html.Td(c.new_source),
                html.Td(", ".join(c.fields)),
            ],
            className=f"change-{c.kind}",
        )
        for c in found.changes[:MAX_SHOWN]
    ]
    more = len(found.changes) - MAX_SHOWN
    return html.Div(
        [
            scrollable(
                dbc.Table(
                    [
                        html.Caption("Every figure added, removed or changed"),
                        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                        html.Tbody(body),
                    ],
                    size="sm",
                ),
                label="Figures that changed",
            )
            if body
            else None,
            html.P(f"… and {more:,} more; the API lists them all.") if more > 0 else None,
        ]
    )


def _number(text: object) -> int | None:
    text = str(text or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@safe_layout(shows=EVERY_DATASET)
def compare_layout(**query: str) -> html.Div:
    view = current_view()
    old, new = _number(query.get("from")), _number(query.get("to"))
    form = _compare_form(view.current, old, new)
    if old is None or new is None or not (1 <= old <= view.current and 1 <= new <= view.current):
        return html.Div(
            [
                html.H1("What changed between two versions"),
                html.P(f"Choose two versions, from 1 to {view.current}."),
                form,
                html.P(html.A("Every version", href=links.versions_page())),
            ]
        )
    found = view.compared(old, new)
    extra = []
    if found.datasets_added:
        extra.append(f"New datasets: {', '.join(found.datasets_added)}.")
    if found.datasets_removed:
        extra.append(f"Datasets no longer in it: {', '.join(found.datasets_removed)}.")
    if found.publications_added:
        extra.append(f"New publications: {', '.join(found.publications_added)}.")
    if found.markings_changed:
        extra.append(found.markings_text())
    if found.withheld:
        extra.append(found.withheld_text())
    api = f"{links.API}/changes?from={old}&to={new}"
    return html.Div(
        [
            html.H1(f"What changed from version {old} to version {new}"),
            html.P(html.Strong(found.summary() + "."), className="lead"),
            *(html.P(e) for e in extra),
            form,
            changes_table(found),
            html.P(
                [
                    html.A(f"See version {old}", href=f"/?version={old}"),
                    " · ",
                    html.A(f"See version {new}", href=f"/?version={new}"),
                    " · ",
                    html.A("Every version", href=links.versions_page()),
                    " · The same for programs: ",
                    html.A(api, href=api),
                ]
            ),
        ]
    )


dash.register_page(
    f"{__name__}.log",
    path="/versions",
    name="Versions",
    title=f"Every published version – {APP_TITLE}",
    description="Every published version of the dashboard's figures, and what changed between any two.",
    nav=False,
    layout=log_layout,
)
dash.register_page(
    f"{__name__}.compare",
    path="/versions/compare",
    name="What changed",
    title=f"What changed between two versions – {APP_TITLE}",
    description="What changed between two published versions, figure by figure.",
    nav=False,
    layout=compare_layout,
)
