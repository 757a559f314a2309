"""The board pack: every chart of a section (or of the whole dashboard) under the current filters,
as a PowerPoint deck and as a PDF, in the paper's order.

Each chart gets a slide (or page) with its finding as the title, the image, and the source and
caveats beneath; in the deck the figures go into the speaker notes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from data import schema
from data.formatting import format_value
from data.loader import DataStore
from data.marking import marking_of
from data.publications import Publication, as_at_text
from data.published import current_view
from data.queries import Filters
from exports.render import HEIGHT, WIDTH, export_figure, source_text, to_image
from exports.tables import filters_text
from figures.chart import Chart
from sections import Section, section_charts

log = logging.getLogger(__name__)

PACK_TITLE = "Board pack: Strategic Policing Requirement"


@dataclass(frozen=True)
class PackSection:
    title: str
    intro: str
    charts: list[Chart]


@dataclass(frozen=True)
class Pack:
    """What a board pack holds: the cover's lines (from the publication catalogue) and its sections."""

    cover: list[str]
    sections: list[PackSection]
    publications: dict[str, Publication]
    #: The handling mark of its figures, on every slide and page.
    marking: str = schema.OFFICIAL
    #: Which published version its figures are, and which version was presented to the board.
    version_lines: tuple[str, ...] = ()


def collect(store: DataStore, sections: Sequence[Section], filters: Filters) -> Pack:
    """The non-empty charts of each section, in order, and the cover naming the publications they come from."""
    out = []
    shown = []
    for section in sections:
        charts = [c for c in section_charts(section, store, filters) if not c.is_empty]
        out.append(PackSection(section.title, section.intro, charts))
        shown += [c.rows for c in charts if not c.rows.empty]
    rows = pd.concat(shown) if shown else store.frame.iloc[0:0]
    papers = sorted(
        {
            store.publications[p]
            for p in rows["publication"].astype(str).unique()
            if p in store.publications and store.publications[p].is_paper
        },
        key=lambda p: p.date.last_day,
        reverse=True,
    )
    cover = [f"{p.board}: {p.title} ({p.date.label}){', ' + p.meeting if p.meeting else ''}" for p in papers]
    cover.append(as_at_text(rows, store.publications))
    mark = marking_of(store, set(rows["dataset"].astype(str))) if "dataset" in rows else schema.OFFICIAL
    return Pack([c for c in cover if c], out, store.publications, mark, version_lines(store))


def version_lines(store: DataStore) -> tuple[str, ...]:
    """'Version 3 of the published figures, of 2 December 2026 (the current version).' and which
    version was last presented to the board; nothing for figures that are not a published version."""
    view = current_view()
    if store.version is None:
        return ("A draft: these figures are not published.",) if view is not None and view.draft else ()
    lines = []
    info = view.library.info(store.version) if view is not None and view.library is not None else None
    when = f", published {info.published_at.day} {info.published_at:%B %Y}" if info is not None else ""
    current = " (the current version)" if view is not None and view.current == store.version else ""
    lines.append(f"Version {store.version} of the published figures{when}{current}.")
    presented = view.library.presented() if view is not None and view.library is not None else []
    if presented:
        last = presented[0]
        meeting = f" ({last.meeting})" if last.meeting else ""
        lines.append(
            f"Version {last.version} was presented to the board on {last.presented_on.day} "
            f"{last.presented_on:%B %Y}{meeting}."
        )
    return tuple(lines)


def figures_text(chart: Chart) -> str:
    """The figures behind a chart, one line each, for speaker notes."""
    lines = [chart.summary, ""]
    lines += [f"{t.label}: {t.value}, {t.period}" + (f"; {t.change}" if t.change else "") for t in chart.tiles]
    lines += list(chart.points)
    for _, r in chart.rows.iterrows():
        name = f"{r['measure']} ({r['breakdown']})" if r["breakdown"] else str(r["measure"])
        value = format_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["value_text"])
        lines.append(f"{name}, {r['period']}, {r['force']}: {value} [{r['source']}]")
    return "\n".join(lines)


def _images(pack: Pack) -> dict[int, bytes]:
    """Plain chart images (the slide or page carries the title, source and caveats as text)."""
    images = {}
    for section in pack.sections:
        for chart in section.charts:
            fig = export_figure(chart, pack.publications, annotated=False)
            images[id(chart)] = to_image(fig, "png", height=fig.layout.height or HEIGHT)
    return images


def _image_size(png: bytes) -> tuple[int, int]:
    import struct

    return struct.unpack(">II", png[16:24])


# --- PowerPoint --------------------------------------------------------------------------------


def build_pptx(pack: Pack, filters: Filters, when: datetime) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    images = _images(pack)

    title = prs.slides.add_slide(prs.slide_layouts[0])
    # The default template is 4:3: place its boxes across the 16:9 slide.
    heading, subtitle = title.shapes.title, title.placeholders[1]
    heading.left, heading.top, heading.width, heading.height = Inches(0.8), Inches(1.6), Inches(11.73), Inches(1.6)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(0.8), Inches(3.4), Inches(11.73), Inches(2.6)
    heading.text = PACK_TITLE
    subtitle.text = "\n".join(
        [*pack.cover, *pack.version_lines, f"Exported {when:%-d %B %Y}", f"Filters: {filters_text(filters)}"]
    )
    _mark(prs, title, pack.marking)
    for section in pack.sections:
        divider = prs.slides.add_slide(prs.slide_layouts[5])
        head = divider.shapes.title
        head.left, head.top, head.width, head.height = Inches(0.7), Inches(0.6), Inches(11.93), Inches(1.3)
        head.text = section.title
        _mark(prs, divider, pack.marking)
        box = divider.shapes.add_textbox(Inches(0.7), Inches(2.2), Inches(12), Inches(3))
        box.text_frame.word_wrap = True
        box.text_frame.text = section.intro
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        if not section.charts:
            box.text_frame.add_paragraph().text = "No figures in this section under these filters."
        for chart in section.charts:
            _mark(prs, _chart_slide(prs, chart, images[id(chart)], pack.publications), pack.marking)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _mark(prs: Presentation, slide, mark: str) -> None:
    """The handling mark at the top and bottom of the slide."""
    for top in (Inches(0.02), prs.slide_height - Inches(0.3)):
        box = slide.shapes.add_textbox(Inches(0.5), top, prs.slide_width - Inches(1), Inches(0.28))
        box.name = f"Handling mark: {mark}"
        frame = box.text_frame
        frame.text = mark
        para = frame.paragraphs[0]
        para.alignment = PP_ALIGN.CENTER
        para.runs[0].font.size = Pt(11)
        para.runs[0].font.bold = True
        if mark == schema.OFFICIAL_SENSITIVE:
            para.runs[0].font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)


def _chart_slide(prs: Presentation, chart: Chart, png: bytes, publications: dict):
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.2), Inches(12.33), Inches(1.1)
    title.text = chart.title
    for p in title.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(26)
    notes = [source_text(chart, publications, short=True), *(f"Caveat: {c}" for c in chart.caveats)]
    foot_height = Inches(0.3 * len(notes) + 0.1)
    foot_top = prs.slide_height - foot_height - Inches(0.35)  # above the handling mark
    # The picture fits between the title and the footer, keeping its shape.
    top, bottom = Inches(1.35), foot_top - Inches(0.1)
    width_px, height_px = _image_size(png)
    box_w, box_h = Inches(12.33), bottom - top
    scale = min(box_w / width_px, box_h / height_px)
    pic_w, pic_h = Emu(int(width_px * scale)), Emu(int(height_px * scale))
    slide.shapes.add_picture(io.BytesIO(png), Emu(int((prs.slide_width - pic_w) / 2)), top, width=pic_w, height=pic_h)
    box = slide.shapes.add_textbox(Inches(0.5), foot_top, Inches(12.33), foot_height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = notes[0]
    frame.paragraphs[0].runs[0].font.size = Pt(12)
    for line in notes[1:]:
        para = frame.add_paragraph()
        para.text = line
        para.runs[0].font.size = Pt(12)
    slide.notes_slide.notes_text_frame.text = figures_text(chart)
    return slide


# --- PDF -----------------------------------------------------------------------------------------

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    """DejaVu Sans where installed (it has £, – and arrows); otherwise Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    log.warning("DejaVu fonts not found; the PDF uses Helvetica")
    return "Helvetica", "Helvetica-Bold"


def _pdf_image(png: bytes, max_w: float, max_h: float):
    """The picture scaled to fit ``max_w`` x ``max_h`` points, keeping its shape."""
    from reportlab.platypus import Image

    width_px, height_px = _image_size(png)
    scale = min(max_w / width_px, max_h / height_px)
    return Image(io.BytesIO(png), width=width_px * scale, height=height_px * scale)


def build_pdf(pack: Pack, filters: Filters, when: datetime) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _fonts()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=6)
    big_style = ParagraphStyle("big", fontName=bold, fontSize=28, leading=34, spaceAfter=12)
    body_style = ParagraphStyle("body", fontName=regular, fontSize=11, leading=14)
    small_style = ParagraphStyle("small", fontName=regular, fontSize=9, leading=11.5)
    images = _images(pack)

    page_w, page_h = landscape(A4)
    margin = 14 * mm
    img_w = page_w - 2 * margin
    img_h = min(img_w * HEIGHT / WIDTH, page_h - 2 * margin - 40 * mm)
    img_w = img_h * WIDTH / HEIGHT

    story: list = [
        Paragraph(PACK_TITLE, big_style),
        *(Paragraph(escape(line), body_style) for line in [*pack.cover, *pack.version_lines]),
        Paragraph(f"Exported {when:%-d %B %Y}", body_style),
        Paragraph(escape(f"Filters: {filters_text(filters)}"), body_style),
    ]
    for section in pack.sections:
        story += [
            PageBreak(),
            Paragraph(escape(section.title), big_style),
            Paragraph(escape(section.intro), body_style),
        ]
        if not section.charts:
            story.append(Paragraph("No figures in this section under these filters.", body_style))
        for chart in section.charts:
            # Size the image so title, image, source and caveats fit on one page together.
            title_lines = len(chart.title) // 60 + 1
            source = source_text(chart, pack.publications, short=True)
            caveat_lines = sum(len(c) // 120 + 1 for c in [source, *chart.caveats])
            height = min(img_h, page_h - 2 * margin - 16 * mm - 23 * title_lines - 13 * caveat_lines)
            block = [
                Paragraph(escape(chart.title), title_style),
                _pdf_image(images[id(chart)], img_w, height),
                Spacer(1, 3 * mm),
                Paragraph(escape(source), small_style),
            ]
            block += [Paragraph(escape(f"Caveat: {c}"), small_style) for c in chart.caveats]
            story += [PageBreak(), KeepTogether(block)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=PACK_TITLE,
        author="SPR Board Dashboard",
    )

    def mark(canvas, _doc) -> None:
        """The handling mark at the top and bottom of every page."""
        canvas.saveState()
        canvas.setFont(bold, 10)
        if pack.marking == schema.OFFICIAL_SENSITIVE:
            canvas.setFillColorRGB(0x8A / 255, 0x1C / 255, 0x1C / 255)
        canvas.drawCentredString(page_w / 2, page_h - 8 * mm, pack.marking)
        canvas.drawCentredString(page_w / 2, 5 * mm, pack.marking)
        canvas.restoreState()

    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return buf.getvalue()
