"""What one chart shows, independent of where it is shown (a page, a slide, an export).

``build_chart`` filters a chart's rows and, if any are left, works out its title, summary and
figure from them; if none are left it keeps a plain title and says why in words. A chart that
cannot be drawn from its rows (data the chart's code did not foresee) degrades to a plain message
for that chart alone: its figures stay in its table and downloads, and the page, the deck and the
pack around it are drawn as ever.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from data.formatting import format_value
from data.queries import Filters, apply_filters, why_empty

log = logging.getLogger(__name__)

#: How much of a page's width a chart's card takes on a wide screen (``Chart.width``): the whole width,
#: half of it (two cards side by side), or a quarter (small multiples, four in a row).
WIDE, HALF, SMALL = "wide", "half", "small"
WIDTHS = (WIDE, HALF, SMALL)
#: The longest line shown under a chart's title (about two lines of a half-width card).
LEDE_MAX = 160
#: The end of a sentence: a stop, then a space and a capital or a digit (so "1.5 kg" and "e.g. this" stay whole).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£])")

#: Shown in place of a chart whose figures it cannot draw.
CANNOT_DRAW = "This chart could not be drawn from these figures. They are listed in its table and downloads."
#: Said of figures the dashboard worked out rather than read (their bars are hatched, their points open
#: squares, their labels say "worked out").
DERIVED_MARK = "Worked out by the dashboard, not read from a source"
#: Said of a statement that is the dashboard's reading of a source, not the source's own.
READING_MARK = "The dashboard's reading, not a statement of the source"


@dataclass(frozen=True)
class Tile:
    """A headline figure: its value, period, the figure before, the change in words, a caveat."""

    label: str
    value: str
    period: str
    previous: str = ""
    previous_period: str = ""
    change: str = ""
    direction: str = "none"  # up, down, same or none
    caveat: str = ""
    source: str = ""
    href: str = ""


@dataclass
class Chart:
    """One chart. ``rows`` are the figures behind it (``data.schema.FRAME_COLUMNS``).

    Its body is one of: a ``figure``; ``facts`` (its rows as a list of sentences: statements, mixed
    units; ``facts_by_category`` prefixes each with its category); ``tiles`` (headline figures); or
    ``points`` (sentences the dashboard worked out, such as what changed most).
    """

    key: str
    title: str
    summary: str
    rows: pd.DataFrame
    figure: go.Figure | None = None
    empty_message: str = ""
    caveats: list[str] = field(default_factory=list)
    facts: bool = False
    facts_by_category: bool = False
    #: Figures from public sources other than the board paper.
    context: bool = False
    #: Every row the chart could show before filtering (its share of the filter options).
    pool: pd.DataFrame | None = None
    tiles: tuple[Tile, ...] = ()
    points: tuple[str, ...] = ()
    #: The heading over the points ("What changed most: ...").
    points_heading: str = ""
    #: True when the chart's code could not draw these rows (the message says so).
    failed: bool = False
    #: What the chart is about, in a few words ("Firearms seized"): the page's contents list.
    name: str = ""
    #: Its share of a wide page (``WIDE``, ``HALF`` or ``SMALL``); narrow screens show every card full width.
    width: str = WIDE

    @property
    def lede(self) -> str:
        """The summary's first sentence: the one line a page shows under the title (the whole summary
        describes the figure to screen readers, and the table holds every figure). A first sentence
        longer than ``LEDE_MAX`` characters is a list of figures, not a line to read: there is none."""
        first = first_sentence(self.summary)
        return first if len(first) <= LEDE_MAX else ""

    @property
    def is_empty(self) -> bool:
        return self.rows.empty and not self.tiles and not self.points


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it is one sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text else ""


Text = str | Callable[[pd.DataFrame], str]


def row_caveats(rows: pd.DataFrame) -> list[str]:
    """Caveats every chart carries about its own rows: figures a later publication revised, and
    figures the dashboard worked out."""
    out: list[str] = []
    revised = rows["revised_from"] != "" if "revised_from" in rows else None
    if (revised is None or not revised.any()) and not (rows["derived"] == "yes").any():
        return out
    for r in rows[revised].itertuples(index=False) if revised is not None else ():
        value = format_value(r.value, str(r.unit), str(r.qualifier), r.value_text)
        name = str(r.measure) + (f" ({r.breakdown})" if r.breakdown else "")
        out.append(f"{name}, {r.period}: {value}, {r.revised_from}.")
    derived = rows[rows["derived"] == "yes"]
    worded = derived["value_text"] != ""
    if (~worded).any():
        notes = "; ".join(dict.fromkeys(str(n).rstrip(".") for n in derived.loc[~worded, "note"] if n))
        out.append(f"{DERIVED_MARK}: {notes}.")
    if worded.any():
        notes = "; ".join(dict.fromkeys(str(n).rstrip(".") for n in derived.loc[worded, "note"] if n))
        out.append(f"{READING_MARK}: {notes}.")
    return out


def build_chart(
    key: str,
    rows_all: pd.DataFrame,
    filters: Filters,
    *,
    title: Text,
    summary: Text,
    empty_title: str,
    figure: Callable[[pd.DataFrame], go.Figure] | None = None,
    facts: bool = False,
    facts_by_category: bool = False,
    caveats: Iterable[str] | Callable[[pd.DataFrame], Iterable[str]] = (),
    context: bool = False,
    width: str = WIDE,
    name: str = "",
) -> Chart:
    """Filter ``rows_all``; title, summary, figure and caveats are worked out from what is left.

    ``empty_title`` names the chart in a few words: its title when nothing is left, and (unless ``name``
    is given) its name in the page's contents. ``width`` is its share of a wide page (``WIDTHS``)."""
    if width not in WIDTHS:
        raise ValueError(f"width must be one of {WIDTHS}, not {width!r}")
    rows = apply_filters(rows_all, filters)
    if rows.empty or (rows["value"].isna().all() and (rows["value_text"] == "").all()):
        return Chart(
            key=key,
            title=empty_title,
            summary="",
            rows=rows.iloc[0:0],
            empty_message=why_empty(rows_all, filters),
            context=context,
            pool=rows_all,
            name=name or empty_title,
            width=width,
        )
    try:
        given = list(caveats(rows) if callable(caveats) else caveats)
        return Chart(
            key=key,
            title=title(rows) if callable(title) else title,
            summary=summary(rows) if callable(summary) else summary,
            rows=rows,
            figure=figure(rows) if figure else None,
            caveats=list(dict.fromkeys(c for c in [*given, *row_caveats(rows)] if c)),
            facts=facts or facts_by_category,
            facts_by_category=facts_by_category,
            context=context,
            pool=rows_all,
            name=name or empty_title,
            width=width,
        )
    except Exception:
        log.exception("Chart %s could not be drawn from its %d rows; showing its message instead", key, len(rows))
        return dataclasses.replace(failed_chart(key, empty_title, rows, rows_all, context), width=width)


def failed_chart(key: str, title: str, rows: pd.DataFrame, pool: pd.DataFrame | None, context: bool = False) -> Chart:
    """A chart its code could not draw: its title, a plain message and its rows (for table and downloads)."""
    return Chart(
        key=key,
        title=title,
        summary="",
        rows=rows,
        empty_message=CANNOT_DRAW,
        context=context,
        pool=pool,
        failed=True,
        name=title,
    )
