"""The board pack as a tagged PDF: the slide plan (``exports.deck``) laid out as HTML and printed by the
machine's Chromium, which writes the structure a screen reader follows (headings, figures with their
alt text, tables with header cells, reading order) and the document's title and language.

One page per slide, A4 landscape, in the deck's order; the handling mark is printed at the top of
every page and the footer (the publication, the export date, the mark, the page number) at the foot.
"""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

from data import schema
from exports.deck import Slide
from exports.render import ExportError, browser_path

log = logging.getLogger(__name__)

#: Within gunicorn's 90 s worker timeout, with room for the pictures drawn before the print.
TIME_LIMIT_SECONDS = 45

_CSS = """
@page {
  size: A4 landscape;
  margin: 13mm 12mm 15mm 12mm;
  @top-center { content: "%(mark)s"; font: bold 9pt Arial, "Liberation Sans", sans-serif; color: %(mark_colour)s; }
  @bottom-left { content: "%(footer)s"; font: 9pt Arial, "Liberation Sans", sans-serif; color: #404040; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt Arial, "Liberation Sans", sans-serif; color: #404040; }
}
* { box-sizing: border-box; }
/* The page's text box is 0.87 of the slide's width, so type is 0.87 of the deck's: lines break alike. */
html { font-family: Arial, "Liberation Sans", sans-serif; color: #1b1b1b; font-size: 12.2pt; }
body { margin: 0; }
.page { min-height: 180mm; display: flex; flex-direction: column; break-after: page; }
.page.drawn { height: 180mm; }
.page:last-child { break-after: auto; }
h1, h2, h3 { margin: 0 0 4mm; line-height: 1.2; }
h1 { font-size: 12pt; font-weight: normal; color: #404040; margin-bottom: 1mm; }
h2, h3 { font-size: 24.4pt; }
.divider h2 { font-size: 31pt; margin-top: 18mm; }
p, li { margin: 0 0 2mm; line-height: 1.3; }
.lead { font-size: 15.7pt; }
.about { font-size: 10.4pt; color: #404040; margin: 0 0 1mm; }
.about:first-of-type { margin-top: 8mm; }
figure { margin: 0; flex: 1 1 auto; min-height: 0; display: flex; justify-content: center; }
figure img { max-width: 100%%; max-height: 100%%; object-fit: contain; }
.foot { flex: 0 0 auto; margin-top: 2mm; }
.caveat { font-size: 12.2pt; }
.source { font-size: 10.4pt; color: #404040; }
table { border-collapse: collapse; width: 100%%; font-size: 12.2pt; }
th { background: #1b2a41; color: #fff; text-align: left; }
th, td { border: 1px solid #b1b4b6; padding: 1mm 1.8mm; vertical-align: top; }
"""


def _css_string(text: str) -> str:
    """``text`` safe inside a double-quoted CSS string in a <style> element: quotes and backslashes
    escaped, and '<', '>' and line breaks as CSS escapes, so nothing can close the element."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("<", "\\3c ").replace(">", "\\3e ")
    return " ".join(out.split())


def pack_html(
    slides: list[Slide],
    *,
    title: str,
    footer: str,
    mark: str,
    picture: Callable[[Slide], bytes],
) -> str:
    """The pack as one HTML document, a ``.page`` per slide."""
    css = _CSS % {
        "mark": _css_string(mark),
        "footer": _css_string(footer),
        "mark_colour": "#8a1c1c" if mark == schema.OFFICIAL_SENSITIVE else "#1b1b1b",
    }
    pages = []
    for i, s in enumerate(slides):
        heading = "h2" if s.kind in ("divider", "agenda") or s.extra.get("summary") else "h3"
        # The document's one first-level heading: the pack's title, on its first page.
        head = f"<h1>{escape(title)}</h1>" if i == 0 else ""
        body: list[str] = [head, f"<{heading}>{escape(s.title)}</{heading}>"]
        if s.kind == "divider":
            body += [f'<p class="lead">{escape(line)}</p>' for line in s.lines if line]
        elif s.kind == "agenda":
            body.append("<ol>" + "".join(f'<li class="lead">{escape(line)}</li>' for line in s.lines) + "</ol>")
            body += [f'<p class="about">{escape(line)}</p>' for line in s.extra.get("about", ())]
        elif s.kind == "caveats":
            body += [f'<p class="caveat">{escape(line)}</p>' for line in s.lines]
        elif s.kind == "table":
            widths = s.extra["widths"]
            cols = "".join(f'<col style="width:{100 * w / sum(widths):.1f}%">' for w in widths)
            header = "".join(f'<th scope="col">{escape(c)}</th>' for c in s.extra["columns"])
            rows = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in s.rows)
            body.append(
                f"<table><colgroup>{cols}</colgroup><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
            )
        else:
            data = base64.b64encode(picture(s)).decode()
            body.append(f'<figure><img alt="{escape(s.alt, quote=True)}" src="data:image/png;base64,{data}"></figure>')
        if s.kind in ("table", "chart", "picture"):
            foot = [f'<p class="caveat">{escape(c)}</p>' for c in s.caveats]
            if s.source:
                foot.append(f'<p class="source">{escape(s.source)}</p>')
            body.append(f'<div class="foot">{"".join(foot)}</div>')
        cls = {"divider": "page divider", "chart": "page drawn", "picture": "page drawn"}.get(s.kind, "page")
        pages.append(f'<section class="{cls}">{"".join(body)}</section>')
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        # Nothing in the page may load or run anything (no scripts, no requests): its pictures are inline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title>"
        f"<style>{css}</style></head><body>{''.join(pages)}</body></html>"
    )


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` to a tagged PDF with headless Chromium, within the time limit."""
    browser = browser_path()
    if browser is None:
        log.error("No Chromium to print the PDF pack: install Debian's chromium (make browser)")
        raise ExportError(
            "The PDF could not be made: the server has no browser to print it. The PowerPoint pack works."
        )
    with tempfile.TemporaryDirectory(prefix="spr-pdf-") as tmp:
        page, out = Path(tmp) / "pack.html", Path(tmp) / "pack.pdf"
        page.write_text(html, encoding="utf-8")
        args = [
            browser,
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        try:
            subprocess.run(args, capture_output=True, timeout=TIME_LIMIT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            log.error("Printing the PDF pack took over %s s", TIME_LIMIT_SECONDS)
            raise ExportError(
                f"The PDF took longer than {TIME_LIMIT_SECONDS} seconds to make, so it was stopped."
            ) from None
        if not out.exists() or out.stat().st_size == 0:
            log.error("Chromium wrote no PDF for the pack")
            raise ExportError("The PDF could not be made on the server. The PowerPoint pack works.")
        return out.read_bytes()
