"""Check data files against the declared schema and report every problem at once.

``read_table`` turns one CSV file into a frame of strings, recording the line
number each record starts on; ``check_table`` and ``check_catalogue`` return a
list of ``Problem``; nothing here raises on bad data except ``DataError``,
which carries the full list.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from data import schema

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_PARA_RE = re.compile(r"^(para \d+|paras \d+(-\d+|(, \d+)+))$")
_SOURCE_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")
_MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!]")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
_BOM = "\ufeff"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file. ``line`` and ``column`` are None when they do not apply."""

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
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


def format_report(problems: Sequence[Problem]) -> str:
    """A plain report: a count line, then one line per problem in file and line order."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    head = f"{len(errors)} error(s), {len(warnings)} warning(s) in the data files."
    ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or "", p.message))
    return "\n".join([head, *(f"  {p}" for p in ordered)])


@dataclass(frozen=True)
class RawTable:
    """A file's cells as strings, with the line each record starts on (the header is line 1)."""

    path: Path
    frame: pd.DataFrame
    lines: list[int]


def _label(path: Path) -> str:
    return path.name


def read_table(path: Path, expected: Sequence[str]) -> tuple[RawTable | None, list[Problem]]:
    """Read ``path`` as UTF-8 CSV whose header is exactly the ``expected`` columns, in any order."""
    name = _label(path)
    problems: list[Problem] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
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
    if text.startswith(_BOM):
        text = text[1:]
        problems.append(Problem(name, 1, None, "file starts with a byte-order mark (BOM); it was ignored", "warning"))
    if not text.strip():
        return None, [Problem(name, None, None, "file is empty: expected a header row and data rows")]

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
        return None, [Problem(name, reader.line_num, None, f"not valid CSV: {exc}")]

    header = [h.strip() for h in records[0]]
    missing = [c for c in expected if c not in header]
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
    if len(records) == 1:
        problems.append(Problem(name, None, None, "file has a header but no data rows"))
        return None, problems

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
    frame = frame.reindex(columns=list(expected))
    return RawTable(path, frame, body_lines), problems


def _bad_cells(table: RawTable, column: str, mask: pd.Series, message: str | None = None, fmt=None) -> list[Problem]:
    """One problem per row where ``mask`` is true; ``fmt(value)`` builds the message if given."""
    name = _label(table.path)
    out = []
    for idx in mask[mask].index:
        value = table.frame.at[idx, column]
        text = fmt(value) if fmt else message
        out.append(Problem(name, table.lines[idx], column, text))
    return out


def _text_checks(table: RawTable, columns: Iterable[str]) -> list[Problem]:
    """No cell may start like a spreadsheet formula or hold HTML markup."""
    problems = []
    for col in columns:
        series = table.frame[col]
        formula = series.str.startswith(schema.FORMULA_PREFIXES) & ~series.str.match(_NUMBER_RE)
        if col == "source":
            formula &= ~series.str.match(_SOURCE_URL_RE)
        problems += _bad_cells(
            table,
            col,
            formula,
            fmt=lambda v: f"text {v[:40]!r} starts like a spreadsheet formula (=, +, -, @); reword it",
        )
        problems += _bad_cells(
            table,
            col,
            series.str.contains(_MARKUP_RE),
            fmt=lambda v: f"text {v[:40]!r} contains HTML markup; plain text only",
        )
    return problems


def _vocab(table: RawTable, column: str, allowed: Sequence[str], blank_ok: bool) -> list[Problem]:
    series = table.frame[column]
    bad = ~series.isin(allowed)
    if blank_ok:
        bad &= series != ""
    shown = ", ".join(repr(a) for a in allowed) if len(allowed) <= 8 else f"{len(allowed)} allowed values"
    return _bad_cells(
        table,
        column,
        bad,
        fmt=lambda v: f"{v!r} is not allowed here (allowed: {shown}; see data/schema.py)",
    )


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def check_table(table: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one dataset file's cells; return the typed frame and the problems found."""
    f = table.frame
    name = _label(table.path)
    problems: list[Problem] = []

    for col in schema.COLUMNS:
        if col.required:
            problems += _bad_cells(table, col.name, f[col.name] == "", "a value is required here")
    text_cols = [c for c in schema.COLUMN_NAMES if c not in ("value", "period_start", "period_end")]
    problems += _text_checks(table, text_cols)

    problems += _vocab(table, "force", schema.FORCES, blank_ok=False)
    problems += _vocab(table, "strand", schema.STRANDS, blank_ok=True)
    problems += _vocab(table, "unit", schema.UNITS, blank_ok=False)
    problems += _vocab(table, "qualifier", schema.QUALIFIERS, blank_ok=False)
    problems += _vocab(table, "derived", schema.DERIVED_VALUES, blank_ok=False)
    problems += _vocab(table, "source_type", schema.SOURCE_TYPES, blank_ok=False)
    problems += _vocab(table, "series_break", schema.SERIES_BREAK_VALUES, blank_ok=True)
    problems += _bad_cells(
        table,
        "note",
        (f["series_break"] == "yes") & (f["note"] == ""),
        "a series break needs a note saying what changed",
    )

    # Numbers.
    raw_value = f["value"]
    has_value = raw_value != ""
    numeric = pd.to_numeric(raw_value.str.replace(",", "", regex=False).where(has_value), errors="coerce")
    not_number = has_value & (~raw_value.str.match(_NUMBER_RE))
    problems += _bad_cells(
        table,
        "value",
        not_number,
        fmt=lambda v: f"{v!r} is not a number (write digits with '.' for decimals, no commas, units or words)",
    )
    value = numeric.where(~not_number)
    signed = f["unit"].isin(schema.SIGNED_UNITS)
    problems += _bad_cells(
        table,
        "value",
        (value < 0) & ~signed,
        fmt=lambda v: f"{v} is negative; counts and amounts cannot be below zero",
    )
    problems += _bad_cells(
        table,
        "value",
        value.map(lambda x: isinstance(x, float) and math.isinf(x)),
        "value is infinite",
    )

    # Blanks, words and qualifiers fit together.
    has_text = f["value_text"] != ""
    not_stated = f["qualifier"] == schema.NOT_STATED
    text_unit = f["unit"].isin(schema.TEXT_UNITS)
    problems += _bad_cells(
        table,
        "qualifier",
        ~has_value & ~has_text & ~not_stated,
        "value is blank, so the qualifier must be 'not stated' (a blank is never zero)",
    )
    problems += _bad_cells(table, "value", has_value & not_stated, "qualifier is 'not stated' but a value is given")
    problems += _bad_cells(table, "value_text", has_value & has_text, "a row has either a number or words, not both")
    problems += _bad_cells(
        table,
        "unit",
        text_unit & has_value,
        fmt=lambda v: f"unit {v!r} is for rows in words; put the words in value_text",
    )
    problems += _bad_cells(
        table,
        "value_text",
        has_text & ~text_unit,
        "words in value_text need a unit of 'level', 'event' or 'statement'",
    )
    problems += _bad_cells(
        table,
        "note",
        (f["derived"] == "yes") & (f["note"] == ""),
        "derived rows need a note saying how the number was computed",
    )

    # Sources.
    src = f["source"]
    para = src.str.match(_SOURCE_PARA_RE)
    url = src.str.match(_SOURCE_URL_RE)
    problems += _bad_cells(
        table,
        "source",
        (src != "") & ~para & ~url,
        fmt=lambda v: f"{v!r} is not a source: write 'para 88', 'paras 86-87' or a full URL",
    )
    paper = f["source_type"] == "paper"
    problems += _bad_cells(table, "source_type", para & ~paper, "a paragraph source must have source_type 'paper'")
    problems += _bad_cells(table, "source_type", url & paper, "a URL source cannot have source_type 'paper'")

    # Dates.
    parsed = {}
    for col in ("period_start", "period_end"):
        series = f[col]
        dates = series.map(lambda s: parse_date(s) if s else None)
        bad = (series != "") & dates.isna()
        problems += _bad_cells(
            table,
            col,
            bad,
            fmt=lambda v: f"{v!r} is not a valid date; write YYYY-MM-DD (e.g. 2020-11-30)",
        )
        parsed[col] = dates
    both = parsed["period_start"].notna() & parsed["period_end"].notna()
    backwards = both & (parsed["period_start"].where(both, date.min) > parsed["period_end"].where(both, date.min))
    problems += _bad_cells(table, "period_end", backwards, "period ends before it starts")

    # Unique keys.
    key = f[list(schema.KEY_COLUMNS)]
    dup = key.duplicated(keep=False)
    if dup.any():
        first_line: dict[tuple, int] = {}
        for idx in dup[dup].index:
            k = tuple(key.loc[idx])
            if k in first_line:
                problems.append(
                    Problem(
                        name,
                        table.lines[idx],
                        None,
                        f"duplicate row: same measure, breakdown, period, force and strand as line {first_line[k]}",
                    )
                )
            else:
                first_line[k] = table.lines[idx]

    # The same period label must mean the same dates everywhere in the file.
    dated_ok = ~((f["period_start"] != "") & parsed["period_start"].isna()) & ~(
        (f["period_end"] != "") & parsed["period_end"].isna()
    )
    spans = f.loc[dated_ok, ["period", "period_start", "period_end"]].drop_duplicates()
    clash = spans[spans.duplicated("period", keep=False)]
    for period in clash["period"].unique():
        idx = f.index[f["period"] == period][-1]
        problems.append(
            Problem(
                name,
                table.lines[idx],
                "period",
                f"period {period!r} is given different start or end dates on different rows",
            )
        )

    typed = f.copy()
    typed["value"] = value.astype("float64")
    typed["period_start"] = pd.to_datetime(parsed["period_start"])
    typed["period_end"] = pd.to_datetime(parsed["period_end"])
    return typed, problems


def check_totals(dataset: str, table: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """Apply the declared ``TOTAL_RULES`` for ``dataset``: parts add up to their total."""
    problems: list[Problem] = []
    match_on = [c for c in schema.KEY_COLUMNS if c != "breakdown"] + ["unit"]
    for rule in (r for r in schema.TOTAL_RULES if r.dataset == dataset):
        totals = typed[typed["breakdown"] == rule.total]
        parts = typed[typed["breakdown"].isin(rule.parts)]
        for idx, total_row in totals.iterrows():
            same = (parts[match_on] == total_row[match_on]).all(axis=1)
            group = parts[same]
            if group.empty or pd.isna(total_row["value"]):
                continue
            stated = group["value"].dropna()
            total = float(total_row["value"])
            complete = len(stated) == len(rule.parts) == len(group)
            got = float(stated.sum())
            if complete and not math.isclose(got, total, rel_tol=1e-9, abs_tol=1e-6):
                problems.append(
                    Problem(
                        _label(table.path),
                        table.lines[idx],
                        "value",
                        f"total {total:g} for {total_row['measure']!r} does not equal "
                        f"{' + '.join(rule.parts)} = {got:g}",
                    )
                )
            elif not complete and got > total + 1e-6:
                problems.append(
                    Problem(
                        _label(table.path),
                        table.lines[idx],
                        "value",
                        f"stated parts of {total_row['measure']!r} add up to {got:g}, more than the total {total:g}",
                    )
                )
    return problems


def check_catalogue(table: RawTable) -> list[Problem]:
    """Check the catalogue file: valid unique names, known topics, no blanks, no formulas."""
    f = table.frame
    problems: list[Problem] = []
    for col in schema.CATALOGUE_COLUMNS:
        problems += _bad_cells(table, col.name, f[col.name] == "", "a value is required here")
    problems += _text_checks(table, schema.CATALOGUE_COLUMN_NAMES)
    problems += _bad_cells(
        table,
        "name",
        (f["name"] != "") & ~f["name"].str.match(_NAME_RE),
        fmt=lambda v: f"{v!r} is not a valid dataset name (lower case letters, digits and '_')",
    )
    problems += _vocab(table, "topic", schema.TOPICS, blank_ok=False)
    problems += _bad_cells(
        table,
        "updated",
        (f["updated"] != "") & f["updated"].map(lambda s: parse_date(s) is None),
        fmt=lambda v: f"{v!r} is not a valid date; write YYYY-MM-DD (e.g. 2021-01-31)",
    )
    dup = f["name"].duplicated()
    problems += _bad_cells(table, "name", dup, fmt=lambda v: f"dataset {v!r} is listed more than once")
    return problems
