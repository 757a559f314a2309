"""Versions: any view pinned by ``?version=N`` and kept by the links; the revision log and the API's
versions and changes checked against what was published; CSVW metadata and schema.org descriptions;
and a page, its tables and its downloads coming from one version while a newer one is published."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from data.diff import compare
from data.rows import API_COLUMNS
from tests.accounts import backend, new_client
from tests.test_publishing import edit_cell
from tests.test_serving import _open_table
from web.page_cache import router_request

CALLBACK = "/_dash-update-component"
NEW_VALUE = "1.7"


@pytest.fixture(scope="module")
def two_versions(dash_app):
    """A second version in which one figure changed (county lines task force funding 1.3 → 1.7); the
    first is published again afterwards."""
    svc = backend(dash_app)
    base = svc.versions.latest()
    files = svc.versions.files(base)
    files["county_lines.csv"] = edit_cell(files["county_lines.csv"], 0, "value", NEW_VALUE)
    made = svc.versions.publish(files, "test", "Task force funding restated", base)
    svc.library.refresh_now()
    yield base, made.number
    svc.versions.republish(base, "test", "Back to the 2021 paper", svc.versions.latest())
    svc.library.refresh_now()


def words(res) -> str:
    return json.dumps(res.get_json(), ensure_ascii=False)


def page(client, path: str, search: str = "") -> str:
    res = client.post(CALLBACK, data=router_request(path, search), content_type="application/json")
    assert res.status_code == 200
    return words(res)


def hrefs(text: str) -> list[str]:
    return re.findall(r'"href": "([^"]+)"', text)


def test_a_pinned_view_shows_its_version_says_so_and_links_to_the_current_one(dash_app, two_versions):
    old, new = two_versions
    anon = new_client(dash_app)
    pinned = page(anon, "/county-lines", f"?version={old}")
    assert "£1.3m" in pinned and "£1.7m" not in pinned
    assert f"You are looking at version {old}" in pinned and f"It is not the current version (version {new})" in pinned
    filtered = page(anon, "/county-lines", f"?version={old}&strand=Pursue")
    assert "/county-lines?strand=Pursue" in hrefs(filtered)  # the way back to the current version keeps the filters
    current = page(anon, "/county-lines")
    assert "£1.7m" in current and "You are looking at version" not in current
    # Every link the pinned page makes keeps the pin: slides, packs, exports, datasets.
    kept = [h for h in hrefs(pinned) if h.startswith(("/present/", "/export/", "/data/", "/api/v1/datasets/"))]
    assert kept and all(f"version={old}" in h for h in kept), kept
    # Pinned to the current version, it says that too.
    assert "This is the current version, shown by a link" in page(anon, "/county-lines", f"?version={new}")


def test_the_filters_and_the_navigation_keep_the_pin():
    from components.filters import clear_filters, filters_to_url
    from components.shell import keep_filters_in_nav

    assert filters_to_url(1, "all", "Pursue", "all", "?version=3") == "?strand=Pursue&version=3"
    assert filters_to_url(1, "all", "Pursue", "all", "?strand=Prevent") == "?strand=Pursue"
    assert clear_filters(1, "?strand=Pursue&version=3") == "?version=3"
    assert keep_filters_in_nav("?version=3&strand=Pursue")[0] == "/?version=3&strand=Pursue"


def test_pinned_exports_and_api_answer_from_their_version(dash_app, two_versions):
    old, new = two_versions
    anon = new_client(dash_app)
    for number, value in ((old, 1.3), (new, 1.7)):
        rows = anon.get(f"/api/v1/datasets/county_lines.json?version={number}").get_json()["rows"]
        assert value in [r["value"] for r in rows]
        exported = anon.get(f"/export/chart/county-lines/cl-funding.csv?version={number}").get_data(as_text=True)
        assert f",{value}," in exported
    assert anon.get(f"/api/v1/datasets?version={old}").get_json()["version"] == old


@pytest.mark.parametrize("asked", ["999", "0", "-1", "abc", "1.5", "１", "9" * 30, "3;drop"])
def test_a_version_that_does_not_exist_is_a_plain_404(dash_app, asked):
    anon = new_client(dash_app)
    page_res = anon.get(f"/county-lines?version={asked}")
    assert page_res.status_code == 404 and "There is no version" in page_res.get_data(as_text=True)
    assert "Traceback" not in page_res.get_data(as_text=True)
    api = anon.get(f"/api/v1/datasets?version={asked}")
    assert api.status_code == 404 and "There is no version" in api.get_json()["error"]
    callback = anon.post(CALLBACK, data=router_request("/about", f"?version={asked}"), content_type="application/json")
    assert callback.status_code == 404


def test_the_revision_log_lists_what_was_published(dash_app, two_versions):
    old, new = two_versions
    svc = backend(dash_app)
    text = page(new_client(dash_app), "/versions")
    for v in svc.versions.listing():
        assert f"View version {v.number}" in text and v.note in text
    assert f"{new} (current)" in text and "Task force funding restated" in text
    assert f"/versions/compare?from={old}&to={new}" in hrefs(text)
    assert "by test" not in text  # who published is shown to signed-in users only


def test_what_changed_between_two_versions_is_what_was_published(dash_app, two_versions):
    old, new = two_versions
    anon = new_client(dash_app)
    svc = backend(dash_app)
    expected = compare(svc.library.store(old, False), svc.library.store(new, False))
    assert [c.kind for c in expected.changes] == ["changed"]
    api = anon.get(f"/api/v1/changes?from={old}&to={new}").get_json()
    assert api["summary"] == "1 figure changed" == expected.summary()
    (change,) = api["changes"]
    assert (change["dataset"], change["old"], change["new"], change["fields"]) == (
        "county_lines",
        "£1.3m",
        "£1.7m",
        ["value"],
    )
    assert change["old_source"] == change["new_source"] == "para 99"
    shown = page(anon, "/versions/compare", f"?from={old}&to={new}")
    assert "1 figure changed." in shown and "£1.3m" in shown and "£1.7m" in shown
    back = anon.get(f"/api/v1/changes?from={new}&to={old}").get_json()
    assert back["changes"][0]["old"] == "£1.7m"
    versions = anon.get("/api/v1/versions").get_json()
    top = versions["versions"][0]
    assert (top["number"], top["changed"], top["note"]) == (new, ["county_lines"], "Task force funding restated")
    assert anon.get(f"/api/v1/versions/{new}").get_json()["number"] == new
    assert anon.get("/api/v1/versions/99999").status_code == 404
    assert anon.get("/api/v1/changes?from=a&to=2").status_code == 400


def test_csvw_metadata_describes_the_csv_at_its_version(dash_app, two_versions):
    _, new = two_versions
    anon = new_client(dash_app)
    res = anon.get("/api/v1/datasets/county_lines.csv-metadata.json")
    assert res.status_code == 200 and res.mimetype == "application/csvm+json"
    meta = json.loads(res.get_data())
    assert meta["@context"][0] == "http://www.w3.org/ns/csvw"
    assert meta["url"] == f"county_lines.csv?version={new}"  # beside the metadata, as CSVW resolves it
    columns = meta["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == list(API_COLUMNS)
    types = {c["name"]: c["datatype"] for c in columns}
    assert types["value"] == "number" and types["period_start"] == "date" and types["note"] == "string"
    assert all(c["titles"] and c["dc:description"] for c in columns)
    listing = {d["name"]: d for d in anon.get("/api/v1/datasets").get_json()["datasets"]}
    assert meta["dc:modified"] == listing["county_lines"]["updated"] and meta["schema:version"] == str(new)
    assert [p["id"] for p in meta["dc:source"]] == listing["county_lines"]["publications"]
    # The CSV it points at has exactly those columns, and every value reads as its type says.
    body = anon.get(f"/api/v1/datasets/{meta['url']}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == [c["name"] for c in columns]
    for r in rows:
        assert r["value"] == "" or float(r["value"]) is not None
        for col in ("period_start", "period_end"):
            assert r[col] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col])
    keys = [tuple(r[k] for k in meta["tableSchema"]["primaryKey"]) for r in rows]
    assert len(keys) == len(set(keys))  # the primary key it declares holds


def test_each_dataset_page_carries_a_schema_org_description(dash_app, two_versions):
    _, new = two_versions
    anon = new_client(dash_app)
    html = anon.get("/data/county_lines").get_data(as_text=True)
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    described = json.loads(found)
    listing = {d["name"]: d for d in anon.get("/api/v1/datasets").get_json()["datasets"]}
    info = listing["county_lines"]
    assert (described["@context"], described["@type"]) == ("https://schema.org", "Dataset")
    assert described["name"] == info["title"] and described["description"] == info["description"]
    assert described["dateModified"] == info["updated"] and described["version"] == str(new)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?", described["temporalCoverage"])
    assert described["license"]  # the setting's address, or a statement that the sources give none
    assert described["distribution"][0]["contentUrl"].endswith(f"/api/v1/datasets/county_lines.csv?version={new}")
    assert "application/ld+json" not in anon.get("/county-lines").get_data(as_text=True)


def test_a_page_its_table_and_its_downloads_come_from_one_version_across_a_publish(dash_app, two_versions):
    """A reader opened the page at the old version; a new one is published before they open a table."""
    old, new = two_versions
    anon = new_client(dash_app)
    drawn_at_old = page(anon, "/county-lines", f"?version={old}")
    assert f'"data": {{"version": "{old}"}}' in drawn_at_old  # the page keeps the version it was drawn from
    table = _open_table(anon, "cl-funding", 1, "/county-lines", drawn={"version": str(old)})
    assert "£1.3m" in words(table) or "1.3" in words(table)
    assert "1.7" not in words(table)
    unpinned = page(anon, "/county-lines")  # drawn from the current version: its files name it
    files = [h for h in hrefs(unpinned) if h.startswith("/export/")]
    assert files and all(f"version={new}" in h for h in files)
