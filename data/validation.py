"""Check data files against the declared schema and report every problem at once.

``read_table`` turns one CSV file into a frame of strings, recording the line
number each record starts on; ``check_table`` and ``check_catalogue`` return a
list of ``Problem``; nothing here raises on bad data except ``DataError``,
which carries the full list.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_PARA_RE = re.compile(r"^(para \d+|paras \d+(-\d+|(, \d+)+))$", re.ASCII)
_SOURCE_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")
_MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!]")
#: Only ASCII digits are numbers: a full-width "２０" or an Arabic-Indic "٢٠" is not.
_NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file. ``line`` and ``column`` are None when they do not apply."""

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"
    #: What ``line`` counts: 'line' of a file, or 'row' of a workbook's sheet.
    line_word: str = "line"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.line_word} {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        label = "warning" if self.severity == "warning" else "error"
        return f"{where}: {label}: {self.message}"


class DataError(Exception):
    """Raised when data files are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        super().__init__(self.report())

    def report(self) -> str:
        return format_report(self.problems + self.warnings)


def format_report(problems: Sequence[Problem], limit: int = schema.MAX_REPORTED_PROBLEMS) -> str:
    """A plain report: a count line, then one line per problem in file and line order (the first
    ``limit`` of them, then how many more there are)."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    head = f"{len(errors)} error(s), {len(warnings)} warning(s) in the data files."
    # The catalogues first: a problem there (a bad date, a missing file) is often the cause of others.
    ordered = sorted(
        problems,
        key=lambda p: (p.file not in schema.CONTROL_FILES, p.file, p.line or 0, p.column or "", p.message),
    )
    lines = [head, *(f"  {p}" for p in ordered[:limit])]
    if len(ordered) > limit:
        lines.append(f"  ... and {len(ordered) - limit} more (correct these and check again to see them).")
    return "\n".join(lines)


@dataclass(frozen=True)
class Coded:
    """One column as its distinct values and, per row, the position of its value among them.

    Checks run once per distinct value and are spread back to the rows, so a million rows that
    share a few hundred values cost a few hundred checks.
    """

    codes: np.ndarray
    values: pd.Series

    @classmethod
    def of(cls, series: pd.Series) -> Coded:
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
        return cls(codes, pd.Series(uniques, dtype=object))

    def spread(self, per_value: pd.Series, index: pd.Index) -> pd.Series:
        """Per-row values from one result per distinct value (dtype kept)."""
        return pd.Series(per_value.to_numpy()[self.codes], index=index)


@dataclass(frozen=True)
class RawTable:
    """A file's cells as strings, with the line each record starts on (the header is line 1)."""

    #: The file's name as problems name it (``rocu_outcomes.csv``, or a workbook's sheet).
    name: str
    frame: pd.DataFrame
    lines: Sequence[int]
    #: Columns already split into distinct values (filled on first use).
    coded: dict[str, Coded] = field(default_factory=dict, compare=False, repr=False)

    def cells(self, column: str) -> Coded:
        if column not in self.coded:
            self.coded[column] = Coded.of(self.frame[column])
        return self.coded[column]

    def per_row(self, column: str, test: Callable[[pd.Series], pd.Series]) -> pd.Series:
        """``test`` (a function of a Series of strings) worked out once per distinct value of ``column``."""
        cells = self.cells(column)
        return cells.spread(test(cells.values), self.frame.index)


#: Bytes the quick reader looks at: every one is ASCII, so none is part of a longer UTF-8 character.
_QUOTE, _COMMA, _LF, _CR = 34, 44, 10, 13
_CHUNK = 1 << 24


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """Offsets of ``byte`` in ``data``, a chunk at a time (no temporary the size of the file)."""
    found = [np.flatnonzero(data[i : i + _CHUNK] == byte) + i for i in range(0, len(data), _CHUNK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _quoted_count(data: np.ndarray, byte: int, quotes: np.ndarray) -> int:
    """How many ``byte``s lie inside quotes (an odd number of quotes before them)."""
    if not len(quotes):
        return 0
    total = 0
    for i in range(0, len(data), _CHUNK):
        at = np.flatnonzero(data[i : i + _CHUNK] == byte) + i
        total += int((np.searchsorted(quotes, at) % 2).sum())
    return total


def _read_standard(raw: bytes) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Every record's cells (unstripped) and start line, read by pandas' C reader.

    Only for plain RFC 4180 CSV, where the C reader and ``csv.reader`` cannot differ: each quote
    opens a field, closes one or doubles another; no NUL, bare carriage return or second byte-order
    mark (which pandas would drop); every record has the header's number of cells. Anything else
    returns None, and ``csv.reader`` reads the file (it reports the problems, with their lines).
    Newlines inside quotes are read too.
    """
    if raw.startswith(_BOM_BYTES) or b"\x00" in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    size = len(data)
    quotes = _positions(data, _QUOTE)
    if len(quotes) % 2:
        return None
    if len(quotes):
        opening = np.arange(len(quotes)) % 2 == 0
        gap = np.diff(quotes) == 1  # a doubled quote inside a quoted field
        before = data[np.maximum(quotes - 1, 0)]
        after = data[np.minimum(quotes + 1, size - 1)]
        opens = (quotes == 0) | (before == _COMMA) | (before == _LF) | np.r_[False, gap]
        closes = (quotes == size - 1) | (after == _COMMA) | (after == _LF) | (after == _CR) | np.r_[gap, False]
        if not (opens[opening].all() and closes[~opening].all()):
            return None
    newlines = _positions(data, _LF)
    inside = np.searchsorted(quotes, newlines) % 2 == 1
    if inside.any() and b"\r" in raw:
        return None
    starts = np.r_[0, newlines[~inside] + 1]
    starts = starts[starts < size]
    blank = (data[starts] == _LF) | (data[starts] == _CR)
    lines = np.searchsorted(newlines, starts[~blank]) + 1
    try:
        # As categoricals: each distinct cell is one string, and its codes are ``Coded``'s.
        cells = pd.read_csv(io.BytesIO(raw), header=None, dtype="category", na_filter=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    delimiters = raw.count(b",") - _quoted_count(data, _COMMA, quotes)
    if len(cells) != len(lines) or delimiters != (cells.shape[1] - 1) * len(cells) or cells.isna().any(axis=None):
        return None
    return cells, lines


def _strip_columns(cells: pd.DataFrame, header: list[str]) -> tuple[pd.DataFrame, dict[str, Coded]]:
    """The body (categorical columns) as strings, every cell stripped once per distinct value, and
    each column's ``Coded``."""
    columns: dict[str, np.ndarray] = {}
    coded: dict[str, Coded] = {}
    for name, column in zip(header, cells.columns, strict=True):
        categories = cells[column].cat.categories
        codes = cells[column].cat.codes.to_numpy()
        used = np.flatnonzero(np.bincount(codes, minlength=len(categories)))  # not the header's cell
        stripped = np.array([str(categories[i]).strip() for i in used], dtype=object)
        merged, values = pd.factorize(stripped)  # " a" and "a" are one value once stripped
        lookup = np.zeros(len(categories), dtype=np.int32)
        lookup[used] = merged
        codes = lookup[codes]
        columns[name] = values[codes]
        coded[name] = Coded(codes, pd.Series(values, dtype=object))
    return pd.DataFrame(columns, index=pd.RangeIndex(len(cells)), dtype=object, copy=False), coded


def _blank_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is empty or only white space. Raises ``raw.decode('utf-8')``'s error if it is not
    UTF-8; decodes a chunk at a time, so the whole file is never held as text as well as bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank = True
    view = memoryview(raw)
    try:
        for i in range(0, len(raw), _CHUNK):
            text = decoder.decode(view[i : i + _CHUNK], final=i + _CHUNK >= len(raw))
            blank = blank and (not text or text.isspace())
    except UnicodeDecodeError:
        raw.decode("utf-8")  # raises the same error, placed in the whole file
        raise
    return blank


def _read_records(text: str, name: str) -> tuple[list[list[str]], list[int]] | Problem:
    """Every non-blank record and the line it starts on, by ``csv.reader`` (or the CSV error)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            if record:  # skip fully blank lines
                records.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return Problem(name, reader.line_num, None, f"not valid CSV: {exc}")
    return records, lines


def too_large(name: str, size: int) -> Problem | None:
    """The problem with a file of ``size`` bytes, or None when it is within the limit."""
    if size > schema.MAX_FILE_BYTES:
        return Problem(
            name, None, None, f"file is {size:,} bytes, over the limit of {schema.MAX_FILE_BYTES:,}; not read"
        )
    return None


def read_table(path: Path, expected: Sequence[str]) -> tuple[RawTable | None, list[Problem]]:
    """Read the file at ``path`` (``read_csv_bytes``), refusing it unread when it is over the size limit."""
    big = too_large(path.name, path.stat().st_size)
    if big is not None:
        return None, [big]
    return read_csv_bytes(path.name, path.read_bytes(), expected)


def read_csv_bytes(
    name: str, raw: bytes, expected: Sequence[str], optional: Sequence[str] = ()
) -> tuple[RawTable | None, list[Problem]]:
    """Read ``raw`` as UTF-8 CSV whose header is exactly the ``expected`` columns, in any order (an
    ``optional`` one may be left out, and is then blank); problems name the file ``name``."""
    problems: list[Problem] = []
    big = too_large(name, len(raw))
    if big is not None:
        return None, [big]
    if raw.count(b"\n") > schema.MAX_ROWS_PER_FILE + 1:
        return None, [
            Problem(name, None, None, f"file has more than {schema.MAX_ROWS_PER_FILE:,} rows, the limit; not read")
        ]
    try:
        blank = _blank_utf8(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                name,
                line,
                None,
                f"byte {exc.start + 1} (character {col} of the line) is not UTF-8; save the file as 'CSV UTF-8'",
            )
        ]
    if raw.startswith(_BOM_BYTES):
        raw = raw[len(_BOM_BYTES) :]
        blank = _blank_utf8(raw)
        problems.append(Problem(name, 1, None, "file starts with a byte-order mark (BOM); it was ignored", "warning"))
    if blank:
        return None, [Problem(name, None, None, "file is empty: expected a header row and data rows")]

    standard = _read_standard(raw)
    if standard is None:
        read = _read_records(raw.decode("utf-8"), name)
        if isinstance(read, Problem):
            return None, [read]
        records, lines = read
        header = [h.strip() for h in records[0]]
        count = len(records)
    else:
        cells, line_array = standard
        header = [str(h).strip() for h in cells.iloc[0]]
        count = len(cells)
    missing = [c for c in expected if c not in header and c not in optional]
    extra = [h for h in header if h not in expected]
    for col in missing:
        problems.append(Problem(name, 1, col, "required column is missing from the header"))
    for col in extra:
        problems.append(Problem(name, 1, col or "(blank)", "column is not in the schema"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    for col in dupes:
        problems.append(Problem(name, 1, col, "column appears more than once in the header"))
    if missing or extra or dupes:
        return None, problems
    if count == 1:
        problems.append(Problem(name, None, None, "file has a header but no data rows"))
        return None, problems

    if standard is not None:
        frame, coded = _strip_columns(cells.iloc[1:], header)
        return RawTable(name, frame.reindex(columns=list(expected), fill_value=""), line_array[1:], coded), problems
    body: list[list[str]] = []
    body_lines: list[int] = []
    for record, line in zip(records[1:], lines[1:], strict=True):
        if len(record) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"row has {len(record)} cells but the header has {len(header)}",
                )
            )
            continue
        body.append([cell.strip() for cell in record])
        body_lines.append(line)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.reindex(columns=list(expected), fill_value="")
    return RawTable(name, frame, body_lines), problems


def bad_cells(table: RawTable, column: str, mask: pd.Series, message: str | None = None, fmt=None) -> list[Problem]:
    """One problem per row where ``mask`` is true; ``fmt(value)`` builds the message if given."""
    name = table.name
    out = []
    for idx in mask[mask].index:
        value = table.frame.at[idx, column]
        text = fmt(value) if fmt else message
        out.append(Problem(name, int(table.lines[idx]), column, text))
    return out


def text_checks(table: RawTable, columns: Iterable[str]) -> list[Problem]:
    """No cell may start like a spreadsheet formula or hold HTML markup."""
    problems = []
    for col in columns:

        def formula(values: pd.Series, col: str = col) -> pd.Series:
            found = values.str.startswith(schema.FORMULA_PREFIXES) & ~values.str.match(_NUMBER_RE)
            if col == "source":
                found &= ~values.str.match(_SOURCE_URL_RE)
            return found

        problems += bad_cells(
            table,
            col,
            table.per_row(col, formula),
            fmt=lambda v: f"text {v[:40]!r} starts like a spreadsheet formula (=, +, -, @); reword it",
        )
        problems += bad_cells(
            table,
            col,
            table.per_row(col, lambda values: values.str.contains(_MARKUP_RE)),
            fmt=lambda v: f"text {v[:40]!r} contains HTML markup; plain text only",
        )
    return problems


def _vocab(table: RawTable, column: str, allowed: Sequence[str], blank_ok: bool) -> list[Problem]:
    def bad(values: pd.Series) -> pd.Series:
        out = ~values.isin(allowed)
        return out & (values != "") if blank_ok else out

    shown = ", ".join(repr(a) for a in allowed[:24]) + (", ..." if len(allowed) > 24 else "")
    by_case = {a.casefold(): a for a in allowed}

    def message(value: str) -> str:
        near = by_case.get(value.strip().casefold())
        hint = f"did you mean {near!r}? " if near else ""
        return f"{value!r} is not allowed here; {hint}allowed: {shown} (the lists are in data/schema.py)"

    return bad_cells(table, column, table.per_row(column, bad), fmt=message)


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII) else None
    except ValueError:
        return None


def _is(table: RawTable, column: str, value: str) -> pd.Series:
    return table.per_row(column, lambda values: values == value)


def check_table(table: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one dataset file's cells; return the typed frame and the problems found.

    Every check runs once per distinct value of a column (see ``Coded``), then per row.
    """
    f = table.frame
    name = table.name
    problems: list[Problem] = []

    for col in schema.COLUMNS:
        if col.required:
            problems += bad_cells(table, col.name, _is(table, col.name, ""), "a value is required here")
    text_cols = [c for c in schema.COLUMN_NAMES if c not in ("value", "period_start", "period_end")]
    problems += text_checks(table, text_cols)

    problems += _vocab(table, "force", schema.FORCES, blank_ok=False)
    problems += _vocab(table, "strand", schema.STRANDS, blank_ok=True)
    problems += _vocab(table, "unit", schema.UNITS, blank_ok=False)
    problems += _vocab(table, "qualifier", schema.QUALIFIERS, blank_ok=False)
    problems += _vocab(table, "derived", schema.DERIVED_VALUES, blank_ok=False)
    problems += _vocab(table, "source_type", schema.SOURCE_TYPES, blank_ok=False)
    problems += _vocab(table, "series_break", schema.SERIES_BREAK_VALUES, blank_ok=True)
    no_note = _is(table, "note", "")
    problems += bad_cells(
        table,
        "note",
        _is(table, "series_break", "yes") & no_note,
        "a series break needs a note saying what changed",
    )

    # Numbers: worked out per distinct cell, then spread to the rows.
    values = table.cells("value")
    raw_value = values.values
    has_value_u = raw_value != ""
    numeric_u = pd.to_numeric(raw_value.where(has_value_u & raw_value.str.match(_NUMBER_RE)), errors="coerce")
    # A cell that is given but is not a number is an error, never a blank ("not stated").
    not_number_u = has_value_u & numeric_u.isna()
    value_u = numeric_u
    has_value = values.spread(has_value_u, f.index)
    problems += bad_cells(
        table,
        "value",
        values.spread(not_number_u, f.index),
        fmt=lambda v: f"{v!r} is not a number (write ASCII digits with '.' for decimals, no commas, units or words)",
    )
    value = values.spread(value_u, f.index)
    counts = table.per_row("unit", lambda units: units.isin(schema.COUNT_UNITS))
    fractional = values.spread(
        value_u.map(lambda x: x == x and math.isfinite(x) and not float(x).is_integer()), f.index
    )
    problems += bad_cells(
        table,
        "value",
        counts & fractional,
        fmt=lambda v: f"{v} is not a whole number, but the unit counts things (people, arrests, lines, ...)",
    )
    signed = table.per_row("unit", lambda units: units.isin(schema.SIGNED_UNITS))
    problems += bad_cells(
        table,
        "value",
        (value < 0) & ~signed,
        fmt=lambda v: f"{v} is negative; counts and amounts cannot be below zero",
    )
    problems += bad_cells(
        table,
        "value",
        values.spread(value_u.map(lambda x: isinstance(x, float) and math.isinf(x)), f.index),
        "value is infinite",
    )

    # Blanks, words and qualifiers fit together.
    has_text = ~_is(table, "value_text", "")
    not_stated = _is(table, "qualifier", schema.NOT_STATED)
    text_unit = table.per_row("unit", lambda units: units.isin(schema.TEXT_UNITS))
    problems += bad_cells(
        table,
        "qualifier",
        ~has_value & ~has_text & ~not_stated,
        "value is blank, so the qualifier must be 'not stated' (a blank is never zero)",
    )
    problems += bad_cells(table, "value", has_value & not_stated, "qualifier is 'not stated' but a value is given")
    problems += bad_cells(table, "value_text", has_value & has_text, "a row has either a number or words, not both")
    problems += bad_cells(
        table,
        "unit",
        text_unit & has_value,
        fmt=lambda v: f"unit {v!r} is for rows in words; put the words in value_text",
    )
    problems += bad_cells(
        table,
        "value_text",
        has_text & ~text_unit,
        "words in value_text need a unit of 'level', 'event' or 'statement'",
    )
    problems += bad_cells(
        table,
        "note",
        _is(table, "derived", "yes") & no_note,
        "derived rows need a note saying how the number was computed",
    )

    # Sources.
    para = table.per_row("source", lambda src: src.str.match(_SOURCE_PARA_RE))
    url = table.per_row("source", lambda src: src.str.match(_SOURCE_URL_RE))
    problems += bad_cells(
        table,
        "source",
        ~_is(table, "source", "") & ~para & ~url,
        fmt=lambda v: f"{v!r} is not a source: write 'para 88', 'paras 86-87' or a full URL",
    )
    paper = _is(table, "source_type", "paper")
    problems += bad_cells(table, "source_type", para & ~paper, "a paragraph source must have source_type 'paper'")
    problems += bad_cells(table, "source_type", url & paper, "a URL source cannot have source_type 'paper'")

    # Dates: parsed once per distinct cell; the typed columns are datetimes (NaT where blank).
    typed_dates: dict[str, pd.Series] = {}
    bad_date: dict[str, pd.Series] = {}
    for col in ("period_start", "period_end"):
        cells = table.cells(col)
        dates_u = cells.values.map(lambda s: parse_date(s) if s else None)
        bad_u = (cells.values != "") & dates_u.isna()
        bad_date[col] = cells.spread(bad_u, f.index)
        problems += bad_cells(
            table,
            col,
            bad_date[col],
            fmt=lambda v: f"{v!r} is not a valid date; write YYYY-MM-DD (e.g. 2020-11-30)",
        )
        typed_dates[col] = cells.spread(pd.to_datetime(dates_u), f.index)
    start, end = typed_dates["period_start"], typed_dates["period_end"]
    backwards = start.notna() & end.notna() & (start > end)
    problems += bad_cells(table, "period_end", backwards, "period ends before it starts")

    # Unique keys within a publication (compared by value codes: equal codes are equal cells). A later
    # publication may state a figure again; ``check_restatements`` checks that it is later.
    keys = [*schema.KEY_COLUMNS, "publication"]
    dup = pd.DataFrame({c: table.cells(c).codes for c in keys}, index=f.index).duplicated(keep=False)
    if dup.any():
        key = f[keys]
        first_line: dict[tuple, int] = {}
        for idx in dup[dup].index:
            k = tuple(key.loc[idx])
            if k in first_line:
                problems.append(
                    Problem(
                        name,
                        int(table.lines[idx]),
                        None,
                        "duplicate row: same measure, breakdown, period, force, strand and publication as "
                        f"line {first_line[k]}",
                    )
                )
            else:
                first_line[k] = int(table.lines[idx])

    typed = f.copy(deep=False)  # copy on write: the raw table is not changed
    typed["value"] = value.astype("float64")
    typed["period_start"] = start
    typed["period_end"] = end
    return typed, problems


def check_period_dates(table: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """The same period label means the same dates on every row of the file (once blank end dates are
    filled from each row's publication: a label cannot mean one date in one paper and another in the next)."""
    bad = pd.Series(False, index=typed.index)
    for col in ("period_start", "period_end"):
        bad |= table.per_row(col, lambda cells: (cells != "") & cells.map(lambda c: parse_date(c) is None))
    spans = typed.loc[~bad, ["period", "period_start", "period_end"]]
    firsts = spans.drop_duplicates()
    clash = firsts[firsts.duplicated("period", keep=False)]
    problems = []
    for period in pd.unique(clash["period"]):
        rows = spans[spans["period"] == period]
        first = rows.iloc[0]
        same = _same_date(rows["period_start"], first["period_start"]) & _same_date(
            rows["period_end"], first["period_end"]
        )
        idx = rows.index[~same][0]
        problems.append(
            Problem(
                table.name,
                int(table.lines[idx]),
                "period",
                f"period {period!r} has different dates here ({_span(typed.loc[idx])}) than on line "
                f"{int(table.lines[rows.index[0]])} ({_span(first)}); one label must mean one span of dates "
                "(a blank end date is filled from the row's publication)",
            )
        )
    return problems


def _same_date(column: pd.Series, value) -> pd.Series:
    """Where ``column`` equals ``value``, a missing date being equal to a missing date."""
    return column.isna() if pd.isna(value) else column == value


def _span(row: pd.Series) -> str:
    def day(value) -> str:
        return "?" if pd.isna(value) else value.strftime("%Y-%m-%d")

    return f"{day(row['period_start'])} to {day(row['period_end'])}"


def check_restatements(table: RawTable, typed: pd.DataFrame, dates: pd.Series, names: pd.Series) -> list[Problem]:
    """Rows that state the same figure again (same key, another publication) must each come from a later
    publication than every row above them with that key. ``dates`` is each row's publication date (for
    ordering) and ``names`` its publication's name, both indexed like ``typed``."""
    keys = list(schema.KEY_COLUMNS)
    repeated = typed[typed.duplicated(keys, keep=False)]
    problems = []
    for _, group in repeated.groupby(keys, sort=False, dropna=False):
        latest_idx = group.index[0]
        for idx in group.index[1:]:
            if typed.at[idx, "publication"] == typed.at[latest_idx, "publication"]:
                continue  # a duplicate within one publication, reported by check_table
            if not dates[idx] > dates[latest_idx]:
                problems.append(
                    Problem(
                        table.name,
                        int(table.lines[idx]),
                        "publication",
                        f"this row states the figure of line {int(table.lines[latest_idx])} again, but its publication "
                        f"({names[idx]}) is not later than that row's ({names[latest_idx]}); a figure may be restated "
                        "only by a later publication, on a row below",
                    )
                )
            else:
                latest_idx = idx
    return problems


def check_totals(dataset: str, table: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """Apply the declared ``TOTAL_RULES`` for ``dataset``: parts add up to their total.

    Each total row is matched with its parts on every other key column and the unit (one
    grouping of the parts, not a scan of them per total).
    """
    problems: list[Problem] = []
    match_on = [c for c in schema.KEY_COLUMNS if c != "breakdown"] + ["unit"]
    for rule in (r for r in schema.TOTAL_RULES if r.dataset == dataset):
        totals = typed[(typed["breakdown"] == rule.total) & typed["value"].notna()]
        parts = typed[typed["breakdown"].isin(rule.parts)]
        if totals.empty or parts.empty:
            continue
        # Per key: how many part rows, how many of them are stated, and what the stated ones add up to.
        groups = parts.groupby(match_on, sort=False, dropna=False)["value"].agg(["size", "count", "sum"])
        found = totals[match_on].join(groups, on=match_on, how="left")
        found["total"] = totals["value"]
        # Only the rows that may be wrong are looked at one by one (with math.isclose, as ever).
        whole = (found["count"] == len(rule.parts)) & (found["size"] == len(rule.parts))
        off = (found["sum"] - found["total"]).abs() > 1e-9 * np.maximum(found["sum"].abs(), found["total"].abs())
        suspect = found["size"].notna() & ((whole & off) | (~whole & (found["sum"] > found["total"] + 1e-6)))
        for idx, size, stated, got, total in found.loc[suspect, ["size", "count", "sum", "total"]].itertuples():
            measure = typed.at[idx, "measure"]
            complete = int(stated) == len(rule.parts) == int(size)
            if complete and not math.isclose(got, total, rel_tol=1e-9, abs_tol=1e-6):
                problems.append(
                    Problem(
                        table.name,
                        int(table.lines[idx]),
                        "value",
                        f"total {total:g} for {measure!r} does not equal {' + '.join(rule.parts)} = {got:g}",
                    )
                )
            elif not complete and got > total + 1e-6:
                problems.append(
                    Problem(
                        table.name,
                        int(table.lines[idx]),
                        "value",
                        f"stated parts of {measure!r} add up to {got:g}, more than the total {total:g}",
                    )
                )
    return problems


def check_catalogue(table: RawTable) -> list[Problem]:
    """Check the catalogue file: valid unique names, known topics, no blanks, no formulas."""
    f = table.frame
    problems: list[Problem] = []
    for col in schema.CATALOGUE_COLUMNS:
        if col.required:
            problems += bad_cells(table, col.name, f[col.name] == "", "a value is required here")
    problems += text_checks(table, schema.CATALOGUE_COLUMN_NAMES)
    problems += _vocab(table, "marking", schema.MARKINGS, blank_ok=True)
    problems += bad_cells(
        table,
        "name",
        (f["name"] != "") & ~f["name"].str.match(_NAME_RE),
        fmt=lambda v: f"{v!r} is not a valid dataset name (lower case letters, digits and '_')",
    )
    problems += _vocab(table, "topic", schema.TOPICS, blank_ok=False)
    dup = f["name"].duplicated()
    problems += bad_cells(table, "name", dup, fmt=lambda v: f"dataset {v!r} is listed more than once")
    return problems
