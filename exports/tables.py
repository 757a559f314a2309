"""A chart's figures as CSV and Excel, each carrying the title, source, caveats, filters and time."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from data.marking import rows_marking
from data.queries import Filters
from data.rows import API_COLUMNS, api_rows, neutralise, to_csv
from exports.render import source_text
from figures.chart import Chart

#: Lines of '# ...' before the CSV header, so readers can skip them (pandas: skiprows=CSV_PREAMBLE_LINES).
CSV_PREAMBLE_LINES = 7


def filters_text(filters: Filters) -> str:
    return f"period: {filters.period}; strand: {filters.strand}; force or area: {filters.force}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def metadata(chart: Chart, filters: Filters, url: str, when: datetime, publications: dict) -> list[tuple[str, str]]:
    return [
        ("Handling", rows_marking(chart.rows)),
        ("Title", chart.title),
        ("Source", source_text(chart, publications, label=False)),
        ("Caveats", " | ".join(chart.caveats) if chart.caveats else "None"),
        ("Filters", filters_text(filters)),
        ("Exported", f"{when.isoformat(timespec='seconds')} from {url}"),
    ]


def chart_csv(chart: Chart, filters: Filters, url: str, when: datetime, publications: dict) -> str:
    """Seven '# ' lines (handling mark, title, source, caveats, filters, export time, how to read), then
    the CSV."""
    meta = metadata(chart, filters, url, when, publications)
    lines = [f"# {k}: {neutralise(_one_line(v))}" for k, v in meta]
    lines.append(f"# The data starts on the next line; in pandas: read_csv(path, skiprows={CSV_PREAMBLE_LINES})")
    assert len(lines) == CSV_PREAMBLE_LINES
    return "\n".join(lines) + "\n" + to_csv(chart.rows)


def chart_xlsx(chart: Chart, filters: Filters, url: str, when: datetime, publications: dict) -> bytes:
    """Sheet 'Data': the rows (numbers as numbers); sheet 'About': title, source, caveats, filters, time."""
    wb = Workbook()
    data = wb.active
    data.title = "Data"
    rows = api_rows(chart.rows)
    data.append(list(API_COLUMNS))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for record in rows.itertuples(index=False):
        out = []
        for col, value in zip(API_COLUMNS, record, strict=True):
            if col == "value":
                out.append(None if value != value else float(value))
            else:
                out.append(neutralise(str(value)))
        data.append(out)
    _text_cells(data)
    data.freeze_panes = "A2"
    for i, col in enumerate(API_COLUMNS, start=1):
        data.column_dimensions[get_column_letter(i)].width = 14 if col != "note" else 60

    about = wb.create_sheet("About")
    for key, value in metadata(chart, filters, url, when, publications):
        about.append([key, neutralise(_one_line(value))])
    about.append(["Reading the data", "A blank value with qualifier 'not stated' means the source gives no figure."])
    _text_cells(about)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 120
    for cell in about["A"]:
        cell.font = Font(bold=True)
    mark = rows_marking(chart.rows)
    for sheet in (data, about):  # printed at the top and bottom of every page
        for part in (
            sheet.oddHeader,
            sheet.evenHeader,
            sheet.firstHeader,
            sheet.oddFooter,
            sheet.evenFooter,
            sheet.firstFooter,
        ):
            part.center.text = mark
            part.center.font = "Arial,Bold"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text_cells(sheet) -> None:
    """Every text cell is stored as text, so nothing a spreadsheet opens runs as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
