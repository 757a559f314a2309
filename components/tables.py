"""Accessible HTML tables built from data frames."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from data.formatting import format_value


def source_link(source: str, short: bool = False, title: str = "") -> html.A | str:
    """A URL as a link named by ``title`` (the release's title), else by its site's name when ``short``,
    else by the address itself; a paragraph reference as plain text."""
    if source.startswith(("http://", "https://")):
        text = title or (urlparse(source).netloc.removeprefix("www.") if short else source)
        return html.A(text, href=source, rel="noopener noreferrer")
    return source


def rows_table(frame: pd.DataFrame, caption: str, publications: dict | None = None) -> html.Div:
    """Rows of a dataset: measure, split, period, area, strand, value as words, source, note.

    ``frame`` needs the columns of ``data.schema.FRAME_COLUMNS``.
    """
    headers: Sequence[str] = (
        "Measure",
        "Breakdown",
        "Period",
        "Area",
        "Strand",
        "Value",
        "Source",
        "Note",
    )
    body = []
    papers = set(frame.loc[frame["source_type"] == "paper", "publication"].astype(str))
    for row in frame.itertuples(index=False):
        source = row.source
        pub = (publications or {}).get(str(row.publication))
        if len(papers) > 1 and row.source_type == "paper" and pub is not None:
            source = f"{row.source}, {pub.name}"  # which paper, where there are several
        value = format_value(row.value, str(row.unit), str(row.qualifier), row.value_text)
        note = row.note
        if row.derived == "yes":
            note = f"Worked out by the dashboard: {note}"
        revised = getattr(row, "revised_from", "")
        if revised:
            note = f"{revised[:1].upper()}{revised[1:]}." + (f" {note}" if note else "")
        body.append(
            html.Tr(
                [
                    html.Th(row.measure, scope="row"),
                    html.Td(row.breakdown),
                    html.Td(row.period),
                    html.Td(str(row.force)),
                    html.Td("" if pd.isna(row.strand) else str(row.strand)),
                    html.Td(value, className="text-end text-nowrap"),
                    html.Td(source_link(source, title=release_title(pub)), className="source-cell"),
                    html.Td(note),
                ]
            )
        )
    return scrollable(
        dbc.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody(body),
            ],
            striped=True,
            hover=True,
            className="data-table",
        ),
        f"Table: {caption}",
    )


def release_title(pub) -> str:
    """'ITV News: News report of UK results of Operation Venetic ...': a public release by its publisher and
    title (what a link to it says), or '' when it is not known."""
    if pub is None or pub.is_paper:
        return ""
    return pub.title if pub.title.startswith(pub.publisher) else f"{pub.publisher}: {pub.title}"


def scrollable(table: dbc.Table, label: str) -> html.Div:
    """A table that scrolls sideways on narrow screens, reachable and scrollable by keyboard."""
    return html.Div(table, className="table-responsive", tabIndex="0", role="region", **{"aria-label": label})
