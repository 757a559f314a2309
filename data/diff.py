"""What changed between two sets of figures (two versions, or a version and a draft), figure by figure.

A figure is one row of a dataset, known by its dataset and ``schema.KEY_COLUMNS`` (measure,
breakdown, period, force, strand), as the loader resolved it (the latest publication's statement).
It is **added** (only in the newer), **removed** (only in the older) or **changed** (in both, with a
different value, qualifier, words, unit, source, publication or note).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from data import schema
from data.formatting import format_value
from data.loader import DataStore

KEY = ("dataset", *schema.KEY_COLUMNS)
#: What a figure is, besides its key; a difference in any of these is a change.
COMPARED = ("value", "value_text", "qualifier", "unit", "source", "publication", "note")
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class FigureChange:
    kind: str
    dataset: str
    measure: str
    breakdown: str
    period: str
    force: str
    strand: str
    #: The figure in words ('over 360 arrests'), before and after ('' where it is not there).
    old: str = ""
    new: str = ""
    old_qualifier: str = ""
    new_qualifier: str = ""
    old_source: str = ""
    new_source: str = ""
    #: Which of ``COMPARED`` differ (for a change).
    fields: tuple[str, ...] = ()

    @property
    def figure(self) -> str:
        """The figure's name in words: 'Arrests (Pursue), West Midlands region, Apr to Dec 2020'."""
        parts = [self.measure + (f" – {self.breakdown}" if self.breakdown else "")]
        if self.strand:
            parts[0] += f" ({self.strand})"
        parts += [p for p in (self.force, self.period) if p]
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "change": self.kind,
            "dataset": self.dataset,
            "measure": self.measure,
            "breakdown": self.breakdown,
            "period": self.period,
            "force": self.force,
            "strand": self.strand,
            "old": self.old,
            "new": self.new,
            "old_qualifier": self.old_qualifier,
            "new_qualifier": self.new_qualifier,
            "old_source": self.old_source,
            "new_source": self.new_source,
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class Comparison:
    changes: tuple[FigureChange, ...]
    datasets_added: tuple[str, ...] = ()
    datasets_removed: tuple[str, ...] = ()
    publications_added: tuple[str, ...] = ()
    publications_removed: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    #: Datasets whose handling mark changed, as (name, old mark, new mark), among those the reader sees.
    markings_changed: tuple[tuple[str, str, str], ...] = ()
    #: How many datasets are left out of the comparison for this reader (marked OFFICIAL-SENSITIVE in
    #: either version, or now).
    withheld: int = 0

    def withheld_text(self) -> str:
        """'The figures of 1 dataset are not compared here: ...' or ''."""
        if not self.withheld:
            return ""
        many = "s" if self.withheld != 1 else ""
        return (
            f"The figures of {self.withheld:,} dataset{many} are not compared here: "
            "they are marked OFFICIAL-SENSITIVE, shown only to signed-in users allowed to see them."
        )

    @property
    def empty(self) -> bool:
        return not (
            self.changes
            or self.datasets_added
            or self.datasets_removed
            or self.publications_added
            or self.markings_changed
        )

    def markings_text(self) -> str:
        """'Handling marks changed: county_lines from OFFICIAL to OFFICIAL-SENSITIVE.' or ''."""
        if not self.markings_changed:
            return ""
        parts = [f"{name} from {old} to {new}" for name, old, new in self.markings_changed]
        return f"Handling marks changed: {'; '.join(parts)}."

    def summary(self) -> str:
        """'3 figures added, 1 removed, 2 changed' (or 'No figures changed')."""
        added, removed, changed = (self.counts.get(k, 0) for k in (ADDED, REMOVED, CHANGED))
        if not (added or removed or changed):
            return "No figures changed"
        parts = []
        if added:
            parts.append(f"{added:,} figure{'s' if added != 1 else ''} added")
        if removed:
            parts.append(
                f"{removed:,} removed" if parts else f"{removed:,} figure{'s' if removed != 1 else ''} removed"
            )
        if changed:
            parts.append(
                f"{changed:,} changed" if parts else f"{changed:,} figure{'s' if changed != 1 else ''} changed"
            )
        return ", ".join(parts)


def _differs(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return False
    if pd.isna(a) or pd.isna(b):
        return True
    return a != b


def _words(row: dict, side: str) -> str:
    value = row[f"value{side}"]
    return format_value(
        None if pd.isna(value) else float(value),
        str(row[f"unit{side}"]),
        str(row[f"qualifier{side}"]),
        str(row[f"value_text{side}"]),
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(KEY) + list(COMPARED)].copy()
    for col in out.columns:
        if col != "value":
            out[col] = out[col].astype(object).fillna("").astype(str)
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out


def compare(old: DataStore, new: DataStore) -> Comparison:
    """The figures added, removed and changed from ``old`` to ``new``, in dataset and key order.

    A dataset either side withholds from this reader (``DataStore.withheld``) is left out of both: its
    figures are not "removed", only not shown, and they are counted as such."""
    hidden = sorted(old.withheld | new.withheld)
    before = old.frame[~old.frame["dataset"].isin(hidden)]
    after = new.frame[~new.frame["dataset"].isin(hidden)]
    withheld = len(hidden)
    merged = _plain(before).merge(_plain(after), on=list(KEY), how="outer", suffixes=("_old", "_new"), indicator=True)
    changes: list[FigureChange] = []
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
    for r in merged.sort_values(list(KEY), kind="stable").to_dict("records"):
        key = {k: str(r[k]) for k in KEY}
        if r["_merge"] == "right_only":
            kind, fields = ADDED, ()
        elif r["_merge"] == "left_only":
            kind, fields = REMOVED, ()
        else:
            fields = tuple(c for c in COMPARED if _differs(r[f"{c}_old"], r[f"{c}_new"]))
            if not fields:
                continue
            kind = CHANGED
        counts[kind] += 1
        changes.append(
            FigureChange(
                kind=kind,
                **key,
                old=_words(r, "_old") if kind != ADDED else "",
                new=_words(r, "_new") if kind != REMOVED else "",
                old_qualifier=str(r["qualifier_old"]) if kind != ADDED else "",
                new_qualifier=str(r["qualifier_new"]) if kind != REMOVED else "",
                old_source=str(r["source_old"]) if kind != ADDED else "",
                new_source=str(r["source_new"]) if kind != REMOVED else "",
                fields=fields,
            )
        )
    return Comparison(
        changes=tuple(changes),
        datasets_added=tuple(sorted(set(new.catalogue) - set(old.catalogue) - set(hidden))),
        datasets_removed=tuple(sorted(set(old.catalogue) - set(new.catalogue) - set(hidden))),
        publications_added=tuple(sorted(set(new.publications) - set(old.publications))),
        publications_removed=tuple(sorted(set(old.publications) - set(new.publications))),
        counts=counts,
        markings_changed=tuple(
            (name, old.catalogue[name].marking, new.catalogue[name].marking)
            for name in sorted(set(old.catalogue) & set(new.catalogue))
            if old.catalogue[name].marking != new.catalogue[name].marking
        ),
        withheld=withheld,
    )
