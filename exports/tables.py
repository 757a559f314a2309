"""A chart's figures as CSV and Excel, each carrying the title, source, caveats, filters and time."""

from __future__ import annotations

import io
import math
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from data.formatting import format_value, spreadsheet_format
from data.marking import rows_marking
from data.queries import Filters, ordered_periods
from data.rows import API_COLUMNS, api_rows, neutralise, to_csv
from exports.native import row_source
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


def chart_csv(
    chart: Chart, filters: Filters, url: str, when: datetime, publications: dict, rows_csv: str | None = None
) -> str:
    """Seven '# ' lines (handling mark, title, source, caveats, filters, export time, how to read), then
    the CSV (``rows_csv``: ``to_csv(chart.rows)`` made before, as kept by the caller)."""
    meta = metadata(chart, filters, url, when, publications)
    lines = [f"# {k}: {neutralise(_one_line(v))}" for k, v in meta]
    lines.append(f"# The data starts on the next line; in pandas: read_csv(path, skiprows={CSV_PREAMBLE_LINES})")
    assert len(lines) == CSV_PREAMBLE_LINES
    return "\n".join(lines) + "\n" + (to_csv(chart.rows) if rows_csv is None else rows_csv)


#: The Excel Table on the data sheet (its name, for formulas such as =SUM(Figures[value])).
TABLE_NAME = "Figures"
#: Characters a column may grow to; longer text wraps.
MAX_COLUMN_WIDTH = 45
#: Points a line of wrapped text takes (11 pt type).
LINE_POINTS = 15
DATE_FORMAT = "d mmm yyyy"


def chart_xlsx(chart: Chart, filters: Filters, url: str, when: datetime, publications: dict) -> bytes:
    """Sheet 'Data': the tidy rows as an Excel Table (numbers as numbers with thousands separators and
    their decimals, dates as dates, filters on the header); sheet 'As charted': the figures laid out as
    the chart shows them (periods across, qualifiers kept in the number format); sheet 'About': title,
    source, caveats, filters, time. Every sheet prints landscape, fitted to the page's width, with its
    header row repeated and the handling mark at the top and foot."""
    wb = Workbook()
    data = wb.active
    data.title = "Data"
    _data_sheet(data, chart.rows)
    _charted_sheet(wb.create_sheet("As charted"), chart, publications)
    about = wb.create_sheet("About")
    for key, value in metadata(chart, filters, url, when, publications):
        about.append([key, _one_line(value)])
    about.append(["Reading the data", "A blank value with qualifier 'not stated' means the source gives no figure."])
    _fit_columns(about, limit=100)
    for row in about.iter_rows():
        row[0].font = Font(bold=True)
        row[0].alignment = Alignment(vertical="top")
    mark = rows_marking(chart.rows)
    for sheet in wb.worksheets:
        _text_cells(sheet)
        _top_aligned(sheet)
        _print_setup(sheet, mark, repeat_header=sheet.title != "About")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _data_sheet(sheet, frame) -> None:
    rows = api_rows(frame)
    sheet.append(list(API_COLUMNS))
    for record, unit in zip(rows.itertuples(index=False), rows["unit"], strict=True):
        out = []
        for col, value in zip(API_COLUMNS, record, strict=True):
            if col == "value":
                out.append(None if value != value else float(value))
            elif col in ("period_start", "period_end"):
                out.append(date.fromisoformat(value) if value else None)
            else:
                out.append(str(value))
        sheet.append(out)
        cells = sheet[sheet.max_row]
        for col, cell in zip(API_COLUMNS, cells, strict=True):
            if col == "value" and cell.value is not None:
                cell.number_format = spreadsheet_format(cell.value, str(unit))
            elif col in ("period_start", "period_end") and cell.value is not None:
                cell.number_format = DATE_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    ref = f"A1:{get_column_letter(len(API_COLUMNS))}{max(sheet.max_row, 2)}"
    table = Table(displayName=TABLE_NAME, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    _fit_columns(sheet)


def _charted_sheet(sheet, chart: Chart, publications: dict) -> None:
    """One row per series of the chart, one column per period (in time order), as the chart shows them."""
    rows = chart.rows
    periods = ordered_periods(rows) if not rows.empty else []
    sheet.append(["What", "Force or area", *periods, "Source"])
    # A row per series: its measure, breakdown and strand (so no two figures share a cell).
    names = [
        f"{m} ({', '.join(x for x in (str(b), str(st)) if x)})" if (b or st) else str(m)
        for m, b, st in zip(rows["measure"], rows["breakdown"], rows["strand"].astype(str), strict=True)
    ]
    keyed = rows.assign(_what=names)
    for (what, force), group in keyed.groupby(["_what", "force"], sort=False, observed=True):
        line: list = [what, str(force)]
        formats: list[str | None] = [None, None]
        for period in periods:
            at = group[group["period"] == period]
            if at.empty:
                line.append(None)
                formats.append(None)
                continue
            r = at.iloc[0]
            if r["value_text"] or r["value"] != r["value"] or r["qualifier"] == "not stated":
                line.append(format_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["value_text"]))
                formats.append(None)
            else:
                line.append(float(r["value"]))
                formats.append(spreadsheet_format(r["value"], str(r["unit"]), str(r["qualifier"])))
        line.append(
            "; ".join(
                dict.fromkeys(
                    row_source(str(src), str(pub), publications)
                    for src, pub in zip(group["source"], group["publication"], strict=True)
                )
            )
        )
        formats.append(None)
        sheet.append(line)
        for cell, fmt in zip(sheet[sheet.max_row], formats, strict=True):
            if fmt:
                cell.number_format = fmt
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    _fit_columns(sheet)


def _shown_width(cell) -> int:
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, float):
        fmt = cell.number_format
        words = sum(len(part) for part in fmt.split('"')[1::2])  # the words a format adds
        return len(f"{value:,.2f}") + words
    if isinstance(value, date):
        return 11
    return len(str(value))


def _fit_columns(sheet, limit: int = MAX_COLUMN_WIDTH) -> None:
    """Each column as wide as its longest entry (header included); text longer than ``limit`` wraps, and
    its row is made tall enough for it (not every office suite sizes rows to wrapped text itself)."""
    lines: dict[int, int] = {}
    for column in sheet.iter_cols():
        width = max((_shown_width(c) for c in column), default=8)
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(max(width, 6) + 2, limit)
        if width > limit:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                need = math.ceil(_shown_width(cell) / (limit - 1)) if cell.value is not None else 1
                lines[cell.row] = max(lines.get(cell.row, 1), need)
    for row, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row].height = count * LINE_POINTS


def _print_setup(sheet, mark: str, repeat_header: bool) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        sheet.print_title_rows = "1:1"
    for part in (
        sheet.oddHeader,
        sheet.evenHeader,
        sheet.firstHeader,
        sheet.oddFooter,
        sheet.evenFooter,
        sheet.firstFooter,
    ):  # printed at the top and bottom of every page
        part.center.text = mark
        part.center.font = "Arial,Bold"


def _top_aligned(sheet) -> None:
    """Every cell reads from the top of its row (a tall wrapped cell beside it leaves no gap above)."""
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")


def _text_cells(sheet) -> None:
    """Every text cell is stored as text (so nothing a spreadsheet opens runs as a formula), as written:
    no apostrophe is added, since a text cell is never read as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
