"""Plain-English formatting of values with their unit and qualifier (no Dash imports)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

#: Each qualifier in words before the number: the source's own word ("over 360", "in excess of 59").
_QUALIFIER_WORDS = {
    "exact": "",
    "more than": "more than ",
    "over": "over ",
    "in excess of": "in excess of ",
    "at least": "at least ",
    "approximately": "approximately ",
    "around": "around ",
    "about": "about ",
    "estimated": "an estimated ",
    "nearly": "nearly ",
    "almost": "almost ",
}

#: Units shown after the number; the rest are implied by the measure's name.
_SUFFIX_UNITS = {
    "kg": " kg",
    "years": " years",
    "months": " months",
    "rounds": " rounds",
    "investigations per week": " a week",
}


def format_number(value: float) -> str:
    """Thousands separators; decimals only where the source has them (626.81, 3.5)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def format_value(value: float | None, unit: str, qualifier: str, value_text: str = "") -> str:
    """Words for a value: (360, 'people', 'more than') -> 'more than 360'.

    (7, 'GBP million', 'nearly') -> 'nearly £7m'; a blank value -> 'Not stated'.
    """
    if value_text:
        return value_text
    if value is None or (isinstance(value, float) and math.isnan(value)) or qualifier == "not stated":
        return "Not stated"
    number = format_number(abs(value) if unit == "percent change" else value)
    if unit == "GBP million":
        text = f"£{number}m"
    elif unit == "GBP":
        text = f"£{number}"
    elif unit in ("percent", "percent of previous year"):
        text = f"{number}%"
    elif unit == "percent change":
        text = f"{'+' if value > 0 else '−' if value < 0 else ''}{number}%"
    elif unit == "rank":
        text = _ordinal(int(value))
    else:
        text = number + _SUFFIX_UNITS.get(unit, "")
    return _QUALIFIER_WORDS.get(qualifier, "") + text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def paragraph_range(sources: list[str] | tuple[str, ...]) -> str:
    """Paper sources as one reference: ['para 11', 'para 10', 'paras 12-13'] -> 'paras 10–13'.

    Sources that are not paragraphs (URLs) are ignored; returns '' when there are none.
    """
    numbers: set[int] = set()
    for src in sources:
        if not src.startswith("para"):
            continue
        for part in src.split(" ", 1)[1].split(","):
            lo, _, hi = part.strip().partition("-")
            numbers.update(range(int(lo), int(hi or lo) + 1))
    if not numbers:
        return ""
    ordered = sorted(numbers)
    runs: list[str] = []
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    label = "para" if len(ordered) == 1 else "paras"
    return f"{label} {', '.join(runs)}"


#: First words that are names, kept capitalised mid-sentence.
_PROPER_FIRST_WORDS = frozenset(
    {"Prevent", "Pursue", "Protect", "Prepare", "Channel", "Black", "Targeted", "Operation", "Home", "West", "Regional"}
)


def lower_first(text: str) -> str:
    """'Discussed at a Channel panel' -> 'discussed at a Channel panel'; names and acronyms stay as they are."""
    first = text.split(" ", 1)[0]
    if (len(text) > 1 and text[1].isupper()) or first in _PROPER_FIRST_WORDS:
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Sources:
    """Where a set of rows comes from: each board paper with its paragraphs (latest paper first), and the
    public pages grouped by site in first-seen order."""

    papers: tuple[tuple[str, str], ...]
    sites: dict[str, list[str]]
    #: Who published the public releases, in first-seen order ('Home Office', 'ITV News'); a release
    #: missing from the catalogue is named by its site.
    publishers: tuple[str, ...] = ()

    def paper_texts(self) -> list[str]:
        """'SPR update to the board, January 2021, paras 86–88', one per paper."""
        return [f"{name}, {paras}" if paras else name for name, paras in self.papers]


def sources_of(rows, publications: Mapping[str, object]) -> Sources:
    """The sources of ``rows`` (columns ``source`` and ``publication``), naming papers by their publication
    (``publications`` maps ids to objects with ``name``, ``is_paper`` and ``date.last_day``)."""
    by_paper: dict[str, list[str]] = {}
    for source, pub in zip(rows["source"].astype(str), rows["publication"].astype(str), strict=True):
        if not source.startswith(("http://", "https://")):
            by_paper.setdefault(pub, []).append(source)

    def when(pub: str):
        found = publications.get(pub)
        return found.date.last_day if found is not None else date.min

    papers = tuple(
        (publications[pub].name if pub in publications else "Board paper", paragraph_range(paras))
        for pub, paras in sorted(by_paper.items(), key=lambda item: when(item[0]), reverse=True)
    )
    _, sites = group_sources(rows["source"])
    publishers: dict[str, None] = {}
    for source, pub in zip(rows["source"].astype(str), rows["publication"].astype(str), strict=True):
        if source.startswith(("http://", "https://")):
            found = publications.get(pub)
            name = getattr(found, "publisher", "") if found is not None else ""
            publishers.setdefault(name or urlparse(source).netloc.removeprefix("www."), None)
    return Sources(papers, sites, tuple(publishers))


def group_sources(sources) -> tuple[str, dict[str, list[str]]]:
    """The paper's paragraphs as one reference ('paras 86–88') and the public pages grouped by site.

    Sites keep their first-seen order: {'gov.uk': [url, url], 'nca.gov.uk': [url]}.
    """
    unique = list(dict.fromkeys(str(s) for s in sources))
    by_site: dict[str, list[str]] = {}
    for url in (s for s in unique if s.startswith(("http://", "https://"))):
        by_site.setdefault(urlparse(url).netloc.removeprefix("www."), []).append(url)
    return paragraph_range(unique), by_site


def spreadsheet_format(value: float, unit: str = "", qualifier: str = "exact") -> str:
    """The number format a spreadsheet shows ``value`` in, as ``format_value`` words it: thousands
    separators, the decimals the value has, its unit ('"£"#,##0.0"m"') and, given a ``qualifier``, its
    words ('"more than "#,##0'), so the cell stays a number that reads as the source states it."""
    text = f"{abs(float(value)):.4f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if unit == "GBP million":
        body = f'"£"{number}"m"'
    elif unit == "GBP":
        body = f'"£"{number}'
    elif unit in ("percent", "percent of previous year"):
        body = f'{number}"%"'
    elif unit == "percent change":
        return f'"+"{number}"%";"−"{number}"%";{number}"%"'
    else:
        suffix = _SUFFIX_UNITS.get(unit, "")
        body = number + (f'"{suffix}"' if suffix else "")
    words = _QUALIFIER_WORDS.get(qualifier, "")
    return f'"{words}"{body}' if words else body
