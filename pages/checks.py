"""Checks on the paper: each publication's figures set against each other, rule by rule, with a verdict."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.page import EVERY_DATASET, safe_layout
from components.tables import scrollable
from data.checks import AGREES, DIFFERS, store_checks
from data.loader import get_store

dash.register_page(
    __name__,
    path="/checks",
    name="Checks on the paper",
    title="Checks on the paper – SPR Board Dashboard",
    description="Each board paper's figures checked against each other: totals, stated changes, words and lists.",
    order=7,
)

_VERDICT_CLASS = {AGREES: "check-agrees", DIFFERS: "check-differs"}


def results_table(results: list, caption: str) -> html.Div:
    body = [
        html.Tr(
            [
                html.Th(
                    [html.Span(r.rule.title), html.Br(), html.Span(r.rule.description, className="small fw-normal")],
                    scope="row",
                ),
                html.Td(html.Strong(r.verdict.label), className=_VERDICT_CLASS.get(r.verdict.kind, "check-unknown")),
                html.Td(r.verdict.text),
                html.Td(r.paragraphs or "—", className="text-nowrap"),
                html.Td(html.Ul([html.Li(f) for f in r.figures], className="small mb-0")),
            ]
        )
        for r in results
    ]
    headers = ("Check", "Verdict", "What was found", "Paragraphs", "Figures used")
    return scrollable(
        dbc.Table(
            [html.Caption(caption), html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])), html.Tbody(body)],
            className="data-table checks-table",
        ),
        caption,
    )


@safe_layout(shows=EVERY_DATASET)
def layout(**_query: str) -> html.Div:
    store = get_store()
    results = store_checks(store)
    by_pub: dict[str, list] = {}
    for r in results:
        by_pub.setdefault(r.publication.id, []).append(r)
    blocks = []
    for pub_id, found in by_pub.items():
        pub = store.publications[pub_id]
        differ = sum(1 for r in found if r.verdict.kind == DIFFERS)
        heading = f"{pub.title}" + (f", {pub.board}" if pub.board else "") + f" ({pub.date.label})"
        blocks += [
            html.H2(heading, className="h4 mt-4"),
            html.P(
                f"{len(found)} check{'s' if len(found) != 1 else ''}: "
                f"{sum(1 for r in found if r.verdict.kind == AGREES)} agree, {differ} differ, "
                f"{sum(1 for r in found if r.verdict.kind not in (AGREES, DIFFERS))} cannot be checked from the "
                "figures given."
            ),
            results_table(found, f"Checks on {pub.short_title}, {pub.date.label}"),
        ]
    return html.Div(
        [
            html.H1("Checks on the paper"),
            html.P(
                "Each paper's figures are set against each other: parts against the totals it states, the changes "
                "it states against the change its own figures give, the words it uses for a change against its "
                "size, and lists it gives twice. A check that differs is shown as a caveat beside the chart it "
                "concerns. The checks are the dashboard's own; they say where figures disagree, not why.",
                className="lead",
            ),
            *(blocks or [html.P("No check applies to the figures in the data.")]),
            html.P(
                ["The same checks as data: ", html.A("/api/v1/checks", href="/api/v1/checks"), "."], className="mt-4"
            ),
        ]
    )
