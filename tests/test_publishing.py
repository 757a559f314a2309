"""Publishing in the browser's forms (through Flask's test client): bad uploads are refused with every
problem named and nothing changed; a good one is a draft with a figure-by-figure preview and a dashboard
of its own; publishing makes it current; two at once, one wins; rolling back; marking as presented."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from data.database import draft_files, drafts
from tests.accounts import backend, csrf_token, new_client, signed_in
from tests.conftest import DATA_DIR
from web.page_cache import router_request

CALLBACK = "/_dash-update-component"


@pytest.fixture()
def analyst(dash_app):
    client, _ = signed_in(dash_app, "analyst")
    return client


@pytest.fixture()
def restore(dash_app):
    """After the test, the version current before it is published again (a rollback), so other tests
    see the 2021 data."""
    svc = backend(dash_app)
    base = svc.versions.latest()
    yield base
    if svc.versions.latest() != base:
        svc.versions.republish(base, "test", "Back to the 2021 paper", svc.versions.latest())
    svc.library.refresh_now()


def counts(dash_app) -> tuple:
    """What publishing may change: the current version, the drafts and their files."""
    svc = backend(dash_app)
    with svc.engine.connect() as c:
        return (
            svc.versions.latest(),
            c.execute(drafts.select()).fetchall().__len__(),
            c.execute(draft_files.select()).fetchall().__len__(),
        )


def upload(client, *files: tuple[str, bytes]):
    token = csrf_token(client, "/publish")
    data = {"csrf_token": token, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/publish/upload", data=data, content_type="multipart/form-data")


def problems(res) -> list[str]:
    """The problems listed on the page, as the reader sees them (the page escapes them)."""
    return [html.unescape(p) for p in re.findall(r"<li>(.*?)</li>", res.get_data(as_text=True), flags=re.S)]


def shipped(name: str) -> bytes:
    return (DATA_DIR / name).read_bytes()


def edit_cell(content: bytes, row: int, column: str, value: str) -> bytes:
    """``content`` (CSV) with one cell changed (``row`` counts data rows from 0)."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    rows[row][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Bad input: a clear message, and nothing changes ------------------------------------------------------


def refused(dash_app, analyst, *files, expect: str, status: int = 422) -> list[str]:
    before = counts(dash_app)
    res = upload(analyst, *files)
    assert res.status_code == status, res.get_data(as_text=True)[:800]
    found = problems(res)
    assert any(expect in p for p in found), found
    assert "Nothing was changed" in res.get_data(as_text=True)
    assert counts(dash_app) == before
    return found


def test_a_file_that_is_not_csv_or_excel_is_refused(dash_app, analyst):
    refused(
        dash_app,
        analyst,
        ("notes.txt", b"hello"),
        expect="notes.txt: error: is not a CSV file (.csv) or an Excel workbook",
    )
    refused(dash_app, analyst, ("old.xls", b"\xd0\xcf\x11\xe0rest"), expect="save it as an Excel Workbook (.xlsx)")
    refused(dash_app, analyst, ("book.xlsx", b"not a zip at all"), expect="is named .xlsx but is not an Excel workbook")
    refused(dash_app, analyst, ("rocu_funding.csv", b"PK\x03\x04zipped"), expect="is not a text file")


def test_an_upload_over_the_stated_limit_is_refused_unread(dash_app, analyst, monkeypatch):
    from publishing import routes
    from web import security

    monkeypatch.setitem(security.LARGE_BODIES, routes.UPLOAD_PATH, 50_000)
    before = counts(dash_app)
    res = upload(analyst, ("rocu_funding.csv", b"x" * 80_000))
    assert res.status_code == 413 and "Traceback" not in res.get_data(as_text=True)
    assert counts(dash_app) == before
    page = analyst.get("/publish").get_data(as_text=True)
    assert "The limit is 20 MB in all" in page


def test_a_workbook_that_would_expand_to_gigabytes_is_not_opened(dash_app, analyst):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(260):  # 260 MB of nothing, a few hundred KB zipped
                part.write(zeros)
    assert len(out.getvalue()) < 2_000_000
    refused(dash_app, analyst, ("bomb.xlsx", out.getvalue()), expect="would expand to")


def test_formulas_and_html_in_cells_are_refused_naming_the_cell(dash_app, analyst):
    header = ["name", "title", "topic", "description", "marking"]
    book = workbook(
        {
            "datasets": [
                header,
                ["rocu_funding", '=HYPERLINK("http://x")', "Serious and organised crime", "Funding.", ""],
            ]
        }
    )
    found = refused(dash_app, analyst, ("figures.xlsx", book), expect="cell B2 holds a formula")
    assert any("figures.xlsx, sheet 'datasets', row 2, column 'title'" in p for p in found), found
    marked_up = edit_cell(shipped("rocu_funding.csv"), 0, "note", "<script>alert(1)</script>")
    found = refused(
        dash_app, analyst, ("rocu_funding.csv", marked_up), expect="rocu_funding.csv, line 2, column 'note'"
    )
    assert any("HTML" in p or "markup" in p for p in found), found
    page = upload(analyst, ("rocu_funding.csv", marked_up)).get_data(as_text=True)
    assert "<script>alert" not in page  # shown as text, never as markup


def test_the_wrong_encoding_is_refused_with_its_line(dash_app, analyst):
    latin = shipped("rocu_funding.csv").decode("utf-8").replace("ROCU", "ROCÜ", 1).encode("latin-1")
    refused(dash_app, analyst, ("rocu_funding.csv", latin), expect="is not UTF-8; save the file as 'CSV UTF-8'")


def test_a_workbook_missing_a_datasets_sheet_is_refused(dash_app, analyst):
    sheets = {}
    for name in ("datasets", "rocu_funding"):
        rows = list(csv.reader(io.StringIO(shipped(f"{name}.csv").decode("utf-8"))))
        sheets[name] = rows
    found = refused(
        dash_app, analyst, ("partial.xlsx", workbook(sheets)), expect="has no sheet for the dataset 'rocu_outcomes'"
    )
    assert any("partial.xlsx" in p for p in found)


def test_a_dataset_not_in_the_catalogue_is_refused(dash_app, analyst):
    refused(
        dash_app,
        analyst,
        ("made_up.csv", shipped("rocu_funding.csv")),
        expect="made_up.csv: error: file is not listed in datasets.csv",
    )
    sheets = {"made_up": list(csv.reader(io.StringIO(shipped("rocu_funding.csv").decode("utf-8"))))}
    refused(
        dash_app, analyst, ("book.xlsx", workbook(sheets)), expect="no dataset called 'made_up' is in the catalogue"
    )


def test_invalid_figures_are_listed_with_file_line_and_column(dash_app, analyst):
    bad = edit_cell(shipped("rocu_outcomes.csv"), 3, "value", "twelve")
    bad2 = edit_cell(shipped("operation_venetic.csv"), 0, "force", "Gotham")
    found = refused(
        dash_app,
        analyst,
        ("rocu_outcomes.csv", bad),
        ("operation_venetic.csv", bad2),
        expect="rocu_outcomes.csv, line 5, column 'value'",
    )
    assert any("operation_venetic.csv, line 2, column 'force'" in p for p in found), found


def test_valid_data_that_cannot_be_drawn_is_refused_too(dash_app, analyst, monkeypatch):
    import dataclasses

    import sections
    from sections import BY_SLUG

    original = BY_SLUG["venetic"].build

    def breaks_on_uploads(store, filters):
        if store.origin == "the upload":
            raise ValueError("a synthetic drawing fault")
        return original(store, filters)

    monkeypatch.setitem(sections.BY_SLUG, "venetic", dataclasses.replace(BY_SLUG["venetic"], build=breaks_on_uploads))
    monkeypatch.setattr("draw_check.SECTIONS", tuple(sections.BY_SLUG[s.slug] for s in sections.SECTIONS))
    found = refused(dash_app, analyst, ("rocu_funding.csv", shipped("rocu_funding.csv")), expect="(the dashboard)")
    assert any("Operation Venetic (EncroChat), chart 'venetic-all' could not be drawn" in p for p in found), found


# A good upload: draft, preview, publish -----------------------------------------------------------------


def test_a_good_upload_is_a_draft_previewed_figure_by_figure_then_published(dash_app, analyst, restore):
    svc = backend(dash_app)
    base = restore
    changed = edit_cell(shipped("county_lines.csv"), 0, "value", "1.5")
    res = upload(analyst, ("county_lines.csv", changed))
    assert res.status_code == 303, problems(res)
    draft_url = res.headers["Location"]
    draft_id = draft_url.rsplit("/", 1)[-1]
    assert svc.versions.latest() == base  # nothing published yet
    page = analyst.get(draft_url).get_data(as_text=True)
    assert "1 figure changed" in page and "£1.3m" in page and "£1.5m" in page
    assert f"Publish as version {base + 1}" in page

    # The dashboard drawn from the draft, for analysts only.
    assert analyst.get(f"/?draft={draft_id}").status_code == 200
    drawn = analyst.post(
        CALLBACK, data=router_request("/county-lines", f"?draft={draft_id}"), content_type="application/json"
    )
    words = json.dumps(drawn.get_json(), ensure_ascii=False)
    assert "Draft, not published" in words and "£1.5m" in words
    assert new_client(dash_app).get(f"/?draft={draft_id}").status_code == 404
    viewer, _ = signed_in(dash_app, "viewer")
    assert viewer.get(f"/api/v1/datasets?draft={draft_id}").status_code == 404

    # A note is required; then it publishes.
    token = csrf_token(analyst, draft_url)
    assert analyst.post(f"{draft_url}/publish", data={"csrf_token": token, "note": " "}).status_code == 400
    done = analyst.post(f"{draft_url}/publish", data={"csrf_token": token, "note": "Task force funding restated"})
    assert done.status_code == 303
    assert svc.versions.latest() == base + 1
    anon = new_client(dash_app)
    rows = anon.get("/api/v1/datasets/county_lines.json").get_json()["rows"]
    assert 1.5 in [r["value"] for r in rows]
    old = anon.get(f"/api/v1/datasets/county_lines.json?version={base}").get_json()["rows"]
    assert 1.3 in [r["value"] for r in old] and 1.5 not in [r["value"] for r in old]
    listing = anon.get("/api/v1/versions").get_json()
    assert listing["current"] == base + 1 and listing["versions"][0]["note"] == "Task force funding restated"
    assert listing["versions"][0]["changed"] == ["county_lines"]
    log = [e.action for e in svc.accounts.log_entries(10)]
    assert "publish" in log and "upload" in log
    # The same draft cannot be published twice.
    again = analyst.post(f"{draft_url}/publish", data={"csrf_token": token, "note": "again"})
    assert again.status_code == 409 and svc.versions.latest() == base + 1


def test_a_workbook_of_the_current_version_round_trips_and_its_edits_publish(dash_app, analyst, restore):
    res = analyst.get("/publish/workbook.xlsx")
    assert res.status_code == 200
    wb = load_workbook(io.BytesIO(res.data))
    assert wb.sheetnames[:2] == ["datasets", "publications"] and "rocu_outcomes" in wb.sheetnames
    untouched = io.BytesIO()
    wb.save(untouched)
    same = upload(analyst, ("spr.xlsx", untouched.getvalue()))
    assert same.status_code == 303
    assert "No figures changed" in analyst.get(same.headers["Location"]).get_data(as_text=True)
    ws = wb["county_lines"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("value") + 1, value=1.75)  # typed as a number, as Excel would
    edited = io.BytesIO()
    wb.save(edited)
    res = upload(analyst, ("spr.xlsx", edited.getvalue()))
    assert res.status_code == 303, problems(res)
    page = analyst.get(res.headers["Location"]).get_data(as_text=True)
    assert "1 figure changed" in page and "£1.75m" in page


def test_of_two_analysts_publishing_on_one_version_one_wins_and_the_other_is_told(dash_app, restore):
    first, _ = signed_in(dash_app, "analyst")
    second, _ = signed_in(dash_app, "analyst")
    a = upload(first, ("county_lines.csv", edit_cell(shipped("county_lines.csv"), 0, "value", "1.4")))
    b = upload(second, ("county_lines.csv", edit_cell(shipped("county_lines.csv"), 0, "value", "1.6")))
    url_a, url_b = a.headers["Location"], b.headers["Location"]
    assert (
        first.post(f"{url_a}/publish", data={"csrf_token": csrf_token(first, url_a), "note": "first"}).status_code
        == 303
    )
    late = second.post(f"{url_b}/publish", data={"csrf_token": csrf_token(second, url_b), "note": "second"})
    assert late.status_code == 409
    assert "was published after this one was prepared" in late.get_data(as_text=True)
    assert "nothing was published" in late.get_data(as_text=True)
    values = [r["value"] for r in new_client(dash_app).get("/api/v1/datasets/county_lines.json").get_json()["rows"]]
    assert 1.4 in values and 1.6 not in values  # the winner's figures, whole, and none of the other's
    assert "cannot be published" in second.get(url_b).get_data(as_text=True)


def test_rolling_back_publishes_an_earlier_version_again(dash_app, analyst, restore):
    svc = backend(dash_app)
    base = restore
    res = upload(analyst, ("county_lines.csv", edit_cell(shipped("county_lines.csv"), 0, "value", "9.9")))
    url = res.headers["Location"]
    analyst.post(f"{url}/publish", data={"csrf_token": csrf_token(analyst, url), "note": "a mistake"})
    assert svc.versions.latest() == base + 1
    page = f"/publish/versions/{base}"
    form = {"csrf_token": csrf_token(analyst, page), "note": "undo the mistake"}
    stale = analyst.post(f"{page}/republish", data={**form, "base": str(base)})  # a form from before the mistake
    assert stale.status_code == 409 and svc.versions.latest() == base + 1  # it would undo a newer version unseen
    done = analyst.post(f"{page}/republish", data={**form, "base": str(base + 1)})
    assert done.status_code == 303 and svc.versions.latest() == base + 2
    assert svc.versions.files(base + 2) == svc.versions.files(base)
    assert svc.versions.get(base + 2).republished_from == base
    assert svc.versions.get(base + 1) is not None  # nothing deleted
    values = [r["value"] for r in new_client(dash_app).get("/api/v1/datasets/county_lines.json").get_json()["rows"]]
    assert 9.9 not in values and 1.3 in values


def test_a_version_marked_as_presented_is_named_on_the_about_page_and_the_pack(dash_app, analyst, monkeypatch):
    from exports import board_pack
    from tests.test_any_valid_data import tiny_png

    svc = backend(dash_app)
    current = svc.versions.latest()
    page = f"/publish/versions/{current}"
    token = csrf_token(analyst, page)
    assert (
        analyst.post(f"{page}/presented", data={"csrf_token": token, "presented_on": "not a date"}).status_code == 400
    )
    res = analyst.post(
        f"{page}/presented",
        data={"csrf_token": token, "presented_on": "2021-02-03", "meeting": "Strategic Policing and Crime Board"},
    )
    assert res.status_code == 303
    about = (
        new_client(dash_app)
        .post(CALLBACK, data=router_request("/about"), content_type="application/json")
        .get_data(as_text=True)
    )
    assert f"This view shows version {current} of the published figures" in about
    assert (
        f"Version {current} was the one presented to the board on 3 February 2021 (Strategic Policing and Crime Board)"
        in about
    )
    monkeypatch.setattr(board_pack, "_picture", lambda pack, progress=None: lambda slide: tiny_png())
    from pptx import Presentation

    deck = Presentation(io.BytesIO(new_client(dash_app).get("/export/pack.pptx?section=venetic").data))
    cover = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert f"Version {current} of the published figures" in cover
    assert f"Version {current} was presented to the board on 3 February 2021" in cover
    assert any(e.action == "presented" for e in svc.accounts.log_entries(5))
