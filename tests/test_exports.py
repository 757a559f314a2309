"""Exports carry their source: images, data files and the board pack, opened and read back."""

from __future__ import annotations

import csv
import io
import struct

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from data.queries import Filters
from exports.tables import CSV_PREAMBLE_LINES
from sections import SECTIONS

JUSTICE = "/export/chart/organised-crime/rocu-justice"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def export_client(dash_app):
    return dash_app.server.test_client()


def test_png_is_presentation_sized(export_client):
    res = export_client.get(JUSTICE + ".png")
    assert res.status_code == 200 and res.mimetype == "image/png"
    assert png_size(res.data) == (1920, 1080)
    assert 'filename="rocu-justice.png"' in res.headers["Content-Disposition"]


def test_a_table_image_grows_with_its_rows(export_client, store):
    png = export_client.get("/export/chart/county-lines/cl-context-national.png").data
    rows = store.dataset("county_lines_context")
    n = int((rows["category"] == "National programme").sum())
    width, height = png_size(png)
    assert width == 1920 and height >= (260 + 34 * n) * 1.2 - 1


def test_svg_has_title_source_and_caveat_drawn_in(export_client):
    svg = export_client.get(JUSTICE + ".svg").get_data(as_text=True)
    assert svg.lstrip().startswith("<svg") and 'width="1600"' in svg and 'height="900"' in svg
    assert "People arrested fell 27% (our calculation) to 560" in svg
    assert "SPR update to the board, January 2021, para 88" in svg
    disruptions = export_client.get("/export/chart/organised-crime/rocu-disruptions.svg").get_data(as_text=True)
    assert "Caveat: Lead and support together." in disruptions
    assert "Caveat: Check on the paper (SPR update to the board, January" in disruptions


def test_pdf_image(export_client):
    res = export_client.get(JUSTICE + ".pdf")
    assert res.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(res.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "para 88" in text
    # Its finding is the document's title, shown by a reader in place of the file name.
    assert reader.metadata.title == "People arrested fell 27% (our calculation) to 560; the others fell too"
    assert reader.metadata.author.startswith("SPR Board Dashboard")
    assert reader.metadata.subject.startswith("OFFICIAL")
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_csv_carries_metadata_then_the_filtered_rows(export_client):
    res = export_client.get("/export/chart/organised-crime/rocu-disruptions.csv?strand=Pursue")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    lines = res.get_data(as_text=True).splitlines()
    preamble = lines[:CSV_PREAMBLE_LINES]
    assert all(line.startswith("# ") for line in preamble)
    assert preamble[0] == "# Handling: OFFICIAL"
    assert preamble[1].startswith("# Title: Pursue")
    assert preamble[2] == "# Source: SPR update to the board, January 2021, para 88"
    assert "support activity is recorded changed (para 87)" in preamble[3]
    assert preamble[4] == "# Filters: period: all; strand: Pursue; force or area: all"
    assert "/export/chart/organised-crime/rocu-disruptions.csv?strand=Pursue" in preamble[5]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PREAMBLE_LINES:]))))
    assert [(r["strand"], r["period"], r["value"]) for r in rows] == [
        ("Pursue", "Dec 2018 to Nov 2019", "726"),
        ("Pursue", "Dec 2019 to Nov 2020", "815"),
    ]


def test_xlsx_values_equal_the_data_and_metadata_sheet(export_client, store):
    res = export_client.get("/export/chart/venetic/venetic-outcomes.xlsx")
    wb = load_workbook(io.BytesIO(res.data))
    assert wb.sheetnames == ["Data", "As charted", "About"]
    data = wb["Data"]
    header = [c.value for c in data[1]]
    records = [dict(zip(header, [c.value for c in row], strict=True)) for row in data.iter_rows(min_row=2)]
    venetic = store.dataset("operation_venetic")
    outcomes = venetic[venetic["category"] == "Outcomes"]
    assert len(records) == len(outcomes)
    cocaine = next(r for r in records if r["measure"] == "Cocaine seized" and r["breakdown"] == "Total")
    assert cocaine["value"] == 558.5 and cocaine["source"] == "para 98"
    blank = next(r for r in records if r["measure"] == "Cannabis seized" and r["breakdown"] == "ROCUWM support")
    assert blank["value"] is None and blank["qualifier"] == "not stated"
    about = {row[0].value: row[1].value for row in wb["About"].iter_rows()}
    assert about["Source"] == "SPR update to the board, January 2021, para 98"
    assert "not stated" in about["Caveats"]
    assert about["Filters"] == "period: all; strand: all; force or area: all"
    assert about["Exported"]


def test_no_exported_cell_is_a_live_formula(export_client, dash_app, monkeypatch):
    """Even text planted with a formula in the data comes out as text."""
    import dataclasses

    import sections
    import sections.organised_crime as oc

    def planted(store, filters):
        out = oc.charts(store, filters)
        for chart in out:
            chart.rows = chart.rows.copy()
            chart.rows["note"] = '=HYPERLINK("http://x.example","click")'
            chart.caveats = ["@SUM(A1)"]
        return out

    monkeypatch.setitem(sections.BY_SLUG, "organised-crime", dataclasses.replace(oc.SECTION, build=planted))
    wb = load_workbook(io.BytesIO(export_client.get(JUSTICE + ".xlsx").data))
    planted_cells = []
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    planted_cells.append(cell.value)
    # Typed as text, so kept exactly as written: no apostrophe added.
    assert planted_cells and set(planted_cells) == {'=HYPERLINK("http://x.example","click")'}
    text = export_client.get(JUSTICE + ".csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/chart/nope/rocu-justice.png", 404),
        ("/export/chart/organised-crime/nope.png", 404),
        ("/export/chart/organised-crime/rocu-justice.exe", 404),
        ("/export/chart/organised-crime/rocu-justice.csv?strand=Pursue", 404),
        ("/export/pack.docx", 404),
        ("/export/pack.pptx?section=nope", 404),
    ],
)
def test_bad_export_requests_get_a_plain_message(export_client, url, status):
    res = export_client.get(url)
    assert res.status_code == status
    assert res.mimetype == "text/plain"
    assert "Traceback" not in res.get_data(as_text=True)


def test_empty_chart_export_says_why(export_client):
    body = export_client.get("/export/chart/organised-crime/rocu-justice.csv?strand=Pursue").get_data(as_text=True)
    assert "do not split these figures by strand" in body


def test_export_failure_is_a_clear_503(export_client, monkeypatch):
    import exports.render as render

    def broken(*_args, **_kwargs):
        raise RuntimeError("browser crashed")

    monkeypatch.setattr(render.RENDERER, "render", broken)
    export_client.application.extensions["spr-cache"].cache.clear()  # not the image an earlier test kept
    res = export_client.get(JUSTICE + ".png")
    assert res.status_code == 503
    assert "could not be drawn" in res.get_data(as_text=True)


def test_export_time_limit(export_client, monkeypatch):
    import exports.render as render
    from exports.renderer import RenderTimeout

    def too_slow(*_args, **_kwargs):  # what the renderer raises once it has killed a stuck browser
        raise RenderTimeout("rendering took over 30 s")

    monkeypatch.setattr(render.RENDERER, "render", too_slow)
    export_client.application.extensions["spr-cache"].cache.clear()
    res = export_client.get(JUSTICE + ".svg")
    assert res.status_code == 503
    assert "took longer than 30 seconds" in res.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/export/chart/organised-crime/rocu-justice.csv?strand=Persue",
        "/export/chart/organised-crime/rocu-justice.png?force=" + "x" * 100_000,
        "/export/pack.pptx?period=1999",
    ],
)
def test_an_export_for_filters_the_data_lacks_is_refused_plainly(export_client, url):
    res = export_client.get(url)
    assert res.status_code == 404 and res.mimetype == "text/plain"
    text = res.get_data(as_text=True)
    assert "figures do not have" in text and len(text) < 300


def test_xlsx_is_ready_to_paste_and_print(export_client):
    wb = load_workbook(io.BytesIO(export_client.get("/export/chart/county-lines/cl-results.xlsx").data))
    data = wb["Data"]
    header = [c.value for c in data[1]]
    (table,) = data.tables.values()
    assert table.name == "Figures" and table.ref == f"A1:{data.cell(1, len(header)).column_letter}{data.max_row}"
    assert table.autoFilter is not None or table.tableStyleInfo is not None
    value_col = header.index("value") + 1
    start_col = header.index("period_start") + 1
    for row in range(2, data.max_row + 1):
        cell = data.cell(row, value_col)
        if cell.value is not None:
            assert "#,##0" in cell.number_format
        start = data.cell(row, start_col)
        assert start.value is None or (start.is_date and start.number_format == "d mmm yyyy")
    # Columns sized to their contents: the longest entry fits (or wraps past the limit).
    for k, name in enumerate(header, start=1):
        letter = data.cell(1, k).column_letter
        cells = [data.cell(r, k) for r in range(1, data.max_row + 1)]
        longest = max(11 if c.is_date else len(str(c.value or "")) for c in cells)  # a date shows as 31 Jan 2021
        width = data.column_dimensions[letter].width
        assert width >= min(longest, 45) or data.cell(2, k).alignment.wrap_text, name
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert data.print_title_rows == "$1:$1"
    charted = wb["As charted"]
    arrested = next(r for r in charted.iter_rows(min_row=2) if str(r[0].value).startswith("Arrested"))
    # The number stays a number and reads as the source states it.
    assert arrested[2].value == 360 and arrested[2].number_format == '"over "#,##0'
    assert [c.value for c in charted[1]][:2] == ["What", "Force or area"]


def test_spreadsheet_formats_follow_the_unit_and_qualifier():
    from data.formatting import spreadsheet_format

    assert spreadsheet_format(7300, "people", "more than") == '"more than "#,##0'
    assert spreadsheet_format(30.4, "GBP million") == '"£"#,##0.0"m"'
    assert spreadsheet_format(626.81, "kg") == '#,##0.00" kg"'
    assert spreadsheet_format(12, "percent change").startswith('"+"#,##0"%"')


def _font_sizes(node, found: list, key: str = "") -> list:
    """Every font size set in a figure's data and layout (its template's hover fonts are never printed)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "template":
                continue
            if k == "size" and key.endswith("font") and isinstance(v, int | float):
                found.append((key, v))
            elif k == "uniformtext" and isinstance(v, dict) and "minsize" in v:
                found.append(("uniformtext", v["minsize"]))
            else:
                _font_sizes(v, found, k)
    elif isinstance(node, list):
        for v in node:
            _font_sizes(v, found, key)
    return found


def test_document_images_have_no_text_under_9pt_at_16cm(store):
    """At 16 cm wide (453.5 pt) an image 600 CSS px wide shows 12 px as 9 pt."""
    from exports.render import DOCUMENT, export_figure
    from sections import section_charts

    smallest_px = 9 * DOCUMENT.width / (16 / 2.54 * 72)
    checked = 0
    for section in SECTIONS:
        for chart in section_charts(section, store, Filters()):
            if chart.is_empty:
                continue
            fig = export_figure(chart, store.publications, size=DOCUMENT).to_plotly_json()
            sizes = _font_sizes(fig, [])
            assert sizes and min(v for _, v in sizes) >= smallest_px, (chart.key, sorted(sizes, key=lambda s: s[1])[:3])
            assert fig["layout"]["width"] == 600
            checked += 1
    assert checked > 30


def test_document_size_png_is_16cm_at_300dpi(export_client):
    res = export_client.get(JUSTICE + ".png?size=document")
    assert res.status_code == 200
    width, _ = png_size(res.data)
    assert width == 1890  # 16 cm at 300 dpi
    assert 'filename="rocu-justice-document.png"' in res.headers["Content-Disposition"]
    assert export_client.get(JUSTICE + ".png?size=poster").status_code == 404


def test_a_fact_table_image_keeps_the_area_and_a_real_source(store):
    from exports.render import export_figure
    from sections import BY_SLUG, section_charts

    chart = next(c for c in section_charts(BY_SLUG["county-lines"], store, Filters()) if c.key == "cl-context-wm")
    table = export_figure(chart, store.publications).data[0]
    header = list(table.header.values)
    assert header == ["What", "Figure", "Period", "Force or area", "Source"]
    sources = table.cells.values[header.index("Source")]
    assert all(s and s != "public source" for s in sources)


def test_without_a_browser_images_say_so_at_once_and_the_pack_still_comes(export_client, store, monkeypatch, caplog):
    """A server with no Chromium: an image export answers at once with the reason (not after the time limit),
    start-up says so in the log, and the PowerPoint pack is made with the finding in words where a picture
    would be."""
    from datetime import UTC, datetime

    from pptx import Presentation

    from data.queries import Filters
    from exports import board_pack, render
    from sections import BY_SLUG

    monkeypatch.setattr(render, "browser_path", lambda: None)
    res = export_client.get(JUSTICE + ".png?no-cache=1")
    assert res.status_code == 503
    assert res.get_data(as_text=True).strip() == render.NO_BROWSER
    with caplog.at_level("ERROR"):
        assert render.check_renderer() is False
    assert "make browser" in caplog.text
    pptx = board_pack.make_pack(store, [BY_SLUG["public-order"]], Filters(), "pptx", datetime.now(UTC), False)
    texts = [
        shape.text_frame.text
        for slide in Presentation(io.BytesIO(pptx)).slides
        for shape in slide.shapes
        if shape.name == "Chart not drawn"
    ]
    assert texts and all(render.NO_BROWSER in t for t in texts)
