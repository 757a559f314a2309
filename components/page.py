"""The frame every dashboard page shares: heading, intro, filter bar, notice and chart cards."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence

import pandas as pd
from dash import html

from components.chart_card import Chart, chart_card
from components.filters import filter_bar
from data.loader import DataStore
from data.queries import ALL, Filters, apply_filters, filter_options, why_empty

log = logging.getLogger(__name__)


def safe_layout(layout: Callable[..., object]) -> Callable[..., object]:
    """Wrap a page's layout so an unexpected error shows a plain message, not a blank page.

    The error and its traceback go to the log; the reader sees no trace.
    """

    @functools.wraps(layout)
    def wrapper(*args, **kwargs):
        try:
            return layout(*args, **kwargs)
        except Exception:
            log.exception("Page layout failed for %s with %s", layout.__module__, kwargs)
            return html.Div(
                [
                    html.H1("This page could not be shown"),
                    html.P(
                        "Something went wrong while drawing this page. The problem has been logged. "
                        "Try another page, or clear the filters."
                    ),
                    html.A("Go to the overview", href="/"),
                ],
                role="alert",
            )

    return wrapper


def page_rows(store: DataStore, datasets: Sequence[str]) -> pd.DataFrame:
    """All rows of the page's datasets."""
    return store.frame[store.frame["dataset"].isin(list(datasets))]


def filter_notice(rows: pd.DataFrame, filters: Filters) -> str:
    """Words for filters that this page's data cannot honour, or ''."""
    notes = []
    if filters.period != ALL and filters.period not in set(rows["period"]):
        notes.append(f"There are no figures for the period '{filters.period}' on this page.")
    if filters.force != ALL and filters.force not in set(rows["force"].astype(str)):
        if filters.force in (
            "Staffordshire",
            "Warwickshire",
            "West Mercia",
            "West Midlands Police",
        ):
            notes.append(
                f"The sources give no figures for {filters.force} alone on this page: "
                "most are for the West Midlands region as a whole."
            )
        else:
            notes.append(f"There are no figures for {filters.force} on this page.")
    return " ".join(notes)


def dashboard_page(
    title: str,
    intro: str,
    rows: pd.DataFrame,
    filters: Filters,
    charts: Sequence[Chart],
    extra: Sequence = (),
) -> html.Div:
    notice = filter_notice(rows, filters)
    return html.Div(
        [
            html.H1(title),
            html.P(intro, className="lead"),
            filter_bar(filter_options(rows, filters), filters),
            html.P(notice, className="filter-notice", role="status") if notice else None,
            *extra,
            html.Div([chart_card(c) for c in charts], className="chart-grid"),
        ]
    )


def filtered(rows: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    return apply_filters(rows, filters)


def build_chart(
    key: str,
    rows_all: pd.DataFrame,
    filters: Filters,
    *,
    title,
    summary,
    figure=None,
    content=None,
    caveats=(),
    empty_title: str,
    context: bool = False,
) -> Chart:
    """Filter ``rows_all``; then title, summary and figure are functions of the rows left.

    With nothing left, the card keeps ``empty_title`` and says why in words.
    """
    rows = apply_filters(rows_all, filters)
    if rows.empty or (rows["value"].isna().all() and (rows["value_text"] == "").all()):
        return Chart(
            key=key,
            title=empty_title,
            summary="",
            rows=rows.iloc[0:0],
            empty_message=why_empty(rows_all, filters),
            context=context,
        )
    caveat_list = list(caveats(rows)) if callable(caveats) else list(caveats)
    return Chart(
        key=key,
        title=title(rows) if callable(title) else title,
        summary=summary(rows) if callable(summary) else summary,
        rows=rows,
        figure=figure(rows) if figure else None,
        content=content(rows) if content else None,
        caveats=caveat_list,
        context=context,
    )
