"""Plain-English formatting of values with their unit and qualifier (no Dash imports)."""

from __future__ import annotations

import math
from urllib.parse import urlparse

#: How the board paper is named in source lines.
PAPER = "SPR update to the board"

_QUALIFIER_WORDS = {
    "exact": "",
    "more than": "more than ",
    "at least": "at least ",
    "approximately": "about ",
    "nearly": "nearly ",
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


def group_sources(sources) -> tuple[str, dict[str, list[str]]]:
    """The paper's paragraphs as one reference ('paras 86–88') and the public pages grouped by site.

    Sites keep their first-seen order: {'gov.uk': [url, url], 'nca.gov.uk': [url]}.
    """
    unique = list(dict.fromkeys(str(s) for s in sources))
    by_site: dict[str, list[str]] = {}
    for url in (s for s in unique if s.startswith(("http://", "https://"))):
        by_site.setdefault(urlparse(url).netloc.removeprefix("www."), []).append(url)
    return paragraph_range(unique), by_site
