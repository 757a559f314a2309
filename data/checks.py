"""Checks on the paper: each publication's figures checked against each other.

Each rule is declared once, in ``RULES``, by what its figures mean (dataset, measure, breakdown), and
runs on every publication: on the figures that publication itself states (including any a later
publication has since restated). A rule gives one verdict per publication it applies to: the figures
agree, differ (by how much), or cannot be checked from the figures given. Pure pandas; no Dash.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from data import schema
from data.formatting import format_number, format_value, paragraph_range
from data.publications import Publication
from data.queries import ordered_periods, text_equals

AGREES, DIFFERS, UNCHECKABLE = "agrees", "differs", "cannot be checked"
Kind = Literal["agrees", "differs", "cannot be checked"]
#: The key of a statement: the columns a chart's rows are matched on (the publication too, so a check on a
#: figure a later paper restated is not put beside the restated figure).
FIGURE_KEY = ("dataset", "measure", "breakdown", "period", "force", "strand", "publication")


@dataclass(frozen=True)
class Pick:
    """Rows of one dataset, chosen by what they mean (never by their source)."""

    dataset: str
    measure: str | tuple[str, ...] | None = None
    category: str | None = None
    breakdown: str | tuple[str, ...] | None = None

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        mask = text_equals(frame["dataset"], self.dataset)
        for column in ("measure", "category", "breakdown"):
            wanted = getattr(self, column)
            if wanted is None:
                continue
            values = (wanted,) if isinstance(wanted, str) else wanted
            mask &= frame[column].astype(str).isin(values)
        return frame[mask]


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    #: One plain sentence: what was compared and what was found.
    text: str
    #: How far apart the figures are, where that is a number.
    difference: float | None = None
    #: The part of ``text`` that differs (a caveat beside a chart says only this); '' means all of it.
    differing: str = ""

    @property
    def caveat(self) -> str:
        return self.differing or self.text

    @property
    def label(self) -> str:
        """'Agrees', 'Differs by 1', 'Differs', 'Cannot be checked from the paper's figures'."""
        if self.kind == AGREES:
            return "Agrees"
        if self.kind == DIFFERS:
            return f"Differs by {format_number(self.difference)}" if self.difference is not None else "Differs"
        return "Cannot be checked from the paper's figures"


@dataclass(frozen=True)
class CheckResult:
    rule: Rule
    publication: Publication
    verdict: Verdict
    #: The rows (statements) the check used, with ``FIGURE_KEY`` columns.
    rows: pd.DataFrame

    @property
    def paragraphs(self) -> str:
        return paragraph_range(tuple(self.rows["source"].astype(str)))

    @property
    def figures(self) -> list[str]:
        """Each figure used, in words: 'Pursue disruptions, Dec 2019 to Nov 2020: 815 (para 88)'."""
        out = []
        for r in self.rows.itertuples(index=False):
            name = str(r.measure) + (f" ({r.breakdown})" if r.breakdown else "") + (f", {r.strand}" if r.strand else "")
            value = format_value(r.value, str(r.unit), str(r.qualifier), r.value_text)
            out.append(f"{name}, {r.period}: {value} ({r.source}, {_name(self.publication, r.publication)})")
        return out


def _name(publication: Publication, pub_id: str) -> str:
    return "this publication" if str(pub_id) == publication.id else f"publication {pub_id}"


class Rule(Protocol):
    id: str
    title: str
    #: What the rule compares, and the dashboard's own yardstick where it has one.
    description: str

    def run(
        self, own: pd.DataFrame, others: pd.DataFrame, publication: Publication
    ) -> tuple[Verdict, pd.DataFrame] | None:
        """The verdict on ``own`` (this publication's statements), or None where the rule does not apply.
        ``others`` are the figures of the other publications, as shown, for a base year this one lacks."""


def _n(value: object) -> str:
    return format_number(float(value))


@dataclass(frozen=True)
class PartsMatchTotal:
    """Figures that should add up to the same whole: one set of parts against another, period by period."""

    id: str
    title: str
    description: str
    parts: Pick
    whole: Pick
    #: How a sentence names each side ('the four strands', 'lead and support disruptions').
    parts_name: str = "the parts"
    whole_name: str = "the other figures"

    def run(self, own, others, publication):
        parts, whole = self.parts.rows(own), self.whole.rows(own)
        if parts.empty and whole.empty:
            return None
        common = [p for p in ordered_periods(parts) if p in set(whole["period"])]
        if not common:
            text = f"This publication does not give {self.parts_name} and {self.whole_name} for one period."
            return Verdict(UNCHECKABLE, text), pd.concat([parts, whole])
        period = common[-1]
        a, b = parts[parts["period"] == period], whole[whole["period"] == period]
        used = pd.concat([a, b])
        if used["value"].isna().any():
            return Verdict(UNCHECKABLE, f"In {period} a figure is not stated, so the sums cannot be compared."), used
        sum_a, sum_b = float(a["value"].sum()), float(b["value"].sum())
        words_a = f"{_n(sum_a)} ({paragraph_range(tuple(a['source']))})"
        words_b = f"{_n(sum_b)} ({' + '.join(_n(v) for v in b['value'])}, {paragraph_range(tuple(b['source']))})"
        if math.isclose(sum_a, sum_b, rel_tol=1e-9, abs_tol=1e-6):
            text = f"In {period} {self.parts_name} add up to {words_a}, the same as {self.whole_name}, {words_b}."
            return Verdict(AGREES, text), used
        text = f"In {period} {self.parts_name} add up to {words_a}, but {self.whole_name} add up to {words_b}."
        return Verdict(DIFFERS, text, abs(sum_a - sum_b)), used


@dataclass(frozen=True)
class StatedChange:
    """A change the publication states in per cent, against the change worked out from the figures."""

    id: str
    title: str
    description: str
    stated: Pick
    figures: Pick

    def run(self, own, others, publication):
        stated = self.stated.rows(own)
        stated = stated[stated["value"].notna()]
        if stated.empty:
            return None
        results = []
        for _, s in stated.iterrows():
            mine = self.figures.rows(own)
            mine = mine[(mine["breakdown"] == s["breakdown"]) & mine["value"].notna()]
            now = mine[mine["period"] == s["period"]]
            if len(now) != 1:
                results.append(
                    (UNCHECKABLE, f"No single figure for {s['period']} to compare with.", None, s, None, None)
                )
                continue
            pool = pd.concat([mine, _same_breakdown(self.figures.rows(others), s["breakdown"])])
            earlier = [p for p in ordered_periods(pool) if _ends_before(pool, p, now.iloc[0])]
            before = pool[pool["period"] == earlier[-1]].head(1) if earlier else pool.iloc[0:0]
            if before.empty:
                results.append(
                    (
                        UNCHECKABLE,
                        f"The stated {_pct(s['value'])} for {s['breakdown'] or s['measure']} cannot be worked out: "
                        "no publication gives the figure for the 12 months before.",
                        None,
                        s,
                        now.iloc[0],
                        None,
                    )
                )
                continue
            b, a = float(before["value"].iloc[0]), float(now["value"].iloc[0])
            computed = (a - b) / b * 100 if b else math.inf
            where = (
                ""
                if str(before["publication"].iloc[0]) == publication.id
                else " (the earlier figure from another publication)"
            )
            text = (
                f"Stated {_pct(s['value'])} for {s['breakdown'] or s['measure']}; "
                f"{_n(b)} to {_n(a)} is {_pct(computed, 1)}{where}."
            )
            kind = AGREES if abs(computed - float(s["value"])) < 0.5 else DIFFERS
            results.append((kind, text, abs(computed - float(s["value"])), s, now.iloc[0], before.iloc[0]))
        return _combine(results)


@dataclass(frozen=True)
class ChangeWord:
    """A change the publication describes in words ('a small decrease') against its stated % change.

    ``sizes`` is the dashboard's own yardstick for the words: a size word fits a change of at least
    its lower and below its upper bound, in per cent.
    """

    id: str
    title: str
    description: str
    words: Pick
    stated: Pick
    sizes: tuple[tuple[str, float, float], ...] = (
        ("slight", 0, 5),
        ("small", 0, 10),
        ("significant", 10, math.inf),
        ("large", 25, math.inf),
    )

    def run(self, own, others, publication):
        words = self.words.rows(own)
        words = words[words["value_text"] != ""]
        if words.empty:
            return None
        results = []
        for _, w in words.iterrows():
            stated = self.stated.rows(own)
            stated = stated[(stated["breakdown"] == w["breakdown"]) & (stated["period"] == w["period"])]
            stated = stated[stated["value"].notna()]
            said = str(w["value_text"])
            if len(stated) != 1:
                results.append((UNCHECKABLE, f"'{said}' has no stated % change to compare with.", None, w, None, None))
                continue
            change = float(stated["value"].iloc[0])
            text = said.lower()
            up = bool(re.search(r"\b(increase|rise|rose|up|grew|growth)\b", text))
            down = bool(re.search(r"\b(decrease|fall|fell|down|reduction|reduced|drop)\b", text))
            who = w["breakdown"] or w["measure"]
            problems = []
            if (up and change < 0) or (down and change > 0):
                problems.append(f"the words say {'a rise' if up else 'a fall'} but the stated change is {_pct(change)}")
            for word, low, high in self.sizes:
                if re.search(rf"\b{word}\b", text) and not (low <= abs(change) < high):
                    problems.append(
                        f"'{word}' is used of a change of {_pct(abs(change)).lstrip('+')}; the dashboard "
                        f"takes '{word}' to mean {_range(low, high)}"
                    )
            if problems:
                results.append(
                    (DIFFERS, f"{who}: '{said}': " + "; ".join(problems) + ".", None, w, stated.iloc[0], None)
                )
            else:
                results.append(
                    (AGREES, f"{who}: '{said}' fits the stated {_pct(change)}.", None, w, stated.iloc[0], None)
                )
        return _combine(results)


@dataclass(frozen=True)
class SameList:
    """Two lists the publication gives that should name the same things (areas, teams)."""

    id: str
    title: str
    description: str
    first: Pick
    second: Pick

    def run(self, own, others, publication):
        a, b = self.first.rows(own), self.second.rows(own)
        a, b = a[a["value_text"] != ""], b[b["value_text"] != ""]
        if a.empty and b.empty:
            return None
        used = pd.concat([a, b])
        if a.empty or b.empty:
            return Verdict(UNCHECKABLE, "This publication gives only one of the two lists."), used
        first, second = _items(a["value_text"].iloc[0]), _items(b["value_text"].iloc[0])
        pa, pb = paragraph_range((a["source"].iloc[0],)), paragraph_range((b["source"].iloc[0],))
        if first == second:
            return Verdict(AGREES, f"{pa} and {pb} name the same {len(first)}: {_join(sorted(first))}."), used
        notes = []
        if second - first:
            notes.append(f"{pb} also names {_join(sorted(second - first))}")
        if first - second:
            notes.append(f"{pa} also names {_join(sorted(first - second))}")
        return Verdict(DIFFERS, "; ".join(notes) + ".", len(first ^ second)), used


@dataclass(frozen=True)
class StatedDifference:
    """A difference the publication states ('over 500 kg more cocaine') against the figures' own difference."""

    id: str
    title: str
    description: str
    stated: Pick
    figures: Pick

    def run(self, own, others, publication):
        stated = self.stated.rows(own)
        stated = stated[
            stated["value"].notna() & stated["measure"].astype(str).map(lambda m: stated_difference(m) is not None)
        ]
        if stated.empty:
            return None
        results = [self._one(s, own, others, publication) for _, s in stated.iterrows()]
        if len(results) == 1:
            return results[0]
        return _combine([(v.kind, v.text, v.difference, *(r for _, r in used.iterrows())) for v, used in results])

    def _one(self, s: pd.Series, own: pd.DataFrame, others: pd.DataFrame, publication: Publication):
        sign, measure = stated_difference(str(s["measure"]))
        stated = s.to_frame().T
        figures = Pick(self.figures.dataset, measure=measure)
        mine = figures.rows(own)
        mine = mine[mine["value"].notna()]
        # The earlier year from this publication where it gives one, else from an earlier one.
        theirs = figures.rows(others)
        pool = pd.concat([mine, theirs[theirs["value"].notna() & ~theirs["period"].isin(set(mine["period"]))]])
        periods = ordered_periods(pool)
        if s["period"] not in set(mine["period"]) or periods.index(s["period"]) == 0:
            return Verdict(UNCHECKABLE, "The figures for the two periods are not both given."), pd.concat(
                [stated.head(1), mine]
            )
        now = mine[mine["period"] == s["period"]]
        before = pool[pool["period"] == periods[periods.index(s["period"]) - 1]]
        if len(now) != 1 or len(before) != 1:
            return Verdict(UNCHECKABLE, "There is not one figure per period to compare."), pd.concat(
                [stated.head(1), mine]
            )
        diff = float(now["value"].iloc[0]) - float(before["value"].iloc[0])
        claim = f"a {'rise' if sign > 0 else 'fall'} of {format_value(s['value'], str(s['unit']), str(s['qualifier']))}"
        fits = _fits(sign * diff, float(s["value"]), str(s["qualifier"]))
        unit = str(s["unit"])
        where = (
            ""
            if str(before["publication"].iloc[0]) == publication.id
            else " (the earlier figure from another publication)"
        )
        moved = "a rise" if diff > 0 else "a fall" if diff < 0 else "no change"
        text = (
            f"Stated: {claim} in {measure[:1].lower()}{measure[1:]}. From the figures: "
            f"{format_value(now['value'].iloc[0], unit, 'exact')} against {format_value(before['value'].iloc[0], unit, 'exact')} "
            f"is {moved}" + (f" of {format_value(round(abs(diff), 6), unit, 'exact')}" if diff else "") + f"{where}."
        )
        used = pd.concat([stated.head(1), before, now])
        if fits:
            return Verdict(AGREES, text), used
        return Verdict(DIFFERS, text, abs(sign * diff - float(s["value"]))), used


@dataclass(frozen=True)
class TotalsAddUp:
    """The totals a table states equal its parts (the ``schema.TOTAL_RULES``, which the validator also
    enforces, listed so the board sees them checked)."""

    id: str
    title: str
    description: str
    total: schema.TotalRule

    def run(self, own, others, publication):
        rows = own[text_equals(own["dataset"], self.total.dataset)]
        totals = rows[(rows["breakdown"] == self.total.total) & rows["value"].notna()]
        if totals.empty:
            return None
        match_on = [c for c in schema.KEY_COLUMNS if c != "breakdown"] + ["unit"]  # as the validator matches
        parts = rows[rows["breakdown"].isin(self.total.parts)]
        # Each total's parts are those equal to it on every column of ``match_on`` (a blank date equals
        # nothing, as in ``==``): found by one grouping, not by comparing every part with every total.
        keyed = parts.dropna(subset=match_on)
        groups = keyed.groupby(match_on, observed=True, sort=False).indices if not keyed.empty else {}
        checked, off, partial = 0, [], 0
        order: list[int] = []  # positions in ``both``: each total, then its parts
        both = pd.concat([totals, keyed])
        values = keyed["value"].to_numpy(dtype=float)
        measures, stated = totals["measure"].astype(str).to_numpy(), totals["value"].to_numpy(dtype=float)
        for pos, key in enumerate(totals[match_on].itertuples(index=False, name=None)):
            at = None if any(pd.isna(v) for v in key) else groups.get(key if len(key) > 1 else key[0])
            if at is None:
                continue
            order += [pos, *(len(totals) + int(i) for i in at)]
            checked += 1
            mine = values[at]
            got = float(np.nansum(mine))
            if np.isnan(mine).any() or len(mine) < len(self.total.parts):
                partial += 1
                if got > stated[pos] + 1e-6:
                    off.append(f"{measures[pos]}: stated parts {_n(got)} exceed the total {_n(stated[pos])}")
            elif not math.isclose(got, stated[pos], rel_tol=1e-9, abs_tol=1e-6):
                off.append(f"{measures[pos]}: parts {_n(got)}, total {_n(stated[pos])}")
        if not checked:
            return None
        frame = both.iloc[order]
        if off:
            return Verdict(DIFFERS, "; ".join(off) + "."), frame
        extra = f" ({partial} with a part not stated, whose stated parts stay within the total)" if partial else ""
        text = (
            f"All {checked} totals equal their parts{extra}." if checked > 1 else f"The total equals its parts{extra}."
        )
        return Verdict(AGREES, text), frame


_STATED_DIFFERENCE = re.compile(r"^(Rise|Fall) in (.+?) on (the )?previous (year|12 months)$", re.I)


def stated_difference(measure: str) -> tuple[int, str] | None:
    """What a stated rise or fall is of, from its measure: 'Rise in cocaine seized on previous year' is
    (+1, 'Cocaine seized'); 'Fall in ...' is -1. None for any other measure."""
    match = _STATED_DIFFERENCE.match(measure.strip())
    if not match:
        return None
    what = match.group(2)
    return (1 if match.group(1).lower() == "rise" else -1), what[:1].upper() + what[1:]


def _same_breakdown(rows: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    return rows[(rows["breakdown"] == breakdown) & rows["value"].notna()]


def _ends_before(pool: pd.DataFrame, period: str, now: pd.Series) -> bool:
    end = pool.loc[pool["period"] == period, "period_end"].max()
    return pd.notna(end) and end < now["period_end"] and period != now["period"]


def _pct(value: float, decimals: int = 0) -> str:
    value = float(value)
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{abs(value):.{decimals}f}%"


def _range(low: float, high: float) -> str:
    if math.isinf(high):
        return f"{low:g}% or more"
    return f"under {high:g}%" if low == 0 else f"{low:g}% to under {high:g}%"


def _items(text: str) -> frozenset[str]:
    """'Birmingham, Walsall, Sandwell and Coventry' -> the four names."""
    parts = re.split(r",\s*|\s+and\s+", text.strip().rstrip("."))
    return frozenset(p.strip() for p in parts if p.strip())


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _fits(actual: float, stated: float, qualifier: str) -> bool:
    """Whether ``actual`` fits a figure stated as ``qualifier`` ``stated`` ('over 500')."""
    if qualifier in ("more than", "over", "in excess of"):
        return actual > stated
    if qualifier == "at least":
        return actual >= stated
    if qualifier in schema.UPPER_BOUNDS:
        return stated * 0.9 <= actual < stated
    if qualifier in schema.APPROXIMATE:
        return abs(actual - stated) <= 0.1 * abs(stated)
    return math.isclose(actual, stated, rel_tol=1e-9, abs_tol=1e-6)


def _combine(results: list[tuple]) -> tuple[Verdict, pd.DataFrame]:
    """One verdict from several sub-checks: differs if any differs, else agrees if any agrees."""
    kinds = [r[0] for r in results]
    kind = DIFFERS if DIFFERS in kinds else AGREES if AGREES in kinds else UNCHECKABLE
    diffs = [r[2] for r in results if r[0] == DIFFERS and r[2] is not None]
    rows = pd.DataFrame([row for r in results for row in r[3:] if row is not None])
    text = " ".join(r[1] for r in results)
    differing = " ".join(r[1] for r in results if r[0] == DIFFERS)
    return Verdict(kind, text, max(diffs) if diffs and kind == DIFFERS else None, differing), rows


RULES: tuple[Rule, ...] = (
    PartsMatchTotal(
        id="strands-against-lead-and-support",
        title="Disruptions by strand against lead and support disruptions",
        description="The strand table counts lead and support disruptions together, so its four strands should "
        "add up to the lead and support disruptions given for the same 12 months.",
        parts=Pick("rocu_outcomes", category="Disruptions by strand"),
        whole=Pick("rocu_disruptions", measure="SOC disruptions", breakdown=("ROCUWM lead", "ROCUWM support")),
        parts_name="the four strands",
        whole_name="lead and support disruptions",
    ),
    StatedChange(
        id="stated-change-in-disruptions",
        title="Stated changes in lead and support disruptions against the figures",
        description="Each % change the paper states is worked out again from the disruptions it counts for the two "
        "periods; it agrees when the two round to the same whole per cent.",
        stated=Pick("rocu_disruptions", measure="Change on previous 12 months"),
        figures=Pick("rocu_disruptions", measure="SOC disruptions"),
    ),
    ChangeWord(
        id="words-for-the-changes",
        title="The words used for the changes against their size",
        description="Words such as 'small' or 'significant' set against the stated % change. The dashboard's own "
        "yardstick: 'slight' is under 5%, 'small' under 10%, 'significant' 10% or more, 'large' 25% or more.",
        words=Pick("rocu_disruptions", measure="Change as described"),
        stated=Pick("rocu_disruptions", measure="Change on previous 12 months"),
    ),
    SameList(
        id="prevent-priority-areas",
        title="Prevent priority areas named in two paragraphs",
        description="The areas named as Prevent priority areas for a year in one paragraph against those named in "
        "another. The paragraphs describe national and regional funding decisions, so they may differ for a reason "
        "the paper does not give.",
        first=Pick("ct_contest", measure="Prevent national priority areas named"),
        second=Pick("ct_contest", measure="Prevent priority areas for funding named"),
    ),
    StatedDifference(
        id="stated-rise-in-cocaine",
        title="Stated rises and falls against the table",
        description="A rise or fall the paper states in words ('over 500kg more cocaine'), against the difference "
        "between the two years of its outcomes table.",
        stated=Pick("rocu_outcomes", category="Stated changes"),
        figures=Pick("rocu_outcomes"),
    ),
    *(
        TotalsAddUp(
            id=f"totals-{rule.dataset.replace('_', '-')}",
            title=f"Totals against their parts: {rule.dataset.replace('_', ' ')}",
            description=f"Each '{rule.total}' equals {' + '.join(rule.parts)}.",
            total=rule,
        )
        for rule in schema.TOTAL_RULES
    ),
)


def _datasets(rule: Rule) -> set[str]:
    """The datasets a rule reads (its picks', or its total rule's)."""
    picks = [v for v in vars(rule).values() if isinstance(v, Pick)]
    found = {p.dataset for p in picks}
    total = getattr(rule, "total", None)
    if isinstance(total, schema.TotalRule):
        found.add(total.dataset)
    return found


def statements(frame: pd.DataFrame, history: pd.DataFrame | None) -> pd.DataFrame:
    """Every statement of every figure: those shown and those a later publication restated."""
    if history is None or history.empty:
        return frame
    return pd.concat([frame, history], ignore_index=True)


def run_checks(
    frame: pd.DataFrame,
    history: pd.DataFrame | None,
    publications: Mapping[str, Publication],
    rules: Sequence[Rule] = RULES,
) -> list[CheckResult]:
    """Every rule on every publication it applies to, latest publication first, rules in order."""
    # Only the datasets some rule reads are looked at (most publications have none of their rows).
    read = {name for rule in rules for name in _datasets(rule)}
    every = statements(frame, history)
    every = every[every["dataset"].astype(str).isin(read)]
    shown = frame[frame["dataset"].astype(str).isin(read)]
    by_pub = every["publication"].astype(str)
    results = []
    for pub in sorted(publications.values(), key=lambda p: p.date.last_day, reverse=True):
        own = every[by_pub == pub.id]
        if own.empty:
            continue
        others = shown[shown["publication"].astype(str) != pub.id]
        for rule in rules:
            found = rule.run(own, others, pub)
            if found is not None:
                verdict, used = found
                results.append(CheckResult(rule, pub, verdict, used))
    return results


def concerns(result: CheckResult, rows: pd.DataFrame) -> bool:
    """Whether the check used any figure among ``rows`` (matched on ``FIGURE_KEY``)."""
    if rows.empty or result.rows.empty:
        return False
    mine = {tuple(str(v) for v in r) for r in result.rows[list(FIGURE_KEY)].itertuples(index=False)}
    return any(tuple(str(v) for v in r) in mine for r in rows[list(FIGURE_KEY)].itertuples(index=False))


def store_checks(store) -> list[CheckResult]:
    """Every check on every publication of a ``DataStore``, run once per data (kept in its memo)."""
    return store.memo.get_or_make(("checks",), lambda: run_checks(store.frame, store.history, store.publications))
