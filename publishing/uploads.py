"""An analyst's upload, turned into data files: CSV files as they are, or an Excel workbook with one
sheet per dataset (named as the dataset, in the same columns; ``datasets`` and ``publications`` sheets
for the catalogues).

Nothing is trusted: a file that is neither CSV nor a workbook, a workbook with macros, one that would
expand past ``MAX_WORKBOOK_EXPANDED`` bytes, a formula in a cell, a sheet that names no dataset, a
dataset without its sheet: each is a problem naming the file (or sheet), row and column, and then
nothing is published. The files' own contents are checked afterwards by the same rules as
``python -m data validate``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from data import schema
from data.validation import Problem

#: The most an upload may be, all files together (the page says so).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_FILES = 40
#: The most a workbook may expand to when unzipped, and the most any part of it may expand by.
MAX_WORKBOOK_EXPANDED = 200 * 1024 * 1024
MAX_EXPANSION_RATIO = 200
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 50
_CSV_NAME = re.compile(r"^[a-z][a-z0-9_]*\.csv$", re.ASCII)
_SHEET_NAME = re.compile(r"^[a-z][a-z0-9_]*$", re.ASCII)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls (or any OLE file)


@dataclass(frozen=True)
class Sheet:
    """Where a file came from in a workbook, to name it in problems ("book.xlsx, sheet 'x', row 5")."""

    book: str
    sheet: str
    #: CSV line a record starts on → the sheet's row.
    rows: Mapping[int, int]


@dataclass
class Upload:
    """The data files an upload holds, by name, and the problems found reading them."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    #: What was uploaded, in words ('rocu_outcomes.csv, publications.csv').
    described: str = ""

    def name_in_problem(self, problem: Problem) -> Problem:
        """``problem`` as the analyst knows the file: a sheet of their workbook, by its row."""
        sheet = self.sheets.get(problem.file)
        if sheet is None:
            return problem
        row = sheet.rows.get(problem.line, problem.line) if problem.line is not None else None
        return dataclasses.replace(problem, file=f"{sheet.book}, sheet '{sheet.sheet}'", line=row, line_word="row")


def _problem(name: str, message: str, line: int | None = None, column: str | None = None) -> Problem:
    return Problem(name, line, column, message)


def _safe_name(filename: str | None) -> str:
    """The file's own name, without any folder a browser put in front (never used as a path)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "(a file with no name)"


def read_upload(parts: Iterable[tuple[str | None, bytes]], catalogue: Iterable[str]) -> Upload:
    """The data files in ``parts`` (file name and bytes, as the browser sent them). ``catalogue`` is the
    dataset names of the version the upload is laid over (a workbook's own ``datasets`` sheet, when it
    has one, is used instead)."""
    upload = Upload()
    parts = list(parts)
    names: list[str] = []
    if not parts:
        upload.problems.append(_problem("(upload)", "no file was chosen; choose CSV files or an Excel workbook"))
        return upload
    if len(parts) > MAX_FILES:
        upload.problems.append(_problem("(upload)", f"{len(parts)} files is more than the {MAX_FILES} allowed at once"))
        return upload
    total = sum(len(b) for _, b in parts)
    if total > MAX_UPLOAD_BYTES:
        upload.problems.append(
            _problem("(upload)", f"the files are {total:,} bytes, over the limit of {MAX_UPLOAD_BYTES:,}")
        )
        return upload
    for filename, content in parts:
        name = _safe_name(filename)
        names.append(name)
        lower = name.lower()
        if lower.endswith(".xlsx"):
            _read_workbook(upload, name, content, set(catalogue))
        elif lower.endswith(".csv"):
            _read_csv(upload, name, content)
        elif lower.endswith((".xls", ".xlsm", ".xlsb", ".ods")):
            upload.problems.append(
                _problem(
                    name, "is not a workbook this site reads: save it as an Excel Workbook (.xlsx), without macros"
                )
            )
        else:
            upload.problems.append(_problem(name, "is not a CSV file (.csv) or an Excel workbook (.xlsx)"))
    upload.described = ", ".join(names)
    return upload


def _read_csv(upload: Upload, name: str, content: bytes) -> None:
    if content.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or b"\x00" in content[:65536]:
        upload.problems.append(_problem(name, "is named .csv but is not a text file (is it a workbook renamed?)"))
        return
    if not _CSV_NAME.match(name):
        upload.problems.append(
            _problem(name, "a data file is named as its dataset: lower case letters, digits and '_', then .csv")
        )
        return
    if name in upload.files:
        upload.problems.append(_problem(name, "is in the upload twice"))
        return
    upload.files[name] = content


def _read_workbook(upload: Upload, book: str, content: bytes, catalogue: set[str]) -> None:
    problem = _zip_problem(content)
    if problem:
        upload.problems.append(_problem(book, problem))
        return
    import openpyxl  # defusedxml is installed, so openpyxl parses the workbook's XML safely

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as err:  # a damaged or unusual file: say so, never a trace
        upload.problems.append(_problem(book, f"could not be read as an Excel workbook ({type(err).__name__})"))
        return
    try:
        sheets = list(wb.sheetnames)
        listed = _listed_datasets(wb, catalogue)
        for sheet_name in sheets:
            if not _SHEET_NAME.match(sheet_name):
                upload.problems.append(
                    _problem(
                        f"{book}, sheet '{sheet_name}'", "a sheet is named as its dataset (lower case, digits, '_')"
                    )
                )
                continue
            is_control = f"{sheet_name}.csv" in schema.CONTROL_FILES
            if not is_control and sheet_name not in listed:
                upload.problems.append(
                    _problem(
                        f"{book}, sheet '{sheet_name}'",
                        f"no dataset called {sheet_name!r} is in the catalogue (the datasets sheet, or datasets.csv)",
                    )
                )
                continue
            name = f"{sheet_name}.csv"
            if name in upload.files:
                upload.problems.append(_problem(f"{book}, sheet '{sheet_name}'", f"{name} is also in the upload"))
                continue
            converted = _sheet_to_csv(upload, book, sheet_name, wb[sheet_name])
            if converted is not None:
                upload.files[name], rows = converted
                upload.sheets[name] = Sheet(book, sheet_name, rows)
        for missing in sorted(listed - set(sheets)):
            upload.problems.append(
                _problem(
                    book, f"has no sheet for the dataset {missing!r}: a workbook holds every dataset, one per sheet"
                )
            )
    finally:
        wb.close()


def _listed_datasets(wb, catalogue: set[str]) -> set[str]:
    """The dataset names the workbook's own ``datasets`` sheet lists (else ``catalogue``)."""
    if "datasets" not in wb.sheetnames:
        return set(catalogue)
    rows = wb["datasets"].iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    if "name" not in header:
        return set(catalogue)
    at = header.index("name")
    return {str(r[at]).strip() for r in rows if r and at < len(r) and r[at] is not None and str(r[at]).strip()}


def _zip_problem(content: bytes) -> str | None:
    """Why a workbook's zip is refused unopened: not a zip, macros, or it would expand too far."""
    if not content.startswith(_ZIP_MAGIC):
        if content.startswith(_OLE_MAGIC):
            return "is an old-style (.xls) or protected workbook: save it as an Excel Workbook (.xlsx)"
        return "is named .xlsx but is not an Excel workbook"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            members = z.infolist()
    except zipfile.BadZipFile:
        return "is named .xlsx but is not an Excel workbook (the file is damaged)"
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return "is a zip file but not an Excel workbook"
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "holds macros; save it as an Excel Workbook (.xlsx) without them"
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_WORKBOOK_EXPANDED:
        return f"would expand to {expanded:,} bytes when opened, over the limit of {MAX_WORKBOOK_EXPANDED:,}"
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_EXPANSION_RATIO and m.file_size > 1_000_000:
            return f"has a part that expands {m.file_size // m.compress_size:,} times when opened; it was not opened"
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_to_csv(upload: Upload, book: str, sheet_name: str, ws) -> tuple[bytes, dict[int, int]] | None:
    """The sheet as CSV bytes, and which CSV line each row starts on; None (with problems) if it holds
    formulas or is too big."""
    where = f"{book}, sheet '{sheet_name}'"
    out = io.StringIO()
    rows: dict[int, int] = {}
    line = 1
    header: list[str] = []
    formulas = 0
    for row_number, row in enumerate(ws.iter_rows(max_col=MAX_SHEET_COLUMNS), start=1):
        if row_number > MAX_SHEET_ROWS + 1:
            upload.problems.append(_problem(where, f"has more than {MAX_SHEET_ROWS:,} rows, the limit; not read"))
            return None
        cells = []
        for index, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formulas += 1
                if formulas <= 20:
                    column = header[index] if index < len(header) and header[index] else None
                    upload.problems.append(
                        Problem(
                            where,
                            row_number,
                            column,
                            f"cell {_column_letter(index)}{row_number} holds a formula; type its value instead",
                            line_word="row",
                        )
                    )
                cells.append("")
                continue
            cells.append(_cell_text(getattr(cell, "value", None)))
        if row_number == 1:
            while cells and cells[-1] == "":
                cells.pop()
            header = [c.strip() for c in cells]
        else:
            if not any(cells):
                continue  # an empty row between or after the figures
            while len(cells) > len(header) and cells[-1] == "":
                cells.pop()  # blank cells past the last column
            cells += [""] * (len(header) - len(cells))  # a row that stops early: the rest is blank
        one = io.StringIO()
        csv.writer(one, lineterminator="\n").writerow(cells)
        text = one.getvalue()
        rows[line] = row_number
        out.write(text)
        line += text.count("\n")
    if formulas:
        return None
    return out.getvalue().encode("utf-8"), rows
