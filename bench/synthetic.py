"""SYNTHETIC data for the data-scale benchmark: the shipped data folder with generated rows added.

``write_folder(target, rows)`` copies every shipped data file to ``target`` and appends generated
rows to the datasets the busiest pages read (``SCALED``) until the whole folder holds ``rows``
figures. Every generated row is labelled: measure "Synthetic measure NNN", category "Synthetic",
period "Jan 2001 (synthetic)", source https://example.org/synthetic and a note saying it is not a
real figure; the catalogue's titles and descriptions of those datasets say so too.

The rows are monthly figures for every force except the region as a whole, with and without a
strand: they sit in the same datasets and files the pages read, so every read, check, dataset
look-up and filter scans them, but the charts draw the paper's own series (the region, the
national years, the paper's paragraphs), so each page's answer stays the size it is today.
``operation_venetic`` rows come as lead, support and a total that adds up (its ``TOTAL_RULES``).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema
from data.loader import DEFAULT_DATA_DIR

#: The datasets that grow, with the unit their generated rows are in.
SCALED: dict[str, str] = {
    "rocu_outcomes": "arrests",
    "prevent_referrals": "referrals",
    "operation_venetic": "people",
}
SOURCE = "https://example.org/synthetic"
#: The publication every generated row names (added to the copy's publications.csv).
PUBLICATION = "synthetic-benchmark"
NOTE = "SYNTHETIC: generated for the data-scale benchmark; not a real figure."
#: Every force except the region as a whole (which the referral page lists row by row).
FORCES: tuple[str, ...] = tuple(f for f in schema.FORCES if f != "West Midlands region")
STRANDS: tuple[str, ...] = ("", *schema.STRANDS)
MONTHS = pd.period_range("2001-01", periods=240, freq="M")
VENETIC_PARTS = ("ROCUWM lead", "ROCUWM support")


def real_rows(source: Path = DEFAULT_DATA_DIR) -> int:
    """Figures in the shipped data (every dataset file's data rows)."""
    catalogue = pd.read_csv(source / schema.CATALOGUE_FILE, dtype=str)
    return sum(len(pd.read_csv(source / f"{name}.csv", dtype=str)) for name in catalogue["name"])


def split(extra: int) -> dict[str, int]:
    """How many generated rows each scaled dataset gets (Venetic's in whole lead/support/total triples)."""
    share = extra // len(SCALED)
    counts = {name: share for name in SCALED}
    counts["operation_venetic"] = share // 3 * 3
    counts["rocu_outcomes"] += extra - sum(counts.values())
    return counts


def generate(dataset: str, count: int) -> pd.DataFrame:
    """``count`` labelled synthetic rows for ``dataset`` (``schema.COLUMN_NAMES``), unique keys, valid."""
    parts = ("",) if dataset != "operation_venetic" else (*VENETIC_PARTS, "Total")
    i = np.arange(count // len(parts))
    strand, rest = i % len(STRANDS), i // len(STRANDS)
    force, rest = rest % len(FORCES), rest // len(FORCES)
    month, measure = rest % len(MONTHS), rest // len(MONTHS)
    value = (i * 7919 + dataset.__len__() * 31) % 997 + 3
    labels = np.array([f"{m.strftime('%b %Y')} (synthetic)" for m in MONTHS], dtype=object)
    starts = np.array([m.start_time.strftime("%Y-%m-%d") for m in MONTHS], dtype=object)
    ends = np.array([m.end_time.strftime("%Y-%m-%d") for m in MONTHS], dtype=object)
    base = pd.DataFrame(
        {
            "measure": [f"Synthetic measure {k + 1:03d}" for k in measure],
            "category": "Synthetic",
            "period": labels[month],
            "period_start": starts[month],
            "period_end": ends[month],
            "force": np.array(FORCES, dtype=object)[force],
            "strand": np.array(STRANDS, dtype=object)[strand],
            "value_text": "",
            "unit": SCALED[dataset],
            "qualifier": "exact",
            "derived": "no",
            "series_break": "",
            "publication": PUBLICATION,
            "source": SOURCE,
            "source_type": "official",
            "note": NOTE,
        }
    )
    frames = []
    for k, part in enumerate(parts):
        rows = base.copy()
        rows["breakdown"] = part
        # Lead is the value, support a different one, and the total adds them up.
        lead, support = value, (value * 3) % 211
        rows["value"] = [lead, support, lead + support][k] if len(parts) == 3 else value
        frames.append(rows)
    out = pd.concat(frames, ignore_index=True)
    return out[list(schema.COLUMN_NAMES)]


def write_folder(target: Path, rows: int, source: Path = DEFAULT_DATA_DIR) -> dict[str, int]:
    """Copy the shipped data to ``target`` and grow ``SCALED`` so the folder holds ``rows`` figures.

    Returns the rows per dataset file that were generated.
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.csv"):
        shutil.copy(path, target / path.name)
    counts = split(max(0, rows - real_rows(source)))
    catalogue = pd.read_csv(target / schema.CATALOGUE_FILE, dtype=str, keep_default_na=False)
    for name, count in counts.items():
        if not count:
            continue
        path = target / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        text = path.read_text(encoding="utf-8")
        extra = generate(name, count)[header].to_csv(index=False, header=False, lineterminator="\n")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + extra, encoding="utf-8")
        where = catalogue["name"] == name
        catalogue.loc[where, "title"] += " (with synthetic rows)"
        catalogue.loc[where, "description"] += (
            f" SYNTHETIC: plus {count:,} generated rows for the data-scale benchmark."
        )
    catalogue.to_csv(target / schema.CATALOGUE_FILE, index=False, lineterminator="\n")
    with (target / schema.PUBLICATIONS_FILE).open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                PUBLICATION,
                "SYNTHETIC rows for the data-scale benchmark",
                "SYNTHETIC",
                "Generated in code",
                "",
                "",
                "2001",
                "Not a real publication.",
                SOURCE,
                "",
            ]
        )
    return counts
