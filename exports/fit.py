"""How much room text takes at a type size: lines wrapped as an office suite wraps them, and titles
shortened to fit.

Widths are measured with Liberation Sans, which has Arial's widths (the pack is set in Arial; LibreOffice
shows it in Liberation Sans). Without it, DejaVu Sans, which is wider, so text measured to fit still fits;
without either, a character is taken as 0.62 em.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

log = logging.getLogger(__name__)

_FONTS = {
    False: (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ),
    True: (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
}
#: Points per inch.
PT = 72
#: Fraction of an em a character is taken to be when no font can be measured.
_FALLBACK_EM = 0.62


@functools.lru_cache(maxsize=8)
def _font(bold: bool):
    from PIL import ImageFont

    for path in _FONTS[bold]:
        if path.exists():
            # Measured at 100 units to the em, for precision; widths are scaled to the size asked for.
            return ImageFont.truetype(str(path), 100)
    log.warning("Neither Liberation Sans nor DejaVu Sans is installed: text widths are estimated")
    return None


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, in points."""
    font = _font(bold)
    if font is None:
        return len(text) * size_pt * _FALLBACK_EM
    return font.getlength(text) * size_pt / 100


def wrap(text: str, size_pt: float, width_pt: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width_pt`` (a word longer than a line is a line)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size_pt, bold) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def line_count(text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
    return len(wrap(text, size_pt, width_pt, bold))


def shorten(text: str, size_pt: float, width_pt: float, max_lines: int, bold: bool = True) -> str:
    """``text`` if it fits in ``max_lines``; else cut at the last clause (after ':', ';' or ',') that fits,
    or at a word, with an ellipsis. The full text belongs in the notes."""
    if line_count(text, size_pt, width_pt, bold) <= max_lines:
        return text
    words = text.split()
    best = ""
    for n in range(len(words), 0, -1):
        trial = " ".join(words[:n]).rstrip(",;:–-") + "…"
        if line_count(trial, size_pt, width_pt, bold) <= max_lines:
            best = trial
            break
    # Prefer ending at a clause (a ';' or ',' in the second half of what fits) to ending mid-phrase.
    for stop in ("; ", ", "):
        cut = best.rfind(stop)
        if cut > len(best) / 2:
            return best[:cut] + "…"
    return best or text[:20] + "…"
