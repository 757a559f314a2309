"""The board pack as a list of slides, before any file is made: what each slide shows, in what order,
with titles that fit and long lists split. The PowerPoint deck (``exports.pptx_pack``) and the PDF
(``exports.pdf_pack``) are both drawn from this plan, so they hold the same slides.

The whole-dashboard pack starts with the overview's summary (its key figures and what changed most),
then an agenda, then a divider and the charts of each section in the paper's order. A section's own
pack ("this page") is its divider and its charts. A fact list or a set of caveats too long for one
slide goes over as many as it needs, each titled "1 of 2"; caveats past two lines move to a slide of
their own after the chart. Every slide's notes hold its full title, its finding, figures and caveats.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from exports.fit import PT, line_count, shorten, text_width
from exports.native import FACT_COLUMNS, NativeChart, fact_rows, native_chart
from exports.pack import Pack, figures_text
from figures.chart import Chart

#: The slide, in inches (16:9), and the type sizes the plan measures text at.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN
#: The width text is measured to wrap at inside a text box: 0.1 in insets either side, and 3% to spare
#: for the office suite's own spacing.
TEXT_W = (CONTENT_W - 0.2) * 0.97
TITLE_PT, TITLE_LINES = 28, 2
BODY_PT = 14  # chart labels, tables and caveats: readable from the back of a room
SOURCE_PT = 12
#: The body's top (below the title), and the bottom of what stands above the footer, in inches.
BODY_TOP, BODY_BOTTOM = 1.45, 6.98
#: Caveats shown under a chart, at most; more go to a slide of their own.
CAVEAT_LINES = 2
#: Column widths of a fact table, in inches (they add up to CONTENT_W).
FACT_WIDTHS = (3.55, 2.9, 1.75, 1.55, 2.583)
#: Inches a table row takes beyond its lines of text (cell margins).
ROW_PADDING = 0.12
LINE_HEIGHT = BODY_PT * 1.2 / PT

OVERVIEW_SUMMARY = "overview-summary"


@dataclass(frozen=True)
class Slide:
    """One slide of the plan. ``kind``: summary, agenda, divider, chart, picture, table or caveats."""

    kind: str
    title: str
    section: str = ""
    #: The section's slug (its page's address), for slides of a section.
    slug: str = ""
    #: The full title, when ``title`` was shortened to fit (it goes into the notes).
    full_title: str = ""
    chart: Chart | None = None
    native: NativeChart | None = None
    #: Table rows (FACT_COLUMNS) for a table slide; lines of text for dividers, agenda, caveats.
    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[str, ...] = ()
    #: Caveats under the chart (they fit in two lines), or a line saying they follow.
    caveats: tuple[str, ...] = ()
    source: str = ""
    part: tuple[int, int] | None = None
    notes: str = ""
    #: Alt text of a picture: the chart's finding.
    alt: str = ""
    extra: dict = field(default_factory=dict)


def title_fits(text: str) -> bool:
    return line_count(text, TITLE_PT, TEXT_W * PT, bold=True) <= TITLE_LINES


def fit_title(text: str, part: tuple[int, int] | None = None) -> str:
    """The title shortened to two lines at the pack's type size, with '(1 of 2)' when split."""
    suffix = f" ({part[0]} of {part[1]})" if part and part[1] > 1 else ""
    room = TEXT_W * PT
    short = shorten(text + suffix, TITLE_PT, room, TITLE_LINES)
    if short == text + suffix:
        return short
    return shorten(text, TITLE_PT, room - _suffix_room(suffix), TITLE_LINES) + suffix


def _suffix_room(suffix: str) -> float:
    return text_width(suffix, TITLE_PT, bold=True) if suffix else 0.0


def table_columns(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], tuple[float, ...], list[tuple[str, ...]]]:
    """The columns a table keeps (a period or area column no row fills is left out, its width given to
    'What'), their widths in inches, and the rows cut to them."""
    keep = [k for k in range(len(FACT_COLUMNS)) if k not in (2, 3) or any(r[k] for r in rows)]
    widths = [FACT_WIDTHS[k] for k in keep]
    widths[0] += CONTENT_W - sum(widths)
    return (
        tuple(FACT_COLUMNS[k] for k in keep),
        tuple(widths),
        [tuple(r[k] for k in keep) for r in rows],
    )


def row_height(row: tuple[str, ...], widths: tuple[float, ...] = FACT_WIDTHS) -> float:
    """Inches a table row takes at the body type size (cells have 0.08 in margins either side)."""
    lines = max(line_count(cell, BODY_PT, (w - 0.18) * PT) for cell, w in zip(row, widths, strict=True))
    return lines * LINE_HEIGHT + ROW_PADDING


def fit_row(row: tuple[str, ...], height: float, widths: tuple[float, ...]) -> tuple[str, ...]:
    """A row no taller than ``height``: its longest cells cut at a word, saying the rest is in the notes."""
    row = tuple(row)
    while row_height(row, widths) > height:
        k = max(range(len(row)), key=lambda i: len(row[i]))
        words = row[k].removesuffix(" … (in full in the notes)").split()
        if len(words) <= 3:
            break
        row = (*row[:k], " ".join(words[: max(3, len(words) * 3 // 4)]) + " … (in full in the notes)", *row[k + 1 :])
    return row


def split_rows(
    rows: list[tuple[str, ...]], height: float, header_row: tuple[str, ...], widths: tuple[float, ...]
) -> list[list[tuple[str, ...]]]:
    """The rows in runs that each fit ``height`` inches under a header row."""
    header = row_height(header_row, widths)
    pages: list[list[tuple[str, ...]]] = [[]]
    used = header
    for row in rows:
        h = row_height(row, widths)
        if pages[-1] and used + h > height:
            pages.append([])
            used = header
        pages[-1].append(row)
        used += h
    return pages


def caveat_lines(caveats: list[str]) -> int:
    return sum(line_count(f"Caveat: {c}", BODY_PT, TEXT_W * PT) for c in caveats)


def source_height(source: str) -> float:
    return line_count(source, SOURCE_PT, TEXT_W * PT) * SOURCE_PT * 1.25 / PT + 0.05 if source else 0.0


def caveats_height(lines: tuple[str, ...]) -> float:
    return sum(line_count(c, BODY_PT, TEXT_W * PT) for c in lines) * LINE_HEIGHT + 0.1 if lines else 0.0


def foot_height(lines: tuple[str, ...], source: str) -> float:
    """Inches the caveats and the source line take under a slide's body (with a gap above)."""
    return caveats_height(lines) + source_height(source) + 0.1


def split_lines(lines: list[str], height: float, size: float = BODY_PT) -> list[list[str]]:
    """Paragraphs in runs that fit ``height`` inches (a paragraph is never split)."""
    per_line = size * 1.25 / PT
    pages: list[list[str]] = [[]]
    used = 0.0
    for text in lines:
        h = line_count(text, size, TEXT_W * PT) * per_line + 0.08
        if pages[-1] and used + h > height:
            pages.append([])
            used = 0.0
        pages[-1].append(text)
        used += h
    return pages


def notes_of(chart: Chart, source: str) -> str:
    return "\n".join([chart.title, "", figures_text(chart), "", source, *(f"Caveat: {c}" for c in chart.caveats)])


def chart_slides(chart: Chart, section: str, source: str, publications: dict, slug: str = "") -> list[Slide]:
    """The slides of one chart: the chart (or its table over as many slides as it needs), then its
    caveats on a slide of their own when they are past two lines."""
    notes = notes_of(chart, source)
    long_caveats = caveat_lines(chart.caveats) > CAVEAT_LINES
    under = (
        ("Caveats for this chart are on the next slide.",)
        if long_caveats
        else tuple(f"Caveat: {c}" for c in chart.caveats)
    )
    body_h = BODY_BOTTOM - BODY_TOP - foot_height(under, source)
    tabular = chart.figure is None or chart.facts or bool(chart.tiles or chart.points)
    native = None if tabular else native_chart(chart.figure)
    out: list[Slide] = []
    if tabular:
        header, widths, cut = table_columns(fact_rows(chart, publications))
        cut = [fit_row(r, body_h - row_height(header, widths), widths) for r in cut]
        pages = split_rows(cut, body_h, header, widths)
        for i, rows in enumerate(pages, start=1):
            part = (i, len(pages))
            out.append(
                Slide(
                    "table",
                    fit_title(chart.title, part),
                    section,
                    slug,
                    full_title=chart.title,
                    chart=chart,
                    rows=tuple(rows),
                    caveats=under,
                    source=source,
                    part=part if len(pages) > 1 else None,
                    notes=notes,
                    extra={"columns": header, "widths": widths},
                )
            )
    else:
        kind = "chart" if native is not None else "picture"
        out.append(
            Slide(
                kind,
                fit_title(chart.title),
                section,
                slug,
                full_title=chart.title,
                chart=chart,
                native=native,
                caveats=under,
                source=source,
                notes=notes,
                alt=f"{chart.title}. {chart.summary}".strip(),
                extra={"body_height": body_h},
            )
        )
    if long_caveats:
        runs = split_lines([f"Caveat: {c}" for c in chart.caveats], BODY_BOTTOM - BODY_TOP)
        for i, run in enumerate(runs, start=1):
            part = (i, len(runs))
            out.append(
                Slide(
                    "caveats",
                    fit_title(f"Caveats: {chart.title}", part),
                    section,
                    slug,
                    full_title=f"Caveats: {chart.title}",
                    chart=chart,
                    lines=tuple(run),
                    source=source,
                    part=part if len(runs) > 1 else None,
                    notes=notes,
                )
            )
    return out


def plan(pack: Pack, whole: bool, sources: dict[int, str], about: tuple[str, ...] = ()) -> list[Slide]:
    """Every slide of the pack, in order. ``sources`` maps id(chart) to its source line; ``about`` are
    lines on when and how it was made (the export date, the filters), after the pack's cover lines."""
    slides: list[Slide] = []
    about = (*pack.cover, *pack.version_lines, *about)
    summary = _summary(pack) if whole else None
    if summary is not None:
        slides += [
            dataclasses.replace(s, extra={**s.extra, "summary": True})
            for s in chart_slides(
                summary, pack.sections[0].title, sources[id(summary)], pack.publications, pack.sections[0].slug
            )
        ]
    if whole:
        agenda = [s.title for s in pack.sections]
        slides.append(Slide("agenda", "Agenda", lines=tuple(agenda), extra={"about": tuple(about)}))
    for section in pack.sections:
        charts = [c for c in section.charts if c is not summary]
        intro = [section.intro]
        if not charts:
            intro.append("No figures in this section under these filters.")
        if not whole:
            intro += ["", *about]
        slides.append(Slide("divider", section.title, section.title, section.slug, lines=tuple(intro)))
        for chart in charts:
            slides += chart_slides(chart, section.title, sources[id(chart)], pack.publications, section.slug)
    if whole:
        first = {}
        for n, s in enumerate(slides, start=1):
            if s.kind == "divider":
                first.setdefault(s.section, n)
        i = next(k for k, s in enumerate(slides) if s.kind == "agenda")
        lines = tuple(f"{title}: slide {first.get(title, '')}" for title in (s.title for s in pack.sections))
        slides[i] = Slide("agenda", "Agenda", lines=lines, extra=slides[i].extra)
    return slides


def _summary(pack: Pack) -> Chart | None:
    """The overview's summary chart, when the pack has it."""
    for section in pack.sections:
        for chart in section.charts:
            if chart.key == OVERVIEW_SUMMARY:
                return chart
    return None


@dataclass(frozen=True)
class Step:
    """A slide of meeting mode: a pack slide that shows a chart, named by its section, chart and part."""

    slide: Slide
    #: The chart's key; ``part`` counts the chart's slides from 1 (a list over two slides, its caveats).
    key: str
    part: int

    @property
    def id(self) -> str:
        """'organised-crime/rocu-justice', or 'organised-crime/rocu-teams/2' for a later part."""
        return f"{self.slide.slug}/{self.key}" + (f"/{self.part}" if self.part > 1 else "")


def meeting_steps(store, sections, filters, whole: bool) -> list[Step]:
    """The slides meeting mode steps through: the pack's chart, table and caveats slides (no dividers or
    agenda), for one section or (``whole``) the whole dashboard, starting with the summary. Worked out
    once per data, filters and scope."""
    from exports.pack import collect
    from exports.render import source_text

    def make() -> list[Step]:
        pack = collect(store, sections, filters)
        sources = {id(c): source_text(c, pack.publications, short=True) for s in pack.sections for c in s.charts}
        steps: list[Step] = []
        for slide in plan(pack, whole, sources):
            if slide.chart is None:
                continue
            part = 1 + sum(1 for s in steps if s.key == slide.chart.key and s.slide.slug == slide.slug)
            steps.append(Step(slide, slide.chart.key, part))
        return steps

    key = ("meeting-steps", tuple(s.slug for s in sections), filters, whole)
    return store.memo.get_or_make(key, make)
