"""Figures as a list of plain sentences, for facts that read better as words than as a chart."""

from __future__ import annotations

import pandas as pd
from dash import html

from data.formatting import format_value

#: The class of a long list's later statements: shown on paper; on screen they are in the table.
MORE_FACTS_CLASS = "more-facts"


def fact_list(
    rows: pd.DataFrame, show_category: bool = False, publications: dict | None = None, visible: int | None = None
) -> html.Ul | html.Div:
    """One item per row: measure (and breakdown), the value in words, period and source; where the rows
    come from more than one paper, the paragraph names its paper.

    With ``visible``, a list longer than that shows its first ``visible`` statements on screen and says
    how many more the card's table holds; printing shows them all.

    ``rows`` need the columns of ``data.schema.FRAME_COLUMNS``.
    """
    items = []
    several_areas = rows["force"].nunique() > 1
    papers = set(rows.loc[rows["source_type"] == "paper", "publication"].astype(str))

    def where(r: pd.Series) -> str:
        if r["source_type"] != "paper":
            return "public source"
        pub = (publications or {}).get(str(r["publication"]))
        return f"{r['source']}, {pub.name}" if len(papers) > 1 and pub is not None else str(r["source"])

    for _, r in rows.iterrows():
        name = str(r["measure"]) + (f" ({r['breakdown']})" if r["breakdown"] else "")
        value = format_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["value_text"])
        items.append(
            html.Li(
                [
                    html.Strong(f"{r['category']}: ") if show_category else None,
                    f"{name}: ",
                    html.Span(value, className="fact-value"),
                    html.Span(
                        f" ({(str(r['force']) + '; ') if several_areas else ''}{r['period']}; {where(r)})",
                        className="fact-meta",
                    ),
                    html.Span(" — worked out by the dashboard", className="fact-meta")
                    if r["derived"] == "yes"
                    else None,
                    html.Span(f" — {r['revised_from']}", className="fact-meta") if r.get("revised_from") else None,
                ]
            )
        )
    if visible is None or len(items) <= visible + 1:  # never hide a single statement
        return html.Ul(items, className="fact-list")
    rest = items[visible:]
    return html.Div(
        [
            html.Ul(items[:visible], className="fact-list mb-1"),
            # On screen the rest are in the card's table (one key away); on paper, here.
            html.Ul(rest, className=f"fact-list {MORE_FACTS_CLASS}"),
            html.P(f"And {len(rest)} more in the table below.", className="more-facts-note small"),
        ]
    )


def hidden_facts(rows: pd.DataFrame, visible: int | None) -> int:
    """How many of the rows' statements ``fact_list(rows, visible=visible)`` leaves for the table."""
    return 0 if visible is None or len(rows) <= visible + 1 else len(rows) - visible
