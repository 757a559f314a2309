"""What one chart shows, independent of where it is shown (a page, a slide, an export).

``build_chart`` filters a chart's rows and, if any are left, works out its title, summary and
figure from them; if none are left it keeps a plain title and says why in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from data.queries import Filters, apply_filters, why_empty


@dataclass
class Chart:
    """One chart. ``rows`` are the figures behind it (``data.schema.FRAME_COLUMNS``).

    ``facts`` charts show their rows as a list of sentences instead of a figure (statements,
    mixed units); ``facts_by_category`` prefixes each sentence with its category.
    """

    key: str
    title: str
    summary: str
    rows: pd.DataFrame
    figure: go.Figure | None = None
    empty_message: str = ""
    caveats: list[str] = field(default_factory=list)
    facts: bool = False
    facts_by_category: bool = False
    #: Figures from public sources other than the board paper.
    context: bool = False
    #: Every row the chart could show before filtering (its share of the filter options).
    pool: pd.DataFrame | None = None

    @property
    def is_empty(self) -> bool:
        return self.rows.empty


Text = str | Callable[[pd.DataFrame], str]


def build_chart(
    key: str,
    rows_all: pd.DataFrame,
    filters: Filters,
    *,
    title: Text,
    summary: Text,
    empty_title: str,
    figure: Callable[[pd.DataFrame], go.Figure] | None = None,
    facts: bool = False,
    facts_by_category: bool = False,
    caveats: Iterable[str] | Callable[[pd.DataFrame], Iterable[str]] = (),
    context: bool = False,
) -> Chart:
    """Filter ``rows_all``; title, summary, figure and caveats are worked out from what is left."""
    rows = apply_filters(rows_all, filters)
    if rows.empty or (rows["value"].isna().all() and (rows["value_text"] == "").all()):
        return Chart(
            key=key,
            title=empty_title,
            summary="",
            rows=rows.iloc[0:0],
            empty_message=why_empty(rows_all, filters),
            context=context,
            pool=rows_all,
        )
    return Chart(
        key=key,
        title=title(rows) if callable(title) else title,
        summary=summary(rows) if callable(summary) else summary,
        rows=rows,
        figure=figure(rows) if figure else None,
        caveats=list(dict.fromkeys(c for c in (caveats(rows) if callable(caveats) else caveats) if c)),
        facts=facts or facts_by_category,
        facts_by_category=facts_by_category,
        context=context,
        pool=rows_all,
    )
