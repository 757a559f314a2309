"""The declared schema of every data file: columns, vocabularies and rules.

This module is the one place where the tidy columns are documented. Every
dataset file under the data directory has exactly the columns in ``COLUMNS``
(in any order); the loader adds ``dataset`` from the file name.

The catalogue file ``datasets.csv`` has the columns in ``CATALOGUE_COLUMNS``
and one row per dataset file. ``publications.csv`` lists every publication the
figures come from (the board papers and public releases), with the columns in
``PUBLICATION_COLUMNS``; every dataset row names one by its id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a dataset file: its name, whether it may be blank, and what it means."""

    name: str
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("measure", True, "What is counted or stated, in plain words (e.g. 'Arrested')."),
    Column("category", True, "The group the measure belongs to within its dataset."),
    Column("breakdown", False, "A split of the measure (e.g. 'ROCUWM lead', 'Total'); blank if none."),
    Column("period", True, "Label of the period, e.g. 'Dec 2019 to Nov 2020' or '2020/21'."),
    Column("period_start", False, "First day of the period, YYYY-MM-DD; blank where not known."),
    Column("period_end", False, "Last day of the period, YYYY-MM-DD; blank where not known."),
    Column("force", True, "Force or geography the figure covers (see FORCES)."),
    Column(
        "strand",
        False,
        "CONTEST or SOC strand: Pursue, Prevent, Protect or Prepare; blank if none.",
    ),
    Column("value", False, "The number. Blank when the source states none (qualifier 'not stated')."),
    Column(
        "value_text",
        False,
        "A value in words (e.g. a threat level 'Severe') for rows with no number.",
    ),
    Column("unit", True, "Unit of the value (see UNITS)."),
    Column("qualifier", True, "How exact the source is (see QUALIFIERS): 'over 360' is 'more than'."),
    Column("derived", True, "'yes' if the project computed the number (the note says how), else 'no'."),
    Column(
        "series_break",
        False,
        "'yes' if this figure is not comparable with the same measure's previous period "
        "(a change in recording or definition; the note says what); blank otherwise.",
    ),
    Column("publication", True, "Id of the publication the figure comes from (see publications.csv)."),
    Column("source", True, "Where it is stated: 'para 88' (or 'paras 86-87') of the paper, or a URL."),
    Column(
        "source_type",
        True,
        "paper, official (the publisher's own page) or secondary (a report of it).",
    ),
    Column("note", False, "Caveat or context, in plain words."),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)

#: Columns that together identify a figure within one dataset. A later publication may state the same
#: figure again (a restatement); the latest publication's statement is the one shown.
KEY_COLUMNS: tuple[str, ...] = ("measure", "breakdown", "period", "force", "strand")

#: Columns of the tidy frame the loader returns, in order (``dataset`` first). ``revised_from`` is the
#: loader's: where a later publication changed a figure, the earlier figure and publication in words.
FRAME_COLUMNS: tuple[str, ...] = ("dataset", *COLUMN_NAMES, "revised_from")

#: Columns held as pandas categoricals in the loaded frame.
CATEGORICAL_COLUMNS: tuple[str, ...] = (
    "dataset",
    "category",
    "force",
    "publication",
    "strand",
    "unit",
    "qualifier",
    "source_type",
)

CATALOGUE_FILE = "datasets.csv"
CATALOGUE_COLUMNS: tuple[Column, ...] = (
    Column("name", True, "Dataset name: the file is <name>.csv; lower case, digits and '_' only."),
    Column("title", True, "Short title shown to users."),
    Column("topic", True, "Section of the paper it belongs to (see TOPICS)."),
    Column("description", True, "One or two plain-English sentences on what it holds."),
    Column(
        "marking",
        False,
        "Its Government Security Classifications marking: OFFICIAL (the default, also when the cell or the "
        "column is left out) or OFFICIAL-SENSITIVE (shown only to signed-in users whose role allows it).",
    ),
)
#: Catalogue columns a file may leave out (each is then blank: its default).
CATALOGUE_OPTIONAL: tuple[str, ...] = ("marking",)
OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
MARKINGS: tuple[str, ...] = (OFFICIAL, OFFICIAL_SENSITIVE)
CATALOGUE_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in CATALOGUE_COLUMNS)

PUBLICATIONS_FILE = "publications.csv"
PUBLICATION_COLUMNS: tuple[Column, ...] = (
    Column("id", True, "The publication's id, named by rows: lower case letters, digits and '-'."),
    Column("title", True, "Its title."),
    Column("short_title", True, "How a source line names it, in a few words ('SPR update to the board')."),
    Column("publisher", True, "Who published it ('West Midlands Police', 'Home Office', 'ITV News')."),
    Column("board", False, "For a board paper, the board it went to; blank for a public release."),
    Column("meeting", False, "For a board paper, the meeting or agenda item as the paper gives it."),
    Column("date", True, "Its date: YYYY-MM-DD, or YYYY-MM or YYYY where only the month or year is known."),
    Column("date_note", False, "How the date is known, when the publication does not print it."),
    Column("link", True, "Its web address, or where it is kept when it has none."),
    Column("next_update", False, "When the publication says the next edition is due, in its words."),
)
PUBLICATION_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in PUBLICATION_COLUMNS)

#: The files of a data folder that are not datasets.
CONTROL_FILES: frozenset[str] = frozenset({CATALOGUE_FILE, PUBLICATIONS_FILE})

TOPICS: tuple[str, ...] = (
    "Counter terrorism",
    "Public order",
    "Serious and organised crime",
    "Prevent referral trends",
)

FORCES: tuple[str, ...] = (
    "West Midlands region",
    "West Midlands Police",
    "Staffordshire",
    "Warwickshire",
    "West Mercia",
    "England and Wales",
    "Great Britain",
    "United Kingdom",
    # Other ROCU regions and forces, used only as context for comparison.
    "North West region",
    "South East region",
    "South West region",
    "Eastern region",
    "East Midlands region",
    "Greater Manchester Police",
    # Several forces' teams reported together (the County Lines Programme's taskforces).
    "County Lines Programme taskforces",
)

STRANDS: tuple[str, ...] = ("Pursue", "Prevent", "Protect", "Prepare")

#: How exact the source is, in its own word ("over 360" is ``over``, "in excess of 59" is ``in excess of``).
QUALIFIERS: tuple[str, ...] = (
    "exact",
    "more than",
    "over",
    "in excess of",
    "at least",
    "approximately",
    "around",
    "about",
    "estimated",
    "nearly",
    "almost",
    "not stated",
)
NOT_STATED = "not stated"
#: The source gives a floor ("over 360"): the true figure is higher.
LOWER_BOUNDS: frozenset[str] = frozenset({"more than", "over", "in excess of", "at least"})
#: The source gives a ceiling ("nearly £7m"): the true figure is a little lower.
UPPER_BOUNDS: frozenset[str] = frozenset({"nearly", "almost"})
#: The source gives a rough or estimated figure.
APPROXIMATE: frozenset[str] = frozenset({"approximately", "around", "about", "estimated"})

DERIVED_VALUES: tuple[str, ...] = ("yes", "no")
SERIES_BREAK_VALUES: tuple[str, ...] = ("yes",)
SOURCE_TYPES: tuple[str, ...] = ("paper", "official", "secondary")

#: Units a value may be in. "percent change" is the only unit that may be negative.
UNITS: tuple[str, ...] = (
    "applications",
    "areas",
    "arrests",
    "cases",
    "convictions",
    "credentials",
    "disruptions",
    "firearms",
    "GBP",
    "GBP million",
    "handles",
    "investigations",
    "investigations per week",
    "items",
    "kg",
    "lines",
    "months",
    "percent",
    "percent change",
    "percent of previous year",
    "people",
    "plans",
    "plants",
    "rank",
    "recalls",
    "recommendations",
    "referrals",
    "rounds",
    "staff",
    "tablets",
    "years",
    # Units of rows whose value is in words (value_text) rather than a number.
    "level",
    "event",
    "statement",
)
SIGNED_UNITS: frozenset[str] = frozenset({"percent change"})
TEXT_UNITS: frozenset[str] = frozenset({"level", "event", "statement"})
#: Units that count things, so their values are whole numbers ("1.070 people" is an error, not 1.07).
COUNT_UNITS: frozenset[str] = frozenset(
    {
        "applications",
        "areas",
        "arrests",
        "cases",
        "convictions",
        "credentials",
        "disruptions",
        "firearms",
        "handles",
        "investigations",
        "items",
        "lines",
        "people",
        "plans",
        "plants",
        "rank",
        "recalls",
        "recommendations",
        "referrals",
        "rounds",
        "staff",
        "tablets",
    }
)


@dataclass(frozen=True)
class TotalRule:
    """Rows whose ``breakdown`` is ``total`` must equal the sum of the rows in ``parts``.

    Parts and total are matched on every other key column. Where a part is not
    stated, the stated parts must not exceed the total.
    """

    dataset: str
    parts: tuple[str, ...]
    total: str = "Total"


TOTAL_RULES: tuple[TotalRule, ...] = (
    TotalRule("operation_venetic", ("ROCUWM lead", "ROCUWM support")),
    TotalRule("rocu_funding", ("Home Office grants", "Regional PCCs")),
    TotalRule(
        "rocu_capabilities",
        ("Proactive phase", "Pre-charge or overt phase", "Post-charge phase"),
    ),
    TotalRule("ct_contest", ("HMICFRS", "National CT Policing")),
)

#: Limits on what a data folder may hold; a file past them is refused before it is read.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ROWS_PER_FILE = 2_000_000
#: A report lists at most this many problems, then says how many more there are.
MAX_REPORTED_PROBLEMS = 200

#: Text cells must not start with these (spreadsheet formula injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
