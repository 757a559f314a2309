"""Figures as a list of plain sentences, for facts that read better as words than as a chart."""

from __future__ import annotations

import pandas as pd
from dash import html

from data.formatting import format_value


def fact_list(rows: pd.DataFrame, show_category: bool = False, publications: dict | None = None) -> html.Ul:
    """One item per row: measure (and breakdown), the value in words, period and source; where the rows
    come from more than one paper, the paragraph names its paper.

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
    return html.Ul(items, className="fact-list")
