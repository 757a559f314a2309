"""The board pack as a PowerPoint deck, drawn from the slide plan (``exports.deck``).

Charts are PowerPoint's own charts with their data inside (bars and lines; the secretariat can restyle
them and an analyst can edit their figures); fact lists are tables. A chart with no native form (a
timeline) stays a picture whose alt text states its finding. Every slide carries the handling mark, a
footer naming the publication, the export date and the mark, and its number; its notes hold the
figures and caveats.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from datetime import datetime

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from data import schema
from exports import deck
from exports.deck import BODY_PT, BODY_TOP, CONTENT_W, MARGIN, SLIDE_H, SLIDE_W, SOURCE_PT, TITLE_PT, Slide
from exports.native import NativeChart
from exports.render import ExportError

FONT = "Arial"
TEXT = RGBColor(0x1B, 0x1B, 0x1B)
MUTED = RGBColor(0x40, 0x40, 0x40)
SENSITIVE = RGBColor(0x8A, 0x1C, 0x1C)
HEADER_FILL = RGBColor(0x1B, 0x2A, 0x41)
FOOTER_PT = 11


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#")[:6].upper())


def _style(run, size: float, bold: bool = False, colour: RGBColor = TEXT) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _text_box(slide, left, top, width, height, lines, size: float, bold: bool = False, colour=TEXT, name=""):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        _style(run, size, bold, colour)
    return box


def _title(slide, text: str, top: float = 0.35, height: float = 1.05, size: float = TITLE_PT) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(MARGIN), Inches(top), Inches(CONTENT_W), Inches(height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.text = ""
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    run = para.add_run()
    run.text = text
    _style(run, size, bold=True)


def _chrome(prs, slide, number: int, total: int, footer: str, mark: str) -> None:
    """The handling mark at the top, and the footer: the publication, the date, the mark, the slide number."""
    colour = SENSITIVE if mark == schema.OFFICIAL_SENSITIVE else TEXT
    top = _text_box(
        slide, Inches(MARGIN), Inches(0.02), Inches(CONTENT_W), Inches(0.3), [mark], FOOTER_PT, True, colour
    )
    top.name = f"Handling mark: {mark}"
    top.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    foot_top = Inches(SLIDE_H - 0.42)
    left = _text_box(
        slide, Inches(MARGIN), foot_top, Inches(CONTENT_W - 1.6), Inches(0.36), [footer], FOOTER_PT, colour=MUTED
    )
    left.name = "Footer"
    right = _text_box(
        slide,
        Inches(SLIDE_W - MARGIN - 1.6),
        foot_top,
        Inches(1.6),
        Inches(0.36),
        [f"Slide {number} of {total}"],
        FOOTER_PT,
        colour=MUTED,
    )
    right.name = "Slide number"
    right.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _describe(shape, text: str) -> None:
    """Alt text (the shape's description) of a picture, chart or table."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _foot(slide, s: Slide) -> None:
    """The caveats (or where they are) and the source under the body, above the footer."""
    source_h, caveats_h = deck.source_height(s.source), deck.caveats_height(s.caveats)
    if s.caveats:
        top = deck.BODY_BOTTOM - source_h - caveats_h
        _text_box(
            slide,
            Inches(MARGIN),
            Inches(top),
            Inches(CONTENT_W),
            Inches(caveats_h),
            list(s.caveats),
            BODY_PT,
            name="Caveats",
        )
    if s.source:
        _text_box(
            slide,
            Inches(MARGIN),
            Inches(deck.BODY_BOTTOM - source_h),
            Inches(CONTENT_W),
            Inches(source_h),
            [s.source],
            SOURCE_PT,
            colour=MUTED,
            name="Source",
        )


def _bottom_first(chart: NativeChart) -> NativeChart:
    """A horizontal bar chart's categories bottom first, as an office suite draws them, so the first is at
    the top (as on the page) and the value axis stays at the foot."""
    if chart.kind != "bar":
        return chart
    series = tuple(
        dataclasses.replace(
            s,
            values=s.values[::-1],
            labels=s.labels[::-1],
            derived=s.derived[::-1],
            point_colours=s.point_colours[::-1],
        )
        for s in chart.series
    )
    return dataclasses.replace(chart, categories=chart.categories[::-1], series=series)


def _native(slide, chart: NativeChart, top: float, height: float, alt: str) -> None:
    chart = _bottom_first(chart)
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name or "Figures", list(series.values))
    kind = {
        ("bar", False): XL_CHART_TYPE.BAR_CLUSTERED,
        ("bar", True): XL_CHART_TYPE.BAR_STACKED,
        ("column", False): XL_CHART_TYPE.COLUMN_CLUSTERED,
        ("column", True): XL_CHART_TYPE.COLUMN_STACKED,
        ("line", False): XL_CHART_TYPE.LINE_MARKERS,
    }[(chart.kind, chart.stacked)]
    frame = slide.shapes.add_chart(kind, Inches(MARGIN), Inches(top), Inches(CONTENT_W), Inches(height), data)
    frame.name = "Chart"
    _describe(frame, alt)
    c = frame.chart
    c.font.name = FONT
    c.font.size = Pt(BODY_PT)
    c.has_title = False
    named = [s for s in chart.series if s.name]
    c.has_legend = len(named) > 1
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
        c.legend.font.size = Pt(BODY_PT)
    cats = c.category_axis
    cats.tick_labels.font.size = Pt(BODY_PT)
    cats.has_major_gridlines = False
    values = c.value_axis
    values.tick_labels.font.size = Pt(BODY_PT)
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xD9, 0xD9)
    # From zero (or below it, for a fall), with room after the longest bar for its label.
    values.minimum_scale = min(0.0, chart.smallest * 1.25)
    if chart.kind != "line" and not chart.stacked and chart.largest > 0:
        values.maximum_scale = chart.largest * 1.25
    if chart.value_title:
        values.has_title = True
        values.axis_title.text_frame.text = chart.value_title
        _style(values.axis_title.text_frame.paragraphs[0].runs[0], BODY_PT)
    # Every category named, however many (an office suite may otherwise skip every other name).
    _insert_before(cats._element, "c:tickLblSkip", {"val": "1"}, ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst"))
    plot = c.plots[0]
    if chart.kind != "line":
        plot.gap_width = 60
        plot.overlap = 100 if chart.stacked else -10
    for series, drawn in zip(chart.series, plot.series, strict=True):
        colour = _rgb(series.colour)
        if chart.kind == "line":
            drawn.smooth = False
            drawn.marker.style = XL_MARKER_STYLE.CIRCLE
            drawn.marker.size = 9
            drawn.marker.format.fill.solid()
            drawn.marker.format.fill.fore_color.rgb = colour
            drawn.marker.format.line.color.rgb = colour
            if series.markers_only:
                drawn.format.line.fill.background()
                drawn.marker.style = XL_MARKER_STYLE.SQUARE
            else:
                drawn.format.line.color.rgb = colour
                drawn.format.line.width = Pt(3)
            continue
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = colour
        drawn.format.line.color.rgb = RGBColor(0x1B, 0x2A, 0x41)
        drawn.format.line.width = Pt(0.75)
        for j, (value, label, derived) in enumerate(zip(series.values, series.labels, series.derived, strict=True)):
            if value is None:
                continue
            point = drawn.points[j]
            if series.point_colours and series.point_colours[j] != series.colour:
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(series.point_colours[j])
            if derived:
                point.format.fill.patterned()
                point.format.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                point.format.fill.fore_color.rgb = RGBColor(0x1B, 0x2A, 0x41)
                point.format.fill.back_color.rgb = colour
            if label:
                dl = point.data_label
                dl.position = XL_LABEL_POSITION.CENTER if chart.stacked else XL_LABEL_POSITION.OUTSIDE_END
                dl.text_frame.text = label
                run = dl.text_frame.paragraphs[0].runs[0]
                _style(run, BODY_PT, colour=_label_colour(series.colour) if chart.stacked else TEXT)


def _insert_before(parent, tag: str, attrs: dict, later: tuple[str, ...]) -> None:
    """Add ``tag`` to ``parent`` before the first of the ``later`` elements (the schema's order)."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = parent.makeelement(qn(tag), attrs)
    following = next((c for c in parent if c.tag in {qn(t) for t in later}), None)
    if following is None:
        parent.append(element)
    else:
        following.addprevious(element)


def _label_colour(fill: str) -> RGBColor:
    """Black or white text, whichever contrasts more with a segment's fill."""
    r, g, b = (int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return RGBColor(0, 0, 0) if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else RGBColor(0xFF, 0xFF, 0xFF)


def _table(slide, s: Slide, top: float) -> None:
    columns, widths, rows = s.extra["columns"], s.extra["widths"], s.rows
    shape = slide.shapes.add_table(
        len(rows) + 1, len(columns), Inches(MARGIN), Inches(top), Inches(CONTENT_W), Inches(0.3 * (len(rows) + 1))
    )
    shape.name = "Table"
    _describe(shape, s.full_title or s.title)
    table = shape.table
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    for r, row in enumerate([columns, *rows]):
        table.rows[r].height = Inches(0.3)  # the office suite grows each row to its text
        for k, text in enumerate(row):
            cell = table.cell(r, k)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = str(text)
            _style(run, BODY_PT, bold=r == 0, colour=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else TEXT)
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if r == 0 else RGBColor(0xFF, 0xFF, 0xFF)


def _lines_box(slide, lines, top: float, size: float = BODY_PT + 4) -> None:
    _text_box(slide, Inches(MARGIN), Inches(top), Inches(CONTENT_W), Inches(deck.BODY_BOTTOM - top), lines, size)


def build_pptx(
    slides: list[Slide],
    *,
    title: str,
    board: str,
    subject: str,
    footer: str,
    mark: str,
    when: datetime,
    picture: Callable[[Slide], bytes],
) -> bytes:
    """The deck of ``slides``. ``picture`` draws a slide's chart as a PNG (charts with no native form)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    props = prs.core_properties
    props.title, props.author, props.subject = title, board, subject
    props.keywords = f"{mark}; board pack"
    props.last_modified_by = board
    props.created = props.modified = when.replace(tzinfo=None)
    layout = prs.slide_layouts[5]  # title only
    for number, s in enumerate(slides, start=1):
        slide = prs.slides.add_slide(layout)
        if s.kind in ("divider", "agenda"):
            _title(
                slide,
                s.title,
                top=0.9 if s.kind == "divider" else 0.35,
                height=1.2,
                size=36 if s.kind == "divider" else TITLE_PT,
            )
            if s.kind == "agenda":
                _lines_box(slide, list(s.lines), BODY_TOP)
                about = s.extra.get("about", ())
                if about:
                    _text_box(
                        slide,
                        Inches(MARGIN),
                        Inches(4.6),
                        Inches(CONTENT_W),
                        Inches(1.8),
                        list(about),
                        SOURCE_PT,
                        colour=MUTED,
                        name="About this pack",
                    )
            else:
                _lines_box(slide, list(s.lines), 2.3)
        elif s.kind == "caveats":
            _title(slide, s.title)
            _lines_box(slide, list(s.lines), BODY_TOP, size=BODY_PT + 2)
        else:
            _title(slide, s.title)
            body_h = deck.BODY_BOTTOM - BODY_TOP - deck.foot_height(s.caveats, s.source)
            if s.kind == "table":
                _table(slide, s, BODY_TOP)
            elif s.kind == "chart" and s.native is not None:
                _native(slide, s.native, BODY_TOP, body_h, s.alt)
            else:
                try:
                    png = picture(s)
                except ExportError as err:  # no browser to draw it: the finding in words, and why
                    _text_box(
                        slide,
                        Inches(MARGIN),
                        Inches(BODY_TOP),
                        Inches(CONTENT_W),
                        Inches(1.6),
                        [s.alt, str(err)],
                        BODY_PT,
                        name="Chart not drawn",
                    )
                else:
                    _picture(slide, png, BODY_TOP, body_h, s.alt)
            _foot(slide, s)
        _chrome(prs, slide, number, len(slides), footer, mark)
        notes = s.notes or "\n".join([s.title, *s.lines])
        if s.full_title and s.full_title != s.title:
            notes = f"Full title: {s.full_title}\n\n{notes}"
        slide.notes_slide.notes_text_frame.text = notes
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _picture(slide, png: bytes, top: float, height: float, alt: str) -> None:
    import struct

    width_px, height_px = struct.unpack(">II", png[16:24])
    scale = min(Inches(CONTENT_W) / width_px, Inches(height) / height_px)
    w, h = Emu(int(width_px * scale)), Emu(int(height_px * scale))
    pic = slide.shapes.add_picture(io.BytesIO(png), Emu(int((Inches(SLIDE_W) - w) / 2)), Inches(top), width=w, height=h)
    pic.name = "Chart picture"
    _describe(pic, alt)
