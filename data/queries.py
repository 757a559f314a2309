"""Filtering and year-on-year comparison of the tidy frame (pure pandas; no Dash).

Frames passed here have the columns of ``data.schema.FRAME_COLUMNS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from data import schema
from data.formatting import format_value

ALL = "all"
#: A change is given as a percentage only when the earlier figure is at least this much, in its unit: a
#: rise from a small base says little (and 10 kg is not 10 people). Counts of people, cases and the like
#: need 10; weights 100 kg; ammunition 100 rounds; money £1m. Shares are compared in points, not per cent.
MIN_BASE_FOR_PERCENT = 10
MIN_BASE_BY_UNIT: dict[str, float] = {
    "kg": 100,
    "rounds": 100,
    "tablets": 1000,
    "credentials": 1000,
    "items": 100,
    "GBP": 1_000_000,
    "GBP million": 1,
}
#: Units in which a % change is never given (they are already rates, shares or ranks).
NO_PERCENT_UNITS = frozenset(
    {"percent", "percent change", "percent of previous year", "rank", "investigations per week"}
)
#: Marks a change the dashboard worked out, wherever it appears.
OUR_CALCULATION = "(our calculation)"


def min_base(unit: str) -> float:
    """The smallest earlier figure, in ``unit``, from which a % change is given."""
    return MIN_BASE_BY_UNIT.get(unit, MIN_BASE_FOR_PERCENT)


def base_words(unit: str) -> str:
    """'10', '100 kg', '£1,000,000': the smallest base in words, for a reason no % is given."""
    return format_value(min_base(unit), unit, "exact")


_FOLD_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


@dataclass(frozen=True)
class Filters:
    """The filter state, as held in the URL query string (``period``, ``strand``, ``force``).

    ``span`` is the chosen period's first and last days, worked out from the data (``resolved``), not
    read from the address: with it, the period matches every figure whose dates fall inside it or
    overlap it, whatever that figure's period is called."""

    period: str = ALL
    strand: str = ALL
    force: str = ALL
    span: tuple[pd.Timestamp | None, pd.Timestamp] | None = None

    def resolved(self, frame: pd.DataFrame) -> Filters:
        """These filters with the period's dates, as ``frame`` (every row the data has) gives them."""
        if self.period == ALL or self.span is not None:
            return self
        return replace(self, span=period_span(frame, self.period))

    @classmethod
    def from_query(cls, query: Mapping[str, object]) -> Filters:
        def pick(key: str) -> str:
            value = query.get(key)
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            text = str(value).strip() if value is not None else ""
            return text or ALL

        return cls(period=pick("period"), strand=pick("strand"), force=pick("force"))

    def to_search(self) -> str:
        """The query string for these filters ('' when all are 'all'), e.g. '?strand=Pursue'."""
        pairs = [
            (k, v) for k, v in (("period", self.period), ("strand", self.strand), ("force", self.force)) if v != ALL
        ]
        return "?" + urlencode(pairs) if pairs else ""


#: The longest filter value read from an address: no period, strand or area the data has is longer.
MAX_FILTER_CHARS = 120
#: The filters' names in an address, and what each is called in words.
FILTER_NAMES = {"period": "period", "strand": "strand", "force": "force or area"}


def known_filter_values(frame: pd.DataFrame) -> dict[str, frozenset[str]]:
    """The values each filter can take in ``frame``'s data: its periods; the CONTEST strands; the region,
    its forces and every other area the data names (with 'all' for each)."""

    def present(column: str) -> set[str]:
        return set(frame[column].astype(str)) - {""}

    return {
        "period": frozenset({ALL} | present("period")),
        "strand": frozenset({ALL, *schema.STRANDS} | present("strand")),
        "force": frozenset({ALL, *schema.FORCES} | present("force")),
    }


@dataclass(frozen=True)
class FilterCheck:
    """Filters read from an address, checked against the data: ``filters`` keeps the values the data has
    (an unknown one becomes 'all'), and ``problems`` says in words what was set aside."""

    filters: Filters
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_filters(filters: Filters, known: Mapping[str, frozenset[str]]) -> FilterCheck:
    """``filters`` with every value the data does not have (or too long to be one) set to 'all'."""
    kept: dict[str, str] = {}
    problems = []
    for name, words in FILTER_NAMES.items():
        value = getattr(filters, name)
        if value in known[name] and len(value) <= MAX_FILTER_CHARS:
            continue
        kept[name] = ALL
        shown = value if len(value) <= 40 else value[:40] + "…"
        problems.append(
            f"The address asks for a {words} that the figures do not have ('{shown}'), so it is not applied."
        )
    if not kept:
        return FilterCheck(filters)
    return FilterCheck(replace(filters, span=None, **kept), tuple(problems))


def period_span(frame: pd.DataFrame, label: str) -> tuple[pd.Timestamp | None, pd.Timestamp] | None:
    """The first and last days of the period ``label`` names in ``frame`` (None where its end is not known)."""
    rows = frame[frame["period"] == label]
    if rows.empty or rows["period_end"].isna().all():
        return None
    start = rows["period_start"].min()
    return (None if pd.isna(start) else start, rows["period_end"].max())


def period_matches(frame: pd.DataFrame, filters: Filters) -> pd.Series:
    """Which rows the period filter keeps: those of the chosen period, and (when its dates are known)
    every row whose dates fall inside it or overlap it. A row known only by its last day is a point."""
    same = frame["period"] == filters.period
    if filters.span is None:
        return same
    start, end = filters.span
    start = end if start is None else start
    row_end = frame["period_end"]
    row_start = frame["period_start"].fillna(row_end)
    return same | (row_end.notna() & (row_start <= end) & (row_end >= start))


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows matching every filter that is not 'all' (the period by its dates, where they are known)."""
    mask = pd.Series(True, index=frame.index)
    if filters.period != ALL:
        mask &= period_matches(frame, filters)
    if filters.strand != ALL:
        mask &= text_equals(frame["strand"], filters.strand)
    if filters.force != ALL:
        mask &= text_equals(frame["force"], filters.force)
    return frame[mask]


def text_equals(series: pd.Series, value: str) -> pd.Series:
    """``series.astype(str) == value``, without writing out every row's text for a categorical column
    (its categories are compared instead, then looked up by code)."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(str) == value
    codes = series.cat.codes.to_numpy()
    hits = np.flatnonzero(series.cat.categories.astype(str) == value)
    return pd.Series(np.isin(codes, hits), index=series.index)  # a missing value (code -1) matches nothing


def ordered_periods(frame: pd.DataFrame) -> list[str]:
    """Period labels in time order: by end date (the latest period is the one that ends last), then
    start date, then label; undated last."""
    if frame.empty:
        return []
    # One row per label: its first (a label means one span of dates; the validator makes sure of it).
    first = pd.Series(frame["period"].to_numpy(dtype=object)).drop_duplicates()
    at = first.index.to_numpy()
    ends, starts = frame["period_end"].to_numpy()[at], frame["period_start"].to_numpy()[at]

    def key(i: int) -> tuple:
        end, start = ends[i], starts[i]
        return (
            pd.isna(end),
            end if pd.notna(end) else 0,
            pd.isna(start),
            start if pd.notna(start) else 0,
            first.iat[i],
        )

    return [str(first.iat[i]) for i in sorted(range(len(first)), key=key)]


#: Said after an option the page has no figures for (the option is also greyed out).
NO_FIGURES = "no figures on this page"


@dataclass(frozen=True)
class FilterOptions:
    """Choices for the filter bar: (value, label) pairs, 'all' first. ``unavailable`` holds the values
    this page has no figures for: they are listed, greyed out and labelled so, never a dead end."""

    periods: list[tuple[str, str]]
    strands: list[tuple[str, str]]
    forces: list[tuple[str, str]]
    unavailable: frozenset[str] = frozenset()


def distinct_periods(frame: pd.DataFrame) -> list[str]:
    """The periods in time order, one label for each span of dates: labels naming the same dates
    ('Apr 2020', 'April 2020') are one option (the first; choosing it keeps the other's figures too)."""
    seen: set[tuple] = set()
    out = []
    for label in ordered_periods(frame):
        span = period_span(frame, label)
        if span is not None and span[0] is not None:
            if span in seen:
                continue
            seen.add(span)
        out.append(label)
    return out


def filter_options(frame: pd.DataFrame, filters: Filters) -> FilterOptions:
    """Options from the data: this page's periods, the four strands, the region, its forces and
    any other area this page's data covers. A value in the URL that this page lacks stays listed."""
    periods = [(ALL, "All periods")] + [(p, p) for p in distinct_periods(frame)]
    present_strands = set(frame["strand"].astype(str))
    strands = [(ALL, "All strands")] + [
        (s, s if s in present_strands else f"{s} ({NO_FIGURES})") for s in schema.STRANDS
    ]
    present = set(frame["force"].astype(str))
    forces = list(schema.FORCES[:5]) + [f for f in schema.FORCES[5:] if f in present]
    forces_opts = [(ALL, "All areas")] + [(f, f if f in present else f"{f} ({NO_FIGURES})") for f in forces]
    unavailable = {s for s in schema.STRANDS if s not in present_strands} | {f for f in forces if f not in present}

    def keep(options: list[tuple[str, str]], value: str, has_figures: bool = False) -> list[tuple[str, str]]:
        if value != ALL and value not in {v for v, _ in options}:
            return [*options, (value, value if has_figures else f"{value} ({NO_FIGURES})")]
        return options

    # A period this page's figures overlap has figures here, whatever they are called.
    overlapped = filters.period != ALL and bool(period_matches(frame, filters).any())
    return FilterOptions(
        periods=keep(periods, filters.period, overlapped),
        strands=keep(strands, filters.strand),
        forces=keep(forces_opts, filters.force),
        # The value the address chose stays choosable, so the bar shows what is applied.
        unavailable=frozenset(unavailable - {filters.strand, filters.force}),
    )


@dataclass(frozen=True)
class Change:
    """A measure's latest figure against its previous period, and whether a % may be shown."""

    label: str
    unit: str
    before: float | None
    after: float | None
    before_period: str | None
    after_period: str
    qualifier: str
    percent: float | None
    why_no_percent: str | None
    caveat: str
    #: How exact the earlier figure is ("over 360" stays "over 360" when it is the figure before).
    before_qualifier: str = "exact"
    #: Either figure was worked out by the dashboard (such a change never leads a headline or a ranking).
    derived: bool = False

    @property
    def direction(self) -> str:
        if self.before is None or self.after is None or self.after == self.before:
            return "same" if self.before is not None and self.after == self.before else "none"
        return "up" if self.after > self.before else "down"


def compare_latest(series: pd.DataFrame, label: str | None = None) -> Change:
    """Compare the latest period of one measure with the one before.

    ``series`` holds the rows of a single measure (one per period). No % is given across a series
    break, between periods that may overlap (a running total "to January 2021" and one "to January
    2022": the later holds the earlier), between periods of clearly different length, on a base too
    small in its unit, or where either figure is not exact. Periods of slightly different length are
    compared, with a caveat that says so.
    """
    periods = ordered_periods(series)
    if series["period"].duplicated().any():
        raise ValueError(
            "compare_latest needs one row per period (split the rows by measure, breakdown and area first)"
        )
    rows = series.set_index("period")
    last = rows.loc[periods[-1]]
    prev = rows.loc[periods[-2]] if len(periods) > 1 else None
    after = _num(last["value"])
    before = _num(prev["value"]) if prev is not None else None
    caveat = str(last["note"]) if str(last["series_break"]) == "yes" else ""
    why = None
    percent = None
    if prev is None:
        why = "no earlier period"
    elif str(last["series_break"]) == "yes":
        why = "recording changed between the periods"
    elif before is None or after is None:
        why = "a figure is not stated"
    elif str(last["qualifier"]) != "exact" or str(prev["qualifier"]) != "exact":
        why = "a figure is not exact"
    elif not _apart(prev, last):
        why = "the periods may overlap (a running total includes the one before)"
    elif _length_ratio(prev, last) > MAX_LENGTH_DIFFERENCE:
        why = "the periods are of different lengths"
    elif str(last["unit"]) in NO_PERCENT_UNITS or str(last["unit"]) != str(prev["unit"]):
        why = "the figures are not counts or amounts in one unit"
    elif before < min_base(str(last["unit"])):
        why = f"the earlier figure is under {base_words(str(last['unit']))}"
    else:
        percent = (after - before) / before * 100
    if prev is not None and percent is not None and _length_ratio(prev, last) > 0.01:
        days = [_days(prev), _days(last)]
        caveat = " ".join(c for c in (caveat, f"The two periods differ in length ({days[0]} and {days[1]} days).") if c)
    return Change(
        label=label or str(last["measure"]),
        unit=str(last["unit"]),
        before=before,
        after=after,
        before_period=periods[-2] if prev is not None else None,
        after_period=periods[-1],
        qualifier=str(last["qualifier"]),
        percent=percent,
        why_no_percent=why,
        caveat=caveat,
        before_qualifier=str(prev["qualifier"]) if prev is not None else "exact",
        derived=str(last["derived"]) == "yes" or (prev is not None and str(prev["derived"]) == "yes"),
    )


#: Periods whose lengths differ by more than this share are not compared in per cent.
MAX_LENGTH_DIFFERENCE = 0.1


def _apart(earlier: pd.Series, later: pd.Series) -> bool:
    """Whether the later period is known to start after the earlier one ends (so neither holds the other).
    A period with no start date (a figure at, or to, a date) may run back over the one before."""
    start, end = later["period_start"], earlier["period_end"]
    if pd.isna(later["period_start"]) and pd.isna(earlier["period_start"]):
        return False
    return bool(pd.notna(start) and pd.notna(end) and start > end)


def _days(row: pd.Series) -> int:
    return int((row["period_end"] - row["period_start"]).days) + 1


def _length_ratio(earlier: pd.Series, later: pd.Series) -> float:
    """How far apart the two periods' lengths are, as a share of the longer (0 where unknown)."""
    if any(pd.isna(row[c]) for row in (earlier, later) for c in ("period_start", "period_end")):
        return 0.0
    a, b = _days(earlier), _days(later)
    return abs(a - b) / max(a, b)


#: The columns that, with the period, identify one figure of a dataset: a series is one value of these.
SERIES_KEY: tuple[str, ...] = ("measure", "breakdown", "force", "strand")


def changes_by_series(rows: pd.DataFrame, label: Callable[[pd.Series], str] | None = None) -> list[Change]:
    """``compare_latest`` for every series in ``rows`` (one measure, breakdown, area and strand), in the
    order the series first appear. ``label(first_row)`` names a series (default: its measure); series
    that would share a name are told apart by their breakdown, area or strand."""
    groups = list(rows.groupby(list(SERIES_KEY), sort=False, dropna=False, observed=True))
    names = [label(sub.iloc[0]) if label else str(sub.iloc[0]["measure"]) for _, sub in groups]
    out = []
    for (key, sub), name in zip(groups, names, strict=True):
        if names.count(name) > 1:
            others = [g for (g, _), n in zip(groups, names, strict=True) if n == name]
            extra = [str(v) for i, v in enumerate(key) if i and v and len({str(o[i]) for o in others}) > 1]
            name = f"{name} ({', '.join(extra)})" if extra else name
        out.append(compare_latest(sub, label=name))
    return out


def _num(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def describe_change(change: Change) -> str:
    """Plain words, with a computed change marked as ours: 'Cocaine seized rose more than six-fold (our
    calculation) to 626.81 kg', 'Arrested fell 27% (our calculation) to 560'."""
    after = format_value(change.after, change.unit, change.qualifier)
    if change.before is None:
        return f"{change.label}: {after}"
    before = format_value(change.before, change.unit, change.before_qualifier)
    if change.percent is None:
        if change.direction == "same":
            return f"{change.label} stayed at {after}"
        return f"{change.label}: {after} in {change.after_period}, against {before} in {change.before_period}"
    if change.direction == "same":
        return f"{change.label} stayed at {after}"
    ratio = change.after / change.before if change.before else math.inf
    if ratio >= 2:
        n = round(ratio)
        if abs(ratio - n) <= 0.1:
            return f"{change.label} rose {_FOLD_WORDS.get(n, str(n))}-fold {OUR_CALCULATION} to {after}"
        n = math.floor(ratio)
        return f"{change.label} rose more than {_FOLD_WORDS.get(n, str(n))}-fold {OUR_CALCULATION} to {after}"
    if round(abs(change.percent)) == 0:
        return f"{change.label} barely changed {OUR_CALCULATION}, at {after}"
    verb = "rose" if change.direction == "up" else "fell"
    return f"{change.label} {verb} {abs(change.percent):.0f}% {OUR_CALCULATION} to {after}"


def percent_text(change: Change) -> str:
    """'up 27%' / 'down 27%' / 'no change' or a reason a % is not shown."""
    if change.percent is None:
        if change.direction == "same":
            return "no change"
        return f"no % shown: {change.why_no_percent}" if change.why_no_percent else ""
    if change.direction == "same":
        return "no change"
    if round(change.percent) == 0:
        return f"little change {OUR_CALCULATION}"
    arrow = "▲" if change.percent > 0 else "▼"
    word = "up" if change.percent > 0 else "down"
    return f"{arrow} {word} {abs(change.percent):.0f}% {OUR_CALCULATION}"


def biggest_changes(changes: Sequence[Change], n: int = 3) -> tuple[list[Change], list[Change]]:
    """The ``n`` largest % rises and falls among changes that have a %, that moved by at least the unit's
    smallest base (so 12 to 14 disruptions, up 17%, does not lead) and that are not worked out."""
    with_pct = [
        c for c in changes if c.percent is not None and not c.derived and abs(c.after - c.before) >= min_base(c.unit)
    ]
    rises = sorted((c for c in with_pct if c.percent > 0), key=lambda c: -c.percent)[:n]
    falls = sorted((c for c in with_pct if c.percent < 0), key=lambda c: c.percent)[:n]
    return rises, falls


def why_empty(rows: pd.DataFrame, filters: Filters) -> str:
    """Why ``apply_filters(rows, filters)`` left nothing, in words for the board."""
    if rows.empty:
        return "There are no figures for this chart."
    if filters.period != ALL and not period_matches(rows, filters).any():
        periods = ordered_periods(rows)
        listed = "; ".join(periods[:4]) + (" and others" if len(periods) > 4 else "")
        return f"No figures for {filters.period}. This chart covers: {listed}."
    if filters.strand != ALL and filters.strand not in set(rows["strand"].astype(str)):
        if set(rows["strand"].astype(str)) == {""}:
            return "The sources do not split these figures by strand."
        return f"No figures for the {filters.strand} strand in this chart."
    if filters.force != ALL and filters.force not in set(rows["force"].astype(str)):
        forces = sorted(set(rows["force"].astype(str)))
        who = "The paper reports" if set(rows["source_type"].astype(str)) == {"paper"} else "The sources report"
        if forces == ["West Midlands region"]:
            return f"{who} this only for the West Midlands region as a whole."
        return f"No figures for {filters.force}. {who} this only for: {', '.join(forces)}."
    return "No figures match this combination of filters."
