"""The board pack's files: the PowerPoint deck and the tagged PDF of a section or the whole dashboard.

Both are drawn from one slide plan (``exports.deck``). Finished packs are kept by the exporter
(``jobs.queue``), in the shared cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from data.loader import DataStore
from data.queries import Filters
from exports import deck
from exports.pack import PACK_TITLE, Pack, collect
from exports.pdf_pack import html_to_pdf, pack_html
from exports.pptx_pack import build_pptx
from exports.render import export_figure, source_text, to_image
from exports.tables import filters_text
from sections import Section

#: CSS pixels across a picture in the pack: at the slide's content width its 18 px type is 14 pt or more.
PICTURE_WIDTH = 1100


def _picture(pack: Pack, progress: Callable[[int], None] | None = None) -> Callable[[deck.Slide], bytes]:
    """Draws a slide's chart as a PNG the shape of the room the slide leaves it (at twice the pixels);
    ``progress`` hears how many have been drawn so far."""
    drawn = 0

    def draw(slide: deck.Slide) -> bytes:
        nonlocal drawn
        drawn += 1
        if progress is not None:
            progress(drawn)
        fig = export_figure(slide.chart, pack.publications, annotated=False)
        room = slide.extra.get("body_height", deck.BODY_BOTTOM - deck.BODY_TOP)
        height = max(int(PICTURE_WIDTH * room / deck.CONTENT_W), 360)
        fig.update_layout(width=PICTURE_WIDTH, height=height, margin=dict(l=20, t=20, b=30))
        return to_image(fig, "png", width=PICTURE_WIDTH, height=height, scale=2)

    return draw


def pack_title(sections: Sequence[Section], whole: bool) -> str:
    return PACK_TITLE if whole else f"{PACK_TITLE}: {sections[0].title}"


def make_pack(
    store: DataStore,
    sections: Sequence[Section],
    filters: Filters,
    fmt: str,
    when: datetime,
    whole: bool,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    pack = collect(store, sections, filters)
    sources = {
        id(chart): source_text(chart, pack.publications, short=True)
        for section in pack.sections
        for chart in section.charts
    }
    about = (f"Exported {when:%-d %B %Y}.", f"Filters: {filters_text(filters)}.")
    slides = deck.plan(pack, whole, sources, about)
    title = pack_title(sections, whole)
    footer = " · ".join(p for p in (pack.paper, f"Exported {when:%-d %B %Y}", pack.marking) if p)
    if fmt == "pptx":
        return build_pptx(
            slides,
            title=title,
            board=pack.board or "The board",
            subject=pack.paper or title,
            footer=footer,
            mark=pack.marking,
            when=when,
            picture=_picture(pack, progress),
        )
    return html_to_pdf(
        pack_html(slides, title=title, footer=footer, mark=pack.marking, picture=_picture(pack, progress))
    )
