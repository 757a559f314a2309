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
from types import ModuleType

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from data.formatting import format_value
from data.loader import DataStore
from data.queries import Filters
from exports.render import HEIGHT, WIDTH, export_figure, source_text, to_image
from exports.tables import filters_text
from figures.chart import Chart

log = logging.getLogger(__name__)

BOARD = "Strategic Policing and Crime Board"
PAPER = "West Midlands Strategic Policing Requirement update (early 2021)"


@dataclass(frozen=True)
class PackSection:
    title: str
    intro: str
    charts: list[Chart]


def collect(store: DataStore, sections: Sequence[ModuleType], filters: Filters) -> list[PackSection]:
    """The non-empty charts of each section, in order."""
    out = []
    for section in sections:
        charts = [c for c in section.charts(store, filters) if not c.is_empty]
        out.append(PackSection(section.TITLE, section.INTRO, charts))
    return out


def figures_text(chart: Chart) -> str:
    """The figures behind a chart, one line each, for speaker notes."""
    lines = [chart.summary, ""]
    for _, r in chart.rows.iterrows():
        name = f"{r['measure']} ({r['breakdown']})" if r["breakdown"] else str(r["measure"])
        value = format_value(r["value"], str(r["unit"]), str(r["qualifier"]), r["value_text"])
        lines.append(f"{name}, {r['period']}, {r['force']}: {value} [{r['source']}]")
    return "\n".join(lines)


def _images(sections: list[PackSection]) -> dict[int, bytes]:
    return {id(c): to_image(export_figure(c), "png") for s in sections for c in s.charts}


# --- PowerPoint --------------------------------------------------------------------------------


def build_pptx(sections: list[PackSection], filters: Filters, when: datetime) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    images = _images(sections)

    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Board pack: Strategic Policing Requirement"
    title.placeholders[1].text = f"{BOARD}\n{PAPER}\nExported {when:%-d %B %Y}\nFilters: {filters_text(filters)}"
    for section in sections:
        divider = prs.slides.add_slide(prs.slide_layouts[5])
        divider.shapes.title.text = section.title
        box = divider.shapes.add_textbox(Inches(0.7), Inches(2.2), Inches(12), Inches(3))
        box.text_frame.word_wrap = True
        box.text_frame.text = section.intro
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        if not section.charts:
            box.text_frame.add_paragraph().text = "No figures in this section under these filters."
        for chart in section.charts:
            _chart_slide(prs, chart, images[id(chart)])
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _chart_slide(prs: Presentation, chart: Chart, png: bytes) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = chart.title
    for p in slide.shapes.title.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(26)
    slide.shapes.title.top, slide.shapes.title.height = Inches(0.2), Inches(1.1)
    pic_width = Inches(10.4)
    pic_height = Emu(int(pic_width * HEIGHT / WIDTH))
    slide.shapes.add_picture(io.BytesIO(png), Inches(1.45), Inches(1.3), width=pic_width, height=pic_height)
    box = slide.shapes.add_textbox(
        Inches(0.6), Inches(7.15) - Inches(0.25 * (1 + len(chart.caveats))), Inches(12.1), Inches(0.6)
    )
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = source_text(chart)
    frame.paragraphs[0].runs[0].font.size = Pt(12)
    for caveat in chart.caveats:
        para = frame.add_paragraph()
        para.text = f"Caveat: {caveat}"
        para.runs[0].font.size = Pt(12)
    slide.notes_slide.notes_text_frame.text = figures_text(chart)


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


def build_pdf(sections: list[PackSection], filters: Filters, when: datetime) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _fonts()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=6)
    big_style = ParagraphStyle("big", fontName=bold, fontSize=28, leading=34, spaceAfter=12)
    body_style = ParagraphStyle("body", fontName=regular, fontSize=11, leading=14)
    small_style = ParagraphStyle("small", fontName=regular, fontSize=9, leading=11.5)
    images = _images(sections)

    page_w, page_h = landscape(A4)
    margin = 14 * mm
    img_w = page_w - 2 * margin
    img_h = min(img_w * HEIGHT / WIDTH, page_h - 2 * margin - 40 * mm)
    img_w = img_h * WIDTH / HEIGHT

    story: list = [
        Paragraph("Board pack: Strategic Policing Requirement", big_style),
        Paragraph(escape(BOARD), body_style),
        Paragraph(escape(PAPER), body_style),
        Paragraph(f"Exported {when:%-d %B %Y}", body_style),
        Paragraph(escape(f"Filters: {filters_text(filters)}"), body_style),
    ]
    for section in sections:
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
            caveat_lines = sum(len(c) // 120 + 1 for c in [source_text(chart), *chart.caveats])
            height = min(img_h, page_h - 2 * margin - 16 * mm - 23 * title_lines - 13 * caveat_lines)
            block = [
                Paragraph(escape(chart.title), title_style),
                Image(io.BytesIO(images[id(chart)]), width=height * WIDTH / HEIGHT, height=height),
                Spacer(1, 3 * mm),
                Paragraph(escape(source_text(chart)), small_style),
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
        title="Board pack: Strategic Policing Requirement",
        author="SPR Board Dashboard",
    )
    doc.build(story)
    return buf.getvalue()
