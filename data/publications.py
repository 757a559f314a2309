"""The publications the figures come from: board papers and public releases (``publications.csv``).

A publication's date may be a day, a month or a year: ``PubDate`` keeps that precision, so a paper
known only to be from January 2021 is shown as "January 2021", never as a day it was not dated.
For ordering and for figures "as at" the publication, a month counts as its last day (the figures
were stated by then).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from data import schema
from data.validation import Problem, RawTable, bad_cells, text_checks

_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MAX_ID = 60
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")


@dataclass(frozen=True)
class PubDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PubDate | None:
        """'2020-07-02', '2021-01' or '2021'; None if it is none of these or no such day."""
        match = _DATE_RE.match(text.strip())
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            return None
        return cls(year, month, day)

    @property
    def last_day(self) -> date:
        """The last day the date covers (the day itself, or the month's or year's last day)."""
        if self.day is not None:
            return date(self.year, self.month, self.day)
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """'2 July 2020', 'January 2021' or '2021'."""
        if self.day is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    @property
    def iso(self) -> str:
        """ISO 8601 at its own precision: '2020-07-02', '2021-01' or '2021'."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Publication:
    """One entry of ``publications.csv``."""

    id: str
    title: str
    short_title: str
    publisher: str
    board: str
    meeting: str
    date: PubDate
    date_note: str
    link: str
    next_update: str

    @property
    def is_paper(self) -> bool:
        """A board paper (it went to a board), as against a public release."""
        return bool(self.board)

    @property
    def url(self) -> str:
        """Its web address, or '' where ``link`` says in words where it is kept."""
        return self.link if _URL_RE.match(self.link) else ""

    @property
    def name(self) -> str:
        """How a sentence names it: 'SPR update to the board, January 2021' (a board paper, with its date);
        a public release by its short title alone, since its date may be only that of its figures."""
        return f"{self.short_title}, {self.date.label}" if self.is_paper else self.short_title


def check_publications(table: RawTable) -> tuple[dict[str, Publication], set[str], list[Problem]]:
    """The catalogue's entries by id, the ids listed without a valid date, and every problem with it
    (file, line and column)."""
    f = table.frame
    problems: list[Problem] = []
    for col in schema.PUBLICATION_COLUMNS:
        if col.required:
            problems += bad_cells(table, col.name, f[col.name] == "", "a value is required here")
    problems += text_checks(table, schema.PUBLICATION_COLUMN_NAMES)
    bad_id = (f["id"] != "") & ~f["id"].map(lambda s: bool(_ID_RE.match(s)) and len(s) <= _MAX_ID)
    problems += bad_cells(
        table,
        "id",
        bad_id,
        fmt=lambda v: f"{v!r} is not a valid id (lower case letters, digits and '-', at most {_MAX_ID} characters)",
    )
    dates = f["date"].map(PubDate.parse)
    problems += bad_cells(
        table,
        "date",
        (f["date"] != "") & dates.isna(),
        fmt=lambda v: f"{v!r} is not a date; write YYYY-MM-DD, or YYYY-MM or YYYY where only that is known",
    )
    problems += bad_cells(
        table,
        "meeting",
        (f["meeting"] != "") & (f["board"] == ""),
        "a meeting is given but no board: a board paper names its board",
    )
    dup = f["id"].duplicated() & (f["id"] != "")
    problems += bad_cells(table, "id", dup, fmt=lambda v: f"publication {v!r} is listed more than once")
    found: dict[str, Publication] = {}
    undated: set[str] = set()
    for idx, row in f.iterrows():
        when = dates[idx]
        if row["id"] and when is None:
            undated.add(row["id"])
        elif row["id"] and not dup[idx] and not bad_id[idx]:
            found[row["id"]] = Publication(
                id=row["id"],
                title=row["title"],
                short_title=row["short_title"],
                publisher=row["publisher"],
                board=row["board"],
                meeting=row["meeting"],
                date=when,
                date_note=row["date_note"],
                link=row["link"],
                next_update=row["next_update"],
            )
    return found, undated, problems


def check_named(
    table: RawTable, typed: pd.DataFrame, publications: dict[str, Publication], undated: set[str] = frozenset()
) -> list[Problem]:
    """Each row names a known publication; a paper row names a board paper; a URL row names the
    publication at that address."""
    problems: list[Problem] = []
    pub = typed["publication"]
    unknown = (pub != "") & ~pub.isin(list(publications)) & ~pub.isin(list(undated))
    problems += bad_cells(
        table,
        "publication",
        unknown,
        fmt=lambda v: f"publication {v!r} is not listed in {schema.PUBLICATIONS_FILE}",
    )
    # One line per publication, not one per row: the cause is the catalogue's date, reported there.
    waiting = typed[pub.isin(list(undated)) & typed["period_end"].isna()]
    for pub_id, rows in waiting.groupby("publication", sort=False):
        lines = [int(table.lines[i]) for i in rows.index]
        more = f" (and {len(lines) - 1} more rows)" if len(lines) > 1 else ""
        problems.append(
            Problem(
                table.name,
                lines[0],
                "period_end",
                f"the period has no end date and its publication {pub_id!r} has no valid date to take it from "
                f"(see {schema.PUBLICATIONS_FILE}){more}",
            )
        )
    known = pub.isin(list(publications))
    is_paper = pub.map(lambda p: p in publications and publications[p].is_paper)
    problems += bad_cells(
        table,
        "publication",
        known & (typed["source_type"] == "paper") & ~is_paper,
        fmt=lambda v: f"{v!r} is not a board paper (it has no board), but the row's source_type is 'paper'",
    )
    problems += bad_cells(
        table,
        "publication",
        known & (typed["source_type"] != "paper") & is_paper,
        fmt=lambda v: f"{v!r} is a board paper, but the row's source_type is not 'paper'",
    )
    is_url = typed["source"].str.match(_URL_RE)
    link = pub.map(lambda p: publications[p].link if p in publications else "")
    problems += bad_cells(
        table,
        "source",
        known & is_url & (typed["source"] != link),
        fmt=lambda v: f"{v[:60]!r} is not the address of the row's publication; name the publication at this address",
    )
    return problems


def latest(pubs: list[Publication]) -> Publication | None:
    return max(pubs, key=lambda p: p.date.last_day) if pubs else None


def as_at_text(rows: pd.DataFrame, publications: dict[str, Publication]) -> str:
    """How old the figures in ``rows`` are: 'Figures as at January 2021 (Strategic Policing Requirement
    update, Strategic Policing and Crime Board). Public figures to 7 November 2025.' and the next update
    where the latest publication states one."""
    pubs = [publications[p] for p in pd.unique(rows["publication"].astype(str)) if p in publications]
    paper = latest([p for p in pubs if p.is_paper])
    public = latest([p for p in pubs if not p.is_paper])
    parts = []
    if paper is not None:
        parts.append(f"Figures as at {paper.date.label} ({paper.title}, {paper.board}).")
        if public is not None:
            parts.append(f"Public releases for context up to {public.date.label}.")
    elif public is not None:
        parts.append(f"Figures from public releases up to {public.date.label}.")
    head = paper or public
    if head is not None and head.next_update:
        parts.append(f"Next update: {head.next_update}.")
    return " ".join(parts)


def copied_without_its_publication(
    table: RawTable, typed: pd.DataFrame, publications: dict[str, Publication]
) -> list[Problem]:
    """Warn where a period is given by two publications and one of them is dated before the period ends:
    a row copied for a new period may have kept the old paper's id (a plan or a budget may be stated before
    its period ends, so this is a warning, not an error)."""
    problems = []
    known = typed[typed["publication"].isin(list(publications))]
    for period, rows in known.groupby("period", sort=False):
        pubs = list(dict.fromkeys(rows["publication"]))
        end = rows["period_end"].max()
        if len(pubs) < 2 or pd.isna(end):
            continue
        early = [p for p in pubs if pd.Timestamp(publications[p].date.last_day) < end]
        late = [p for p in pubs if p not in early]
        if early and late:
            idx = rows.index[rows["publication"] == early[0]][0]
            problems.append(
                Problem(
                    table.name,
                    int(table.lines[idx]),
                    "publication",
                    f"period {period!r} is given by {', '.join(pubs)}, but {early[0]!r} is dated "
                    f"{publications[early[0]].date.label}, before the period ends: did a copied row keep the "
                    "earlier paper's id?",
                    "warning",
                )
            )
    return problems


#: The category of a paper's own statements of change, and how a stated rise or fall is named.
STATED_CHANGES = "Stated changes"


def unreadable_stated_changes(table: RawTable, typed: pd.DataFrame) -> list[Problem]:
    """Warn of a stated rise or fall in numbers whose measure does not say what it is of: it is then
    neither checked against the table nor shown beside its chart."""
    from data.checks import stated_difference

    rows = typed[
        (typed["category"] == STATED_CHANGES)
        & typed["value"].notna()
        & ~typed["unit"].isin(["percent change"])
        & ~typed["measure"].map(lambda m: stated_difference(str(m)) is not None)
    ]
    return [
        Problem(
            table.name,
            int(table.lines[idx]),
            "measure",
            f"stated change {typed.at[idx, 'measure']!r} is not named 'Rise in <measure> on previous year' or "
            "'Fall in <measure> on previous year', so it is not checked against the figures",
            "warning",
        )
        for idx in rows.index
    ]
