"""OFFICIAL-SENSITIVE figures reach only signed-in users whose role allows them, through no other route
(one test per route, the cache included), and carry their handling mark everywhere they go.

A version is published in which ``county_lines`` is marked OFFICIAL-SENSITIVE and one of its figures
carries a canary (a value and a note found nowhere else); every anonymous answer is searched for it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from openpyxl import load_workbook

from data.files import MemoryFiles
from data.loader import bind_store, load_source, unbind_store
from data.queries import Filters
from exports.render import export_figure
from sections import BY_SLUG, section_charts
from tests.accounts import backend, new_client, signed_in
from tests.test_any_valid_data import tiny_png
from web.page_cache import router_request

CALLBACK = "/_dash-update-component"
CANARY_NOTE = "CANARY-7731 a figure only the cleared may see"
CANARY_VALUE = "7.731"
CANARIES = (CANARY_NOTE, "CANARY-7731", "£7.731m", "\\u00a37.731m", "7.731")
SENSITIVE = "county_lines"
PAGES = [
    "/",
    "/counter-terrorism",
    "/public-order",
    "/organised-crime",
    "/venetic",
    "/county-lines",
    "/referral-trends",
    "/checks",
    "/about",
    "/versions",
    "/data/county_lines",
    "/data/county_lines_context",
]
CHARTS = ["cl-results", "cl-funding", "cl-context-wm", "cl-context-national"]


def _mark_sensitive(files: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(files)
    rows = list(csv.DictReader(io.StringIO(files["datasets.csv"].decode("utf-8"))))
    for r in rows:
        if r["name"] == SENSITIVE:
            r["marking"] = "OFFICIAL-SENSITIVE"
    out["datasets.csv"] = _csv(rows)
    lines = list(csv.DictReader(io.StringIO(files[f"{SENSITIVE}.csv"].decode("utf-8"))))
    lines[0]["value"], lines[0]["note"] = CANARY_VALUE, CANARY_NOTE
    out[f"{SENSITIVE}.csv"] = _csv(lines)
    return out


def _csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def sensitive_version(dash_app):
    """The version with the sensitive dataset, current for this module; the one before is published
    again afterwards."""
    import app

    svc = backend(dash_app)
    base = svc.versions.latest()
    files = _mark_sensitive(svc.versions.files(base))
    assert not app.drawing_problems_everywhere(dash_app, load_source(MemoryFiles(files)))
    made = svc.versions.publish(files, "test", "County lines marked OFFICIAL-SENSITIVE", base)
    svc.library.refresh_now()
    yield made.number, base
    svc.versions.republish(base, "test", "Back to the 2021 paper", svc.versions.latest())
    svc.library.refresh_now()


@pytest.fixture()
def anon(dash_app, sensitive_version):
    return new_client(dash_app)


@pytest.fixture()
def cleared(dash_app, sensitive_version):
    client, _ = signed_in(dash_app, "viewer")
    return client


@pytest.fixture(autouse=True)
def small_images(monkeypatch):
    from exports import board_pack

    monkeypatch.setattr(board_pack, "_picture", lambda pack, progress=None: lambda slide: tiny_png())


def words(res) -> str:
    body = res.get_data()
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body.decode("utf-8", errors="replace")


def no_canary(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"{canary!r} reached an anonymous reader through {where}"


def page(client, path: str, search: str = ""):
    return client.post(CALLBACK, data=router_request(path, search), content_type="application/json")


def table(client, key: str, path: str = "/county-lines", drawn: dict | None = None):
    from tests.test_serving import _open_table

    return _open_table(client, key, 1, path, drawn=drawn)


def pptx_text(data: bytes) -> str:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    parts = []
    for slide in deck.slides:
        parts += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        for shape in slide.shapes:  # the figures inside native charts and tables
            if shape.has_chart:
                plot = shape.chart.plots[0]
                parts += [str(c) for c in plot.categories]
                parts += [f"{s.name} {' '.join(str(v) for v in s.values)}" for s in plot.series]
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        parts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


# Anonymous readers: one test per route ---------------------------------------------------------------


def test_the_page_html_and_shell(anon, sensitive_version):
    number, _ = sensitive_version
    for path in ("/", "/county-lines", "/data/county_lines", f"/county-lines?version={number}"):
        no_canary(anon.get(path).get_data(as_text=True), f"GET {path}")
    no_canary(words(anon.get("/_dash-layout")), "the page shell")


def test_every_page_drawn_by_the_router(anon, sensitive_version):
    number, base = sensitive_version
    for path in PAGES:
        for search in ("", f"?version={number}", "?strand=Pursue", "?force=West+Midlands+region"):
            res = page(anon, path, search)
            assert res.status_code == 200, (path, search)
            no_canary(words(res), f"the page {path}{search}")
    compare = page(anon, "/versions/compare", f"?from={base}&to={number}")
    no_canary(words(compare), "the comparison of versions")
    shown = words(compare)
    assert "No figures changed" in shown  # the sensitive change is not there for the public ...
    assert "The figures of 1 dataset are not compared here" in shown  # ... only that some are withheld
    assert SENSITIVE not in shown
    gone = words(page(anon, "/data/county_lines"))
    assert "Dataset not found" in gone


def test_meeting_mode(anon):
    for n in range(1, 16):
        no_canary(words(page(anon, f"/present/county-lines-{n}")), f"slide county-lines-{n}")
        no_canary(words(page(anon, f"/present/overview-{n}")), f"slide overview-{n}")
    no_canary(words(page(anon, "/present/county-lines")), "the county lines slides")


def test_tables_opened_by_callback(anon, sensitive_version):
    number, _ = sensitive_version
    for key in CHARTS:
        for drawn in (None, {"version": str(number)}):
            res = table(anon, key, drawn=drawn)
            assert res.status_code == 200
            no_canary(words(res), f"the table of {key}")
    # A callback cannot ask for a draft or another reader's data by naming it.
    assert table(anon, "cl-funding", drawn={"draft": "0" * 32}).status_code == 404


def test_the_api(anon, sensitive_version):
    number, base = sensitive_version
    listing = anon.get("/api/v1/datasets").get_json()
    assert SENSITIVE not in [d["name"] for d in listing["datasets"]]
    for path in (
        f"/api/v1/datasets/{SENSITIVE}.csv",
        f"/api/v1/datasets/{SENSITIVE}.json",
        f"/api/v1/datasets/{SENSITIVE}.csv-metadata.json",
        f"/api/v1/datasets/{SENSITIVE}.csv?version={number}",
    ):
        res = anon.get(path)
        assert res.status_code == 404, path
        no_canary(words(res), path)
    for path in (
        "/api/v1/datasets",
        "/api/v1/publications",
        "/api/v1/checks",
        "/api/v1/versions",
        f"/api/v1/versions/{number}",
        f"/api/v1/changes?from={base}&to={number}",
    ):
        res = anon.get(path)
        assert res.status_code == 200, path
        no_canary(words(res), path)
        assert f'"{SENSITIVE}"' not in words(res), f"the sensitive dataset's name in {path}"


def test_chart_exports(anon):
    for key in CHARTS:
        for fmt in ("csv", "xlsx", "svg"):
            res = anon.get(f"/export/chart/county-lines/{key}.{fmt}")
            assert res.status_code in (200, 404), (key, fmt)
            body = res.get_data()
            if fmt == "xlsx" and res.status_code == 200:
                wb = load_workbook(io.BytesIO(body))
                body = json.dumps([[c.value for c in row] for ws in wb for row in ws.iter_rows()], default=str).encode()
            no_canary(body.decode("utf-8", errors="replace"), f"the {fmt} of {key}")


def test_board_packs(anon):
    for query in ("section=county-lines", "section=all", "section=overview"):
        no_canary(pptx_text(anon.get(f"/export/pack.pptx?{query}").data), f"the PowerPoint pack ({query})")
    no_canary(pdf_text(anon.get("/export/pack.pdf?section=all").data), "the PDF pack")


def test_no_cache_hands_a_cleared_readers_answer_to_anyone_else(dash_app, cleared, anon, sensitive_version):
    number, _ = sensitive_version
    for path, search in (("/county-lines", ""), ("/", ""), ("/about", ""), ("/county-lines", f"?version={number}")):
        first = page(cleared, path, search)
        assert CANARY_NOTE in words(first) or path != "/county-lines", "the cleared reader sees the figure"
        again = page(anon, path, search)  # the same address, straight after
        no_canary(words(again), f"the cached page {path}{search}")
        assert first.headers["Cache-Control"] == "private, no-store"
    for key in CHARTS:
        table(cleared, key)
        no_canary(words(table(anon, key)), f"the cached table {key}")
    cleared.get("/api/v1/datasets")
    no_canary(words(anon.get("/api/v1/datasets")), "the API listing after a cleared reader's")
    for fmt in ("json", "csv"):  # kept answers: a dataset, and a chart's rows
        assert CANARY_NOTE in words(cleared.get(f"/api/v1/datasets/{SENSITIVE}.{fmt}?confirm=yes"))
        assert anon.get(f"/api/v1/datasets/{SENSITIVE}.{fmt}").status_code == 404
    rows = {key: words(cleared.get(f"/export/chart/county-lines/{key}.csv?confirm=yes")) for key in CHARTS}
    assert any(CANARY_NOTE in text for text in rows.values())
    for key in CHARTS:
        no_canary(
            words(anon.get(f"/export/chart/county-lines/{key}.csv")), f"the rows of {key} after a cleared reader's"
        )
    cleared.get("/export/pack.pptx?section=county-lines&confirm=yes")
    no_canary(pptx_text(anon.get("/export/pack.pptx?section=county-lines").data), "the pack after a cleared reader's")
    # ... and the other way round: the anonymous answer first, then the cleared reader still sees it all.
    fresh = new_client(dash_app)
    page(fresh, "/organised-crime", "?strand=Prevent")
    assert page(cleared, "/county-lines").status_code == 200


def test_a_signed_in_user_whose_role_is_not_cleared_sees_none_of_it(dash_app, sensitive_version, monkeypatch):
    svc = backend(dash_app)
    monkeypatch.setattr(svc, "settings", dataclasses.replace(svc.settings, sensitive_roles=frozenset({"admin"})))
    analyst, _ = signed_in(dash_app, "analyst")
    no_canary(words(page(analyst, "/county-lines")), "an uncleared analyst's page")
    assert analyst.get(f"/api/v1/datasets/{SENSITIVE}.json").status_code == 404


# Cleared readers: they see it, marked ---------------------------------------------------------------


def test_a_cleared_reader_sees_the_figures_with_the_mark_at_top_and_bottom(cleared):
    text = words(page(cleared, "/county-lines"))
    assert CANARY_NOTE in text or "£7.731m" in text
    assert text.count('"OFFICIAL-SENSITIVE"') >= 2  # the mark at the top and the bottom
    assert "handling-mark-top" in text and "handling-mark-bottom" in text
    # A page of OFFICIAL figures only carries no mark.
    assert "handling-mark" not in words(page(cleared, "/venetic"))
    # Sensitive downloads are links to a confirmation, not straight downloads.
    assert "you will be asked to confirm" in text
    dataset = words(page(cleared, "/data/county_lines"))
    assert "Handling mark: OFFICIAL-SENSITIVE" in dataset


def test_downloading_sensitive_figures_asks_to_confirm_first(cleared):
    url = "/export/chart/county-lines/cl-funding.csv"
    ask = cleared.get(url, headers={"Accept": "text/html"})
    assert ask.status_code == 200 and ask.mimetype == "text/html"
    assert "Confirm the download" in ask.get_data(as_text=True) and "confirm=yes" in ask.get_data(as_text=True)
    assert cleared.get(url, headers={"Accept": "text/csv"}).status_code == 428
    assert cleared.get(f"/api/v1/datasets/{SENSITIVE}.csv", headers={"Accept": "*/*"}).status_code == 428
    # OFFICIAL figures download at once.
    assert cleared.get("/export/chart/venetic/venetic-outcomes.csv").status_code == 200


def test_every_export_of_sensitive_figures_carries_the_mark(dash_app, cleared):
    csv_text = cleared.get("/export/chart/county-lines/cl-funding.csv?confirm=yes").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "# Handling: OFFICIAL-SENSITIVE" and "7.731" in csv_text
    wb = load_workbook(io.BytesIO(cleared.get("/export/chart/county-lines/cl-funding.xlsx?confirm=yes").data))
    for ws in wb:
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE" and ws.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    deck = cleared.get("/export/pack.pptx?section=county-lines&confirm=yes").data
    from pptx import Presentation

    for slide in Presentation(io.BytesIO(deck)).slides:
        marks = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text == "OFFICIAL-SENSITIVE"]
        footer = next(sh for sh in slide.shapes if sh.name == "Footer")
        # At the top of every slide, and in its footer.
        assert len(marks) == 1 and footer.text_frame.text.endswith("· OFFICIAL-SENSITIVE")
    pdf = pdf_text(cleared.get("/export/pack.pdf?section=county-lines&confirm=yes").data)
    assert pdf.count("OFFICIAL-SENSITIVE") >= 2
    # The image is drawn with the mark in it (checked on the figure the image is made from).
    svc = backend(dash_app)
    full = svc.library.store(svc.library.current(), sensitive=True)
    token = bind_store(full)
    try:
        chart = next(c for c in section_charts(BY_SLUG["county-lines"], full, Filters()) if c.key == "cl-funding")
        texts = [a.text for a in export_figure(chart, full.publications).layout.annotations]
    finally:
        unbind_store(token)
    assert texts.count("<b>OFFICIAL-SENSITIVE</b>") == 2


# Found in review: marks given later, drafts, the publishing pages, the drawing check -----------------


def test_a_mark_given_later_protects_the_versions_published_before_it(dash_app, anon, cleared, sensitive_version):
    _, base = sensitive_version  # `base`: county lines figures published as OFFICIAL, marked since
    assert anon.get(f"/api/v1/datasets/{SENSITIVE}.json?version={base}").status_code == 404
    listed = anon.get(f"/api/v1/datasets?version={base}").get_json()
    assert SENSITIVE not in [d["name"] for d in listed["datasets"]]
    old_page = words(page(anon, "/county-lines", f"?version={base}"))
    assert "marked OFFICIAL-SENSITIVE" in old_page and "handling-mark-top" not in old_page
    assert "handling-mark-top" in words(page(cleared, "/county-lines", f"?version={base}"))


def test_the_drawing_check_answers_only_its_own_requests(dash_app, sensitive_version):
    import threading

    from web.view import forced_store

    number, _ = sensitive_version
    full = backend(dash_app).library.store(number, sensitive=True)
    seen: dict[str, str] = {}
    with dash_app.server.app_context(), forced_store(full):
        other = threading.Thread(target=lambda: seen.update(text=words(page(new_client(dash_app), "/county-lines"))))
        other.start()
        other.join()
    no_canary(seen["text"], "a request answered while the server checked a drawing")


def test_an_analyst_not_cleared_for_sensitive_figures_cannot_publish_over_them(
    dash_app, sensitive_version, monkeypatch
):
    number, _ = sensitive_version
    svc = backend(dash_app)
    made = svc.versions.save_draft(svc.versions.files(number), number, "test", "a cleared analyst's upload")
    monkeypatch.setattr(svc, "settings", dataclasses.replace(svc.settings, sensitive_roles=frozenset({"admin"})))
    analyst, _ = signed_in(dash_app, "analyst")
    for path in ("/publish", f"/publish/drafts/{made.id}", "/publish/workbook.xlsx?confirm=yes"):
        res = analyst.get(path)
        assert res.status_code == 403, path
        no_canary(words(res), path)
    no_canary(words(page(analyst, "/county-lines", f"?draft={made.id}")), "a draft an uncleared analyst opens")
    assert analyst.get(f"/api/v1/datasets/{SENSITIVE}.json?draft={made.id}").status_code == 404


def test_the_workbook_of_a_version_is_marked_and_confirmed_and_csvw_is_not_held_back(dash_app, sensitive_version):
    analyst, _ = signed_in(dash_app, "analyst")
    ask = analyst.get("/publish/workbook.xlsx", headers={"Accept": "text/html"})
    assert "Confirm the download" in ask.get_data(as_text=True)
    wb = load_workbook(io.BytesIO(analyst.get("/publish/workbook.xlsx?confirm=yes").data))
    assert wb[SENSITIVE].oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert wb[SENSITIVE].oddFooter.center.text == "OFFICIAL-SENSITIVE"
    assert wb["operation_venetic"].oddHeader.center.text in (None, "")  # OFFICIAL sheets carry no mark
    assert analyst.get(f"/api/v1/datasets/{SENSITIVE}.csv-metadata.json").status_code == 200


def test_a_chart_whose_figures_are_withheld_says_so(anon, sensitive_version):
    from sections.base import WITHHELD_MESSAGE

    text = words(page(anon, "/county-lines"))
    assert text.count(WITHHELD_MESSAGE) == 2  # the two charts of the sensitive dataset ...
    assert "There are no figures for this chart" not in text  # ... do not read as empty
    assert WITHHELD_MESSAGE in words(page(anon, "/"))  # nor does the overview's county lines headline


def test_an_official_chart_on_a_page_with_sensitive_ones_downloads_at_once(cleared):
    official = cleared.get("/export/chart/county-lines/cl-context-wm.csv", headers={"Accept": "text/html"})
    assert official.status_code == 200 and official.mimetype == "text/csv"
    assert official.get_data(as_text=True).splitlines()[0] == "# Handling: OFFICIAL"
    assert cleared.get("/export/chart/county-lines/cl-funding.csv", headers={"Accept": "text/csv"}).status_code == 428


def test_a_change_of_handling_mark_is_a_change_between_versions(cleared, anon, sensitive_version):
    number, base = sensitive_version
    url = f"/api/v1/changes?from={base}&to={number}"
    seen = cleared.get(url).get_json()
    assert seen["markings_changed"] == [{"dataset": SENSITIVE, "old": "OFFICIAL", "new": "OFFICIAL-SENSITIVE"}]
    assert "Handling marks changed: county_lines from OFFICIAL to OFFICIAL-SENSITIVE" in words(
        page(cleared, "/versions/compare", f"?from={base}&to={number}")
    )
    public = anon.get(url).get_json()
    assert public["markings_changed"] == [] and public["withheld"] == 1  # the public learn no name


def test_comparing_versions_is_kept_apart_for_each_kind_of_reader(dash_app, cleared, anon, sensitive_version):
    """Last in this module: it publishes a version without the mark, then the marked one again."""
    number, base = sensitive_version
    svc = backend(dash_app)
    marked = svc.versions.files(number)
    unmarked = svc.versions.publish(svc.versions.files(base), "test", "the mark taken off", number).number
    svc.library.refresh_now()
    try:
        url = f"/api/v1/changes?from={number}&to={unmarked}"
        seen = cleared.get(url).get_json()  # the cleared reader asks first ...
        assert CANARY_VALUE in json.dumps([c for c in seen["changes"] if c["dataset"] == SENSITIVE])
        no_canary(words(anon.get(url)), "the changes between versions")  # ... and nobody else gets their answer
        no_canary(words(anon.get(f"/versions/compare?from={number}&to={unmarked}")), "the revision log")
    finally:
        svc.versions.publish(marked, "test", "marked again", svc.versions.latest())
        svc.library.refresh_now()
