"""The board pack's files: the PowerPoint deck and the tagged PDF of a section or the whole dashboard.

Both are drawn from one slide plan (``exports.deck``). A finished pack is kept per data version, reader
(the store it was drawn from holds only what that reader may see), section, format, filters and day,
so the second request for the same pack is answered at once and the same pack is never made twice at
the same time in one process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime

from data.loader import DataStore
from data.queries import Filters
from exports import deck
from exports.pack import PACK_TITLE, Pack, collect, version_lines
from exports.pdf_pack import html_to_pdf, pack_html
from exports.pptx_pack import build_pptx
from exports.render import browser_path, export_figure, source_text, to_image
from exports.tables import filters_text
from sections import Section

#: Bytes of finished packs kept per store (each store is one version as one kind of reader sees it).
CACHE_BYTES = 48 * 1024 * 1024


class ByteCache:
    """A least-recently-used cache of bytes, bounded by their total size; one maker per key at a time."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def get_or_make(self, key: tuple, make: Callable[[], bytes]) -> bytes:
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            lock = self._making.setdefault(key, threading.Lock())
        with lock:  # a second request for the same pack waits for the first
            found = self.get(key)
            if found is not None:
                return found
            value = make()
            with self._lock:
                self._making.pop(key, None)
                if len(value) <= self.max_bytes:
                    self._items[key] = value
                    while sum(len(v) for v in self._items.values()) > self.max_bytes:
                        self._items.popitem(last=False)
            return value


def _cache(store: DataStore) -> ByteCache:
    return store.memo.get_or_make(("board-packs",), lambda: ByteCache(CACHE_BYTES))  # type: ignore[return-value]


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


def pack_file(store: DataStore, sections: Sequence[Section], filters: Filters, fmt: str, when: datetime) -> bytes:
    """The pack of ``sections`` ('pptx' or 'pdf'), from the cache when it was made today already."""
    whole = len(sections) > 1
    # The cover's version lines (which version is current, which was presented) are in the key too.
    key = (tuple(s.slug for s in sections), fmt, filters, when.date().isoformat(), version_lines(store))
    if browser_path() is None:  # a pack without its pictures is not kept: the next one, with a browser, has them
        return make_pack(store, sections, filters, fmt, when, whole)
    return _cache(store).get_or_make(key, lambda: make_pack(store, sections, filters, fmt, when, whole))


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
