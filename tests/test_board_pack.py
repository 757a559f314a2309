"""The board pack: native charts and tables, a plan that fits every slide, footers, the tagged PDF, and
a pack made once per version and filters.

Logic is tested on figures and frames written here; the served packs are opened and read back.
"""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from data.queries import Filters
from exports import board_pack, deck, fit
from exports.native import fact_rows, native_chart
from figures.chart import Chart
from sections import BY_SLUG, SECTIONS, section_charts

# --- Native charts, from figures written here ------------------------------------------------------


def test_grouped_columns_become_clustered_columns_with_their_labels():
    fig = go.Figure(
        [
            go.Bar(name="2019", x=["Arrests", "Charges"], y=[10, 4], text=["10", "4"]),
            go.Bar(name="2020", x=["Arrests"], y=[360], text=["more than 360"]),
        ]
    )
    fig.update_layout(barmode="group")
    chart = native_chart(fig)
    assert chart is not None and chart.kind == "column" and not chart.stacked
    assert chart.categories == ("Arrests", "Charges")
    assert [s.name for s in chart.series] == ["2019", "2020"]
    # A figure a period does not have is a gap, never zero; a qualifier stays in the label.
    assert chart.series[1].values == (360.0, None)
    assert chart.series[1].labels[0] == "more than 360"


def test_horizontal_bars_keep_the_pages_reading_order():
    fig = go.Figure(go.Bar(x=[3, 1, 2], y=["B", "C", "A"], orientation="h", text=["3", "1", "2"]))
    # Plotly lists a horizontal chart's categories bottom first: A is drawn at the top.
    fig.update_yaxes(categoryorder="array", categoryarray=["C", "B", "A"])
    chart = native_chart(fig)
    assert chart.kind == "bar"
    assert chart.categories == ("A", "B", "C")
    assert chart.series[0].values == (2.0, 3.0, 1.0)


def test_a_stacked_bar_names_its_total_and_leaves_an_unstated_part_out():
    fig = go.Figure(
        [
            go.Bar(name="Lead", y=["Seized"], x=[5], orientation="h", text=["5 kg"], customdata=["5 kg"]),
            go.Bar(name="Support", y=["Seized"], x=[0], orientation="h", text=[""], customdata=["Not stated"]),
            go.Scatter(y=["Seized"], x=[5], mode="text", text=["  Total 5 kg"]),
        ]
    )
    fig.update_layout(barmode="stack")
    chart = native_chart(fig)
    assert chart.stacked and chart.categories == ("Seized (total 5 kg)",)
    assert chart.series[1].values == (None,)


def test_lines_by_period_and_a_date_axis_with_no_native_form():
    lines = go.Figure(
        [
            go.Scatter(name="Referrals", x=["2019/20", "2020/21"], y=[6287, 4915], mode="lines+markers"),
            go.Scatter(name="Worked out by the dashboard", x=["2020/21"], y=[1], mode="markers"),
        ]
    )
    chart = native_chart(lines)
    assert chart.kind == "line" and chart.categories == ("2019/20", "2020/21")
    assert chart.series[1].markers_only and chart.series[1].values == (None, 1.0)
    dated = go.Figure(go.Scatter(x=[pd.Timestamp("2020-03-01")], y=["Event"], mode="markers"))
    assert native_chart(dated) is None


def test_evenly_spaced_dates_stay_a_native_line_and_uneven_ones_a_picture():
    def dated(days: list[str]) -> go.Figure:
        ticks = [pd.Timestamp(d) for d in days]
        fig = go.Figure(go.Scatter(name="All", x=ticks, y=[1, 2, 3], customdata=days, mode="lines+markers"))
        fig.update_xaxes(type="date", tickmode="array", tickvals=ticks, ticktext=[f"Y{d[:4]}" for d in days])
        return fig

    years = native_chart(dated(["2019-03-31", "2020-03-31", "2021-03-31"]))
    assert years.kind == "line" and years.categories == ("Y2019", "Y2020", "Y2021")
    assert years.series[0].values == (1.0, 2.0, 3.0)
    assert native_chart(dated(["2020-07-02", "2021-03-19", "2022-06-08"])) is None


def test_a_highlighted_bar_keeps_its_own_colour_natively():
    fig = go.Figure(
        go.Bar(
            y=["North West region", "<b>West Midlands region</b>"],
            x=[93, 43],
            orientation="h",
            marker=dict(color=["#3A8FD6", "#0B2A55"]),
            text=["93", "43"],
        )
    )
    (series,) = native_chart(fig).series
    assert native_chart(fig).categories == ("North West region", "West Midlands region")
    assert series.colour == "#3A8FD6" or series.colour == "#0B2A55"
    assert series.point_colours == ("#3A8FD6", "#0B2A55")


def frame(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values()))) if cols else 1
    base = dict(
        measure=["m"] * n,
        breakdown=[""] * n,
        value=[1.0] * n,
        unit=["count"] * n,
        qualifier=["exact"] * n,
        value_text=[""] * n,
        period=["2020"] * n,
        force=["West Midlands region"] * n,
        source=["para 1"] * n,
        publication=["paper"] * n,
    )
    base.update(cols)
    return pd.DataFrame(base)


class _Pub:
    def __init__(self, name, short_title, publisher, is_paper):
        self.name, self.short_title, self.publisher, self.is_paper = name, short_title, publisher, is_paper


PUBS = {
    "paper": _Pub("SPR update to the board, January 2021", "SPR update to the board", "West Midlands Police", True),
    "ho": _Pub("Prevent statistics", "Individuals referred to Prevent", "Home Office", False),
}


def test_fact_rows_keep_the_area_and_name_a_real_source():
    rows = frame(
        measure=["Cash seized", "Referrals"],
        value=[7.0, None],
        unit=["£m", "count"],
        qualifier=["nearly", "not stated"],
        force=["West Midlands region", "England and Wales"],
        source=["para 98", "https://www.gov.uk/prevent"],
        publication=["paper", "ho"],
    )
    out = fact_rows(Chart("k", "t", "s", rows, facts=True), PUBS)
    assert out[0][3] == "West Midlands region" and out[0][4] == "SPR update to the board, January 2021, para 98"
    assert out[0][1].startswith("nearly")
    assert out[1][1] == "Not stated" and out[1][4] == "Home Office: Individuals referred to Prevent"


# --- The plan ------------------------------------------------------------------------------------


def test_long_titles_are_shortened_to_two_lines_at_a_clause():
    long = "In 2024/25, " + ", ".join(f"sector {i} made {i * 100} referrals" for i in range(1, 12))
    short = deck.fit_title(long)
    assert short.endswith("…") and deck.title_fits(short) and not deck.title_fits(long)
    assert short.rstrip("…").endswith("referrals")  # ended at a clause, not mid-phrase
    split = deck.fit_title(long, (2, 3))
    assert split.endswith(" (2 of 3)") and deck.title_fits(split)
    assert deck.fit_title("Short") == "Short"


def test_a_long_fact_list_is_split_and_keeps_every_row():
    rows = [(f"Measure {i}", "A figure stated at length " * (i % 4 + 1), "2020", "Area", "para 1") for i in range(40)]
    header, widths, cut = deck.table_columns(rows)
    pages = deck.split_rows(cut, 4.5, header, widths)
    assert len(pages) > 1 and [r for p in pages for r in p] == cut
    for page in pages:
        assert deck.row_height(header, widths) + sum(deck.row_height(r, widths) for r in page) <= 4.5


def test_a_table_drops_a_column_no_row_fills():
    header, widths, cut = deck.table_columns([("What", "1", "", "", "para 1")])
    assert header == ("What", "Figure", "Source") and abs(sum(widths) - deck.CONTENT_W) < 1e-9
    assert cut == [("What", "1", "para 1")]


def test_caveats_past_two_lines_go_to_their_own_slide_and_always_to_the_notes():
    caveats = [
        f"Caveat number {i}, which is long enough to need most of a line at this size of type." for i in range(4)
    ]
    fig = go.Figure(go.Bar(x=["a"], y=[1], text=["1"]))
    chart = Chart("k", "A finding", "The summary", frame(), figure=fig, caveats=caveats)
    slides = deck.chart_slides(chart, "Section", "Source: para 1", PUBS)
    assert [s.kind for s in slides] == ["chart", "caveats"]
    assert slides[0].caveats == ("Caveats for this chart are on the next slide.",)
    assert all(c in slides[1].notes and c in slides[0].notes for c in caveats)
    few = deck.chart_slides(Chart("k", "A finding", "", frame(), figure=fig, caveats=["Short."]), "S", "", PUBS)
    assert [s.kind for s in few] == ["chart"] and few[0].caveats == ("Caveat: Short.",)


def test_text_is_measured_with_real_font_widths():
    assert fit.text_width("iiii", 14) < fit.text_width("WWWW", 14)
    assert fit.wrap("one two three", 14, fit.text_width("one two", 14) + 1) == ["one two", "three"]


# --- The packs, as served ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack_client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture(scope="module")
def whole_deck(pack_client):
    res = pack_client.get("/export/pack.pptx?section=all")
    assert res.status_code == 200
    return Presentation(io.BytesIO(res.data))


def _texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_the_whole_pack_starts_with_the_summary_then_an_agenda_then_sections_in_order(whole_deck, store):
    slides = list(whole_deck.slides)
    assert slides[0].shapes.title.text.startswith(section_charts(SECTIONS[0], store, Filters())[0].title)
    agenda_at = next(i for i, s in enumerate(slides) if s.shapes.title.text == "Agenda")
    assert all(
        s.shapes.title.text.startswith("Headline figures") or "Caveats" in s.shapes.title.text
        for s in slides[:agenda_at]
    )
    titles = [s.shapes.title.text for s in slides]
    dividers = [t for t in titles if t in {s.title for s in SECTIONS}]
    assert dividers == [s.title for s in SECTIONS]
    agenda = _texts(slides[agenda_at])
    for section in SECTIONS:
        number = titles.index(section.title) + 1
        assert f"{section.title}: slide {number}" in agenda


def test_every_slide_has_its_mark_footer_number_and_a_title_that_fits(whole_deck):
    total = len(whole_deck.slides)
    for n, slide in enumerate(whole_deck.slides, start=1):
        by_name = {sh.name: sh for sh in slide.shapes}
        assert by_name["Slide number"].text_frame.text == f"Slide {n} of {total}"
        footer = by_name["Footer"].text_frame.text
        assert "SPR update to the board, January 2021" in footer and "Exported" in footer
        assert footer.endswith("OFFICIAL")
        assert any(sh.name.startswith("Handling mark") for sh in slide.shapes)
        title = slide.shapes.title
        run = title.text_frame.paragraphs[0].runs[0]
        assert run.font.bold and run.font.size.pt >= 28
        width_pt = Emu(title.width).pt - 14.4  # less the box's insets
        assert fit.line_count(title.text_frame.text, run.font.size.pt, width_pt, bold=True) <= 2, title.text
        # Nothing below the title starts above the title's box.
        for shape in slide.shapes:
            if shape.name in ("Chart", "Chart picture", "Table", "Caveats", "Source"):
                assert shape.top >= title.top + title.height, (n, shape.name)
                assert shape.top + shape.height <= by_name["Footer"].top + 1, (n, shape.name)
        assert slide.notes_slide.notes_text_frame.text.strip()


def test_charts_are_native_with_their_data_and_readable_type(whole_deck):
    charts = [sh for s in whole_deck.slides for sh in s.shapes if sh.has_chart]
    tables = [sh for s in whole_deck.slides for sh in s.shapes if sh.has_table]
    assert len(charts) >= 15 and len(tables) >= 15
    for shape in charts:
        chart = shape.chart
        assert chart.font.size.pt >= 14
        assert chart.category_axis.tick_labels.font.size.pt >= 14
        assert any(v is not None for s in chart.plots[0].series for v in s.values)
        assert shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")  # alt text: the finding
        for series in chart.plots[0].series:
            for point_label in series._element.xpath(".//c:dLbl//a:rPr"):
                assert int(point_label.get("sz")) >= 1400
    for shape in tables:
        header = [c.text for c in shape.table.rows[0].cells]
        assert header[0] == "What" and header[-1] == "Source"
        for row in list(shape.table.rows)[1:]:
            assert row.cells[len(header) - 1].text.strip()  # every row names its source
            assert all(r.font.size.pt >= 14 for c in row.cells for p in c.text_frame.paragraphs for r in p.runs)


def test_a_chart_with_no_native_form_is_a_picture_with_its_finding_as_alt_text(whole_deck):
    pictures = [sh for s in whole_deck.slides for sh in s.shapes if sh.shape_type == 13]
    assert pictures  # the public order timeline
    for pic in pictures:
        assert len(pic._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr", "")) > 20


def test_core_properties(whole_deck):
    props = whole_deck.core_properties
    assert props.title == board_pack.PACK_TITLE
    assert props.author == "Strategic Policing and Crime Board"
    assert props.subject == "SPR update to the board, January 2021"


def test_this_page_gives_that_section_only(pack_client, store):
    res = pack_client.get("/export/pack.pptx?section=county-lines&strand=")
    slides = list(Presentation(io.BytesIO(res.data)).slides)
    section = BY_SLUG["county-lines"]
    assert slides[0].shapes.title.text == section.title
    assert "Strategic Policing and Crime Board" in _texts(slides[0])  # the cover's lines, on the divider
    titles = {c.title for c in section_charts(section, store, Filters()) if not c.is_empty}
    for slide in slides[1:]:
        notes = slide.notes_slide.notes_text_frame.text
        assert any(t in notes for t in titles), slide.shapes.title.text
    assert not any(s.shapes.title.text in {x.title for x in SECTIONS} for s in slides[1:])


def test_the_pdf_pack_is_tagged_for_screen_readers(pack_client):
    res = pack_client.get("/export/pack.pdf?section=public-order")
    assert res.status_code == 200
    reader = PdfReader(io.BytesIO(res.data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and str(root["/Lang"]) == "en-GB"
    assert reader.metadata.title == f"{board_pack.PACK_TITLE}: Public order"
    kinds: list[tuple[str, str]] = []

    def walk(node) -> None:
        node = node.get_object()
        if "/S" in node:
            kinds.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(root["/StructTreeRoot"])
    names = [k for k, _ in kinds]
    assert "/H1" in names and "/H2" in names and "/Table" in names and "/TH" in names
    figures = [alt for k, alt in kinds if k == "/Figure" and alt]
    assert figures and all("dated events" in alt for alt in figures)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Page 1 of" in text and "OFFICIAL" in text and "Exported" in text


def test_a_pack_is_made_once_per_version_and_filters(pack_client, monkeypatch):
    from exports import spec

    made = []
    real = spec.make_pack

    def counting(*args, **kwargs):
        made.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(spec, "make_pack", counting)
    first = pack_client.get("/export/pack.pptx?section=public-order&force=West+Midlands+Police")
    again = pack_client.get("/export/pack.pptx?section=public-order&force=West+Midlands+Police")
    other = pack_client.get("/export/pack.pptx?section=public-order")
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.data == again.data
    assert made == [Filters(force="West Midlands Police"), Filters()]


def test_a_row_taller_than_a_slide_is_cut_and_says_the_rest_is_in_the_notes():
    long = "A statement that goes on at great length about a figure. " * 40
    _, widths, cut = deck.table_columns([("What", long, "2020", "Area", "para 1")])
    (row,) = [deck.fit_row(r, 4.0, widths) for r in cut]
    assert deck.row_height(row, widths) <= 4.0 and row[1].endswith("(in full in the notes)")


def test_the_pdf_page_cannot_be_broken_out_of_by_a_name_in_the_data():
    from exports.pdf_pack import pack_html

    html = pack_html(
        [deck.Slide("divider", "Section", lines=("Intro",))],
        title="Pack",
        footer='Paper</style><script>alert(1)</script>"\nnext line',
        mark="OFFICIAL",
        picture=lambda s: b"",
    )
    assert "</style><script>" not in html and "<script>" not in html
    assert "Content-Security-Policy" in html
