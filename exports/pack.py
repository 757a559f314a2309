"""What a board pack holds: every chart of a section (or of the whole dashboard) under the current
filters, in the paper's order, with the cover's lines and the handling mark of its figures.

``exports.deck`` turns this into slides; ``exports.board_pack`` makes the PowerPoint and PDF files.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data import schema
from data.formatting import format_value
from data.loader import DataStore
from data.marking import marking_of
from data.publications import Publication, as_at_text
from data.published import current_view
from data.queries import Filters
from figures.chart import Chart
from sections import Section, section_charts

log = logging.getLogger(__name__)

PACK_TITLE = "Board pack: Strategic Policing Requirement"


@dataclass(frozen=True)
class PackSection:
    title: str
    intro: str
    charts: list[Chart]
    slug: str = ""


@dataclass(frozen=True)
class Pack:
    """What a board pack holds: the cover's lines (from the publication catalogue) and its sections."""

    cover: list[str]
    sections: list[PackSection]
    publications: dict[str, Publication]
    #: The handling mark of its figures, on every slide and page.
    marking: str = schema.OFFICIAL
    #: Which published version its figures are, and which version was presented to the board.
    version_lines: tuple[str, ...] = ()
    #: The latest board paper its figures come from ('SPR update to the board, January 2021'), and its board.
    paper: str = ""
    board: str = ""


def collect(store: DataStore, sections: Sequence[Section], filters: Filters) -> Pack:
    """The non-empty charts of each section, in order, and the cover naming the publications they come from."""
    out = []
    shown = []
    for section in sections:
        charts = [c for c in section_charts(section, store, filters) if not c.is_empty]
        out.append(PackSection(section.title, section.intro, charts, section.slug))
        shown += [c.rows for c in charts if not c.rows.empty]
    rows = pd.concat(shown) if shown else store.frame.iloc[0:0]
    papers = sorted(
        {
            store.publications[p]
            for p in rows["publication"].astype(str).unique()
            if p in store.publications and store.publications[p].is_paper
        },
        key=lambda p: p.date.last_day,
        reverse=True,
    )
    cover = [f"{p.board}: {p.title} ({p.date.label}){', ' + p.meeting if p.meeting else ''}" for p in papers]
    cover.append(as_at_text(rows, store.publications))
    mark = marking_of(store, set(rows["dataset"].astype(str))) if "dataset" in rows else schema.OFFICIAL
    paper, board = (papers[0].name, papers[0].board) if papers else ("", "")
    return Pack([c for c in cover if c], out, store.publications, mark, version_lines(store), paper, board)


def version_lines(store: DataStore) -> tuple[str, ...]:
    """'Version 3 of the published figures, of 2 December 2026 (the current version).' and which
    version was last presented to the board; nothing for figures that are not a published version."""
    view = current_view()
    if store.version is None:
        return ("A draft: these figures are not published.",) if view is not None and view.draft else ()
    lines = []
    info = view.library.info(store.version) if view is not None and view.library is not None else None
    when = f", published {info.published_at.day} {info.published_at:%B %Y}" if info is not None else ""
    current = " (the current version)" if view is not None and view.current == store.version else ""
    lines.append(f"Version {store.version} of the published figures{when}{current}.")
    presented = view.library.presented() if view is not None and view.library is not None else []
    if presented:
        last = presented[0]
        meeting = f" ({last.meeting})" if last.meeting else ""
        lines.append(
            f"Version {last.version} was presented to the board on {last.presented_on.day} "
            f"{last.presented_on:%B %Y}{meeting}."
        )
    return tuple(lines)


def figures_text(chart: Chart) -> str:
    """The figures behind a chart, one line each, for speaker notes."""
    lines = [chart.summary, ""]
    lines += [f"{t.label}: {t.value}, {t.period}" + (f"; {t.change}" if t.change else "") for t in chart.tiles]
    lines += list(chart.points)
    for _, r in chart.rows.iterrows():
        name = f"{r['measure']} ({r['breakdown']})" if r["breakdown"] else str(r["measure"])
        value = format_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["value_text"])
        lines.append(f"{name}, {r['period']}, {r['force']}: {value} [{r['source']}]")
    return "\n".join(lines)
