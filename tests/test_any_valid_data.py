"""Any data the validator accepts draws every page, slide and export.

A new paper brings rows the 2021 data never had. These tests make plausible one-row edits of every kind
(a second measure in a category, a new breakdown, a row for another force or strand, a new period) on
every dataset, and for each edit the validator accepts, draw every page, slide and export of the
sections that read that dataset: no page may fall back to its error message, no chart to its plain
"could not be drawn", no export may fail. Then: a section that cannot be drawn degrades to its message,
and data that does not draw is refused when published, with the last good data kept.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from data import loader, schema
from data.loader import DataStore, load_store
from data.queries import Filters
from data.validation import DataError
from tests.conftest import DATA_DIR

KINDS = ("second measure", "new breakdown", "another force", "another strand", "new period")
DATASETS = sorted(p.stem for p in DATA_DIR.glob("*.csv") if p.name not in schema.CONTROL_FILES)


def edited(row: dict, kind: str) -> dict:
    """A plausible new row made from ``row``: what a next paper might bring."""
    if kind == "second measure":
        return {**row, "measure": f"{row['measure']} (second measure)"}
    if kind == "new breakdown":
        return {**row, "breakdown": "Another breakdown"}
    if kind == "another force":
        force = next(f for f in ("Staffordshire", "West Midlands Police", "England and Wales") if f != row["force"])
        return {**row, "force": force}
    if kind == "another strand":
        strand = next(s for s in schema.STRANDS if s != row["strand"])
        return {**row, "strand": strand}
    return {**row, "period": "Dec 2021 to Nov 2022", "period_start": "2021-12-01", "period_end": "2022-11-30"}


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(schema.COLUMN_NAMES), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def tiny_png() -> bytes:
    """A real 1 x 1 PNG, standing in for Chromium's render in the pack (the pack's own layout is drawn)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def draw_everything(store: DataStore, sections, monkeypatch) -> list[str]:
    """Draw each section's page, its slides, each chart's exports and its board pack from ``store``."""
    from components.page import dashboard_page
    from draw_check import PAGE_FAILED
    from exports import board_pack
    from exports.render import export_figure
    from exports.tables import chart_csv, chart_xlsx
    from pages import present
    from sections import section_charts

    monkeypatch.setattr(board_pack, "_picture", lambda pack, progress=None: lambda slide: tiny_png())
    # The PDF pack is laid out in full; printing that page is Chromium's part (tested in test_board_pack).
    monkeypatch.setattr(board_pack, "html_to_pdf", lambda html: html.encode())
    problems = []
    loader.use_store(store)
    when = datetime.now(UTC)
    from exports.deck import meeting_steps

    for section in sections:
        page = str(dashboard_page(section, {}).to_plotly_json())
        if PAGE_FAILED in page:
            problems.append(f"page {section.path}")
        for step in meeting_steps(store, (section,), Filters(), False):
            if PAGE_FAILED in str(present.layout(slide=step.id).to_plotly_json()):
                problems.append(f"slide {step.id}")
        for chart in section_charts(section, store, Filters()):
            if chart.failed:
                problems.append(f"chart {chart.key} fell back to its message")
            if not chart.is_empty:
                export_figure(chart, store.publications).to_dict()
                chart_csv(chart, Filters(), "test", when, store.publications)
                chart_xlsx(chart, Filters(), "test", when, store.publications)
        for fmt in ("pptx", "pdf"):
            board_pack.make_pack(store, [section], Filters(), fmt, when, whole=False)
    return problems


@pytest.fixture(scope="module")
def base() -> DataStore:
    return load_store(DATA_DIR)


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_valid_one_row_edit_draws_everywhere(dataset, tmp_path, dash_app, base, monkeypatch, caplog):
    from sections import SECTIONS, section_charts

    folder = tmp_path / "tables"
    shutil.copytree(DATA_DIR, folder)
    path = folder / f"{dataset}.csv"
    rows = read_rows(path)
    readers = [s for s in SECTIONS if dataset in s.datasets]
    others = [s for s in SECTIONS if s not in readers]
    accepted, refused = [], []
    before = loader.get_store()
    try:
        # The last row (a next paper's rows are copies of the latest), and the first where totals are stated.
        with_totals = {r.dataset for r in schema.TOTAL_RULES}
        for template in dict.fromkeys((len(rows) - 1, 0) if dataset in with_totals else (len(rows) - 1,)):
            for kind in KINDS:
                write_rows(path, [*rows, edited(rows[template], kind)])
                try:
                    store = load_store(folder)
                except DataError:
                    refused.append((template, kind))
                    continue
                # Sections that do not read this dataset draw exactly what they drew before.
                for section in others:
                    store.memo.get_or_make(
                        ("charts", section, Filters()), lambda s=section: section_charts(s, base, Filters())
                    )
                with caplog.at_level(logging.ERROR):
                    problems = draw_everything(store, readers, monkeypatch)
                assert not problems, (dataset, template, kind, problems, caplog.text[-2000:])
                accepted.append((template, kind))
    finally:
        loader.use_store(before)
    # Most edits are valid (a copied row may break a stated total, and so on).
    assert len(accepted) >= len(KINDS) - 1, (accepted, refused)


def test_every_section_declares_the_datasets_it_reads(base, monkeypatch):
    """The generated edits above trust each section's ``datasets``: check it is the whole list."""
    from sections import SECTIONS

    for section in SECTIONS:
        read: set[str] = set()
        original = DataStore.dataset

        def spy(self, name, read=read, original=original):
            read.add(name)
            return original(self, name)

        monkeypatch.setattr(DataStore, "dataset", spy)
        fresh = load_store(DATA_DIR)
        section.build(fresh, Filters())
        monkeypatch.setattr(DataStore, "dataset", original)
        assert read <= set(section.datasets), (section.slug, read - set(section.datasets))


def test_a_section_that_cannot_be_drawn_gives_one_plain_chart_not_an_error_page(base, monkeypatch, caplog):
    from components.page import dashboard_page
    from sections import BY_SLUG, section_charts

    def broken(store, filters):
        raise ValueError("cannot reindex on an axis with duplicate labels")

    section = dataclasses.replace(BY_SLUG["venetic"], build=broken)
    with caplog.at_level(logging.ERROR):
        (chart,) = section_charts(section, base, Filters())
    assert chart.failed and not chart.rows.empty  # its figures stay in its table and downloads
    assert "Section venetic could not be built" in caplog.text
    loader.use_store(base)
    page = str(dashboard_page(section, {}).to_plotly_json())
    assert "This page could not be shown" not in page and "could not be drawn from these figures" in page


def test_a_chart_whose_code_fails_degrades_to_its_message():
    from figures.chart import CANNOT_DRAW, build_chart
    from tests.frames import frame, row

    rows = frame(row(), row(measure="Charged", value=209))
    chart = build_chart(
        "k", rows, Filters(), title=lambda r: r.set_index("period").loc["x"], summary="", empty_title="Plain"
    )
    assert (chart.title, chart.empty_message, chart.failed, len(chart.rows)) == ("Plain", CANNOT_DRAW, True, 2)


def test_data_that_validates_but_does_not_draw_is_named_before_it_can_be_published(dash_app, monkeypatch, caplog):
    """What the Publish page and ``python -m web publish`` run before anything is published."""
    import app
    import sections
    from sections import BY_SLUG

    fresh = load_store(DATA_DIR)
    original = BY_SLUG["venetic"].build

    def breaks_on_fresh(store, filters):
        if store is fresh:
            raise ValueError("unsupported format string passed to Series.__format__")
        return original(store, filters)

    monkeypatch.setitem(sections.BY_SLUG, "venetic", dataclasses.replace(BY_SLUG["venetic"], build=breaks_on_fresh))
    monkeypatch.setattr(sections, "SECTIONS", tuple(sections.BY_SLUG[s.slug] for s in sections.SECTIONS))
    monkeypatch.setattr("draw_check.SECTIONS", sections.SECTIONS)
    with caplog.at_level(logging.ERROR):
        problems = app.drawing_problems_everywhere(dash_app, fresh)
    assert (
        "Operation Venetic (EncroChat), chart 'venetic-all' could not be drawn from its figures (the log above says why)"
        in problems
    )
    assert "unsupported format string" in caplog.text  # the reason is in the log
