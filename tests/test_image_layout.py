"""Chart images laid out so that no text overlaps other text: every chart of every section, at the slide
size and the document size, drawn as SVG by the export code and measured in Chromium by its text boxes."""

from __future__ import annotations

import pytest

from data.queries import Filters
from exports.render import IMAGE_SIZES, export_figure, to_image
from sections import SECTIONS, section_charts

pytestmark = pytest.mark.browser

#: Pairs of text boxes (label, label) that overlap by more than 2 px both ways.
OVERLAPS = """() => {
  const boxes = [];
  for (const t of document.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    const r = t.getBoundingClientRect();
    if (r.width >= 1 && r.height >= 1) boxes.push([t.textContent.trim().slice(0, 50), r]);
  }
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.push(boxes[i][0] + ' / ' + boxes[j][0]);
    }
  }
  const svg = document.querySelector('svg').getBoundingClientRect();
  for (const [label, r] of boxes) {
    if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1) {
      out.push('outside the image: ' + label);
    }
  }
  return out;
}"""


def test_no_text_in_any_chart_image_overlaps_other_text(browser, store):
    page = browser.new_page()
    problems, drawn = [], 0
    try:
        for section in SECTIONS:
            for chart in section_charts(section, store, Filters()):
                if chart.is_empty:
                    continue
                for size in IMAGE_SIZES.values():
                    fig = export_figure(chart, store.publications, size=size)
                    svg = to_image(fig, "svg", width=size.width, height=fig.layout.height or size.height, scale=1)
                    page.set_content(svg.decode())
                    problems += [f"{chart.key} ({size.name}): {p}" for p in page.evaluate(OVERLAPS)]
                    drawn += 1
    finally:
        page.close()
    assert drawn > 40
    assert problems == []


def test_the_overlap_check_finds_overlapping_text(browser):
    """The check itself: two labels drawn on one another are found."""
    page = browser.new_page()
    try:
        page.set_content(
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
            '<text x="10" y="50" font-size="20">First label</text>'
            '<text x="30" y="55" font-size="20">Second label</text></svg>'
        )
        assert page.evaluate(OVERLAPS) == ["First label / Second label"]
    finally:
        page.close()
