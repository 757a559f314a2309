"""The chart colours stay distinct for the common colour-vision deficiencies, and marks have 3:1 edges."""

from __future__ import annotations

import itertools

import pytest

from figures.theme import OUTLINE, PALETTE, PALETTE_ON_DARK, PERIOD_COLOURS, PRESENT_BACKGROUND, for_presenting

# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _linear(hex_colour: str) -> tuple[float, float, float]:
    c = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c)


def luminance(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def simulated_difference(a: str, b: str, matrix=None) -> float:
    """CIE76 colour difference between two colours, as seen with a deficiency (or normal vision)."""

    def seen(colour: str):
        rgb = _linear(colour)
        if matrix is None:
            return _lab(rgb)
        return _lab(tuple(sum(m * v for m, v in zip(row, rgb, strict=True)) for row in matrix))

    return sum((p - q) ** 2 for p, q in zip(seen(a), seen(b), strict=True)) ** 0.5


# Colours that appear together in one chart: the two periods, lead and support, and the first
# four series of a trend chart.
PAIRS = [PERIOD_COLOURS, PALETTE[:2], *itertools.combinations(PALETTE[:4], 2)]


@pytest.mark.parametrize("vision", [None, *CVD])
@pytest.mark.parametrize("pair", PAIRS)
def test_colours_shown_together_stay_distinct(pair, vision):
    difference = simulated_difference(*pair, CVD.get(vision))
    assert difference >= 15, f"{pair} look alike with {vision or 'normal vision'} (ΔE {difference:.1f})"


def test_mark_edges_have_three_to_one_contrast_with_the_background():
    assert contrast(OUTLINE, "#ffffff") >= 3
    # Meeting mode draws bar edges white on black.
    assert contrast("#ffffff", PRESENT_BACKGROUND) >= 3


def test_every_bar_has_the_dark_edge(store):
    from data.queries import Filters
    from sections import SECTIONS

    for section in SECTIONS:
        for chart in section.build(store, Filters()):
            if chart.figure is None:
                continue
            for trace in chart.figure.data:
                if trace.type == "bar":
                    assert trace.marker.line.color == OUTLINE, (chart.key, trace.name)


@pytest.mark.parametrize(
    ("palette", "background"),
    [(PALETTE, "#ffffff"), (tuple(PALETTE_ON_DARK.values()), PRESENT_BACKGROUND)],
    ids=["on white", "on black"],
)
def test_every_colour_has_three_to_one_with_the_background_and_its_neighbours(palette, background):
    for colour in palette:
        assert contrast(colour, background) >= 3, colour
    for a, b in itertools.pairwise((*palette, palette[0])):
        assert contrast(a, b) >= 3, (a, b)
    if background == "#ffffff":
        assert contrast(*PERIOD_COLOURS) >= 3


def _drawn_colours(figure) -> list[list[str]]:
    """The fill colours of a figure's bars, trace by trace, and its lines and points."""
    return [[t.marker.color] if t.type == "bar" and isinstance(t.marker.color, str) else [] for t in figure.data], [
        t.line.color
        for t in figure.data
        if t.type == "scatter" and "lines" in (t.mode or "") and isinstance(t.line.color, str)
    ]


@pytest.mark.parametrize("presenting", [False, True], ids=["page", "meeting mode"])
def test_the_charts_as_drawn_keep_three_to_one(store, presenting):
    """Computed on every chart the sections draw: each bar and line against the background, and bars
    side by side (grouped periods, stacked parts) against each other."""
    from data.queries import Filters
    from sections import SECTIONS

    background = PRESENT_BACKGROUND if presenting else "#ffffff"
    checked = 0
    for section in SECTIONS:
        for chart in section.build(store, Filters()):
            if chart.figure is None:
                continue
            figure = for_presenting(chart.figure) if presenting else chart.figure
            bars, lines = _drawn_colours(figure)
            fills = [c[0] for c in bars if c]
            for colour in fills + lines:
                assert contrast(colour, background) >= 3, (chart.key, colour)
                checked += 1
            for a, b in itertools.pairwise(fills):
                assert contrast(a, b) >= 3, (chart.key, a, b)
    assert checked > 20
