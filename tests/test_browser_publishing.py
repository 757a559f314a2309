"""In real headless Chromium: an analyst signs in, uploads a bad file and reads its errors, uploads the
synthetic next paper, previews the draft and the dashboard drawn from it, and publishes it; a second
server process sharing the database shows the new figures within 2 seconds, and a link pinned to the
first version still shows the old ones."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import DATA_DIR, ROOT
from tests.live_server import free_port, start_gunicorn, stop, wait_until_up
from tests.next_paper import NEW_YEAR, add_next_paper
from tests.test_accessibility import audit

pytestmark = pytest.mark.browser

PASSWORD = "the analyst's long password"


@pytest.fixture(scope="module")
def two_servers():
    """Two gunicorn servers (2 workers each) on one SQLite database, as two machines on one database
    would be; and an analyst made with the README's command."""
    state = Path(tempfile.mkdtemp(prefix="spr-two-servers-"))
    env = {"SPR_STATE_DIR": str(state), "SPR_DATA_DIR": str(DATA_DIR)}
    ports = [free_port(), free_port()]
    first = start_gunicorn(ports[0], env)
    wait_until_up(first, f"http://127.0.0.1:{ports[0]}/api/v1/datasets")  # the first start makes version 1
    second = start_gunicorn(ports[1], env)
    try:
        wait_until_up(second, f"http://127.0.0.1:{ports[1]}/api/v1/datasets")
        for name, role in (("ana", "analyst"), ("chief", "admin")):
            made = subprocess.run(
                [sys.executable, "-m", "web", "users", "add", name, "--role", role, "--password-stdin"],
                cwd=ROOT,
                env={**__import__("os").environ, **env},
                input=PASSWORD + "\n",
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert made.returncode == 0, made.stderr
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        stop(first)
        stop(second)
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def next_paper_files(tmp_path_factory) -> list[Path]:
    """The files the synthetic next paper changes, as an analyst would upload them."""
    folder = tmp_path_factory.mktemp("next") / "tables"
    shutil.copytree(DATA_DIR, folder)
    add_next_paper(folder)
    return [p for p in sorted(folder.glob("*.csv")) if not filecmp.cmp(p, DATA_DIR / p.name, shallow=False)]


def api_periods(base: str, version: str = "") -> set[str]:
    query = f"?version={version}" if version else ""
    with urllib.request.urlopen(f"{base}/api/v1/datasets/rocu_outcomes.json{query}", timeout=10) as res:
        return {r["period"] for r in json.loads(res.read())["rows"]}


def accessible(page) -> None:
    """No axe-core violation on the page as it is now (WCAG 2.2 AA and best practice)."""
    page.wait_for_load_state("networkidle")
    assert audit(page) == [], page.url


def sign_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_an_analyst_publishes_the_next_paper_and_every_server_shows_it(
    browser, two_servers, next_paper_files, tmp_path
):
    a, b = two_servers
    assert NEW_YEAR[0] not in api_periods(b)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)  # axe is let in
    page = context.new_page()

    # Sign in (asked for on the way to the Publish page).
    page.goto(f"{a}/publish")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    accessible(page)
    page.get_by_label("User name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish figures")
    accessible(page)

    # A bad file: every problem listed with its file, line and column; nothing changes.
    bad = tmp_path / "rocu_outcomes.csv"
    text = (DATA_DIR / "rocu_outcomes.csv").read_text(encoding="utf-8").splitlines()
    cells = text[3].split(",")
    cells[8] = "twelve"  # the value column
    text[3] = ",".join(cells)
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("not figures", encoding="utf-8")
    page.get_by_label("CSV files or an Excel workbook").set_input_files([str(bad), str(notes)])
    page.get_by_role("button", name="Check the files").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was changed")
    expect(alert).to_contain_text("rocu_outcomes.csv, line 4, column 'value'")
    expect(alert).to_contain_text("notes.txt: error: is not a CSV file")
    accessible(page)

    # The next paper's files: a draft, previewed figure by figure.
    page.get_by_label("CSV files or an Excel workbook").set_input_files([str(p) for p in next_paper_files])
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft: not published yet")
    expect(page.locator("table")).to_contain_text(NEW_YEAR[0])
    expect(page.get_by_text("figures added", exact=False).first).to_be_visible()
    accessible(page)

    # The dashboard drawn from the draft.
    page.get_by_role("link", name="See the dashboard drawn from this draft").click()
    expect(page.get_by_role("note").filter(has_text="Draft, not published")).to_be_visible()
    accessible(page)
    page.goto(page.url.replace(f"{a}/?", f"{a}/organised-crime?"))
    expect(page.locator("main")).to_contain_text(NEW_YEAR[0])
    assert NEW_YEAR[0] not in api_periods(b)  # a draft is not published
    page.go_back()
    page.get_by_role("link", name="Back to the draft").click()

    # Publish it, with a note.
    page.get_by_label("Note: what this version changes, and why").fill("The synthetic next paper")
    page.get_by_role("button", name="Publish as version 2").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2 is published")
    published = time.monotonic()
    accessible(page)

    # The other server shows it within 2 seconds, with no restart or signal.
    while NEW_YEAR[0] not in api_periods(b):
        assert time.monotonic() - published < 2.0, "the second server did not show the new version within 2 s"
        time.sleep(0.05)
    reached_s = time.monotonic() - published
    print(f"the second server showed version 2 after {reached_s:.2f} s")

    reader = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    reader.goto(f"{b}/organised-crime")
    expect(reader.locator("main")).to_contain_text(NEW_YEAR[0])
    expect(reader.get_by_role("link", name="Sign in")).to_be_visible()
    expect(reader.get_by_role("link", name="Publish")).to_have_count(0)

    # The first version is still one link away, as it was.
    reader.goto(f"{b}/organised-crime?version=1")
    expect(reader.get_by_role("note").filter(has_text="You are looking at version 1")).to_be_visible()
    expect(reader.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    expect(reader.locator("main")).not_to_contain_text(NEW_YEAR[0])
    assert NEW_YEAR[0] not in api_periods(b, "1")
    reader.get_by_role("link", name="See the current version").click()
    expect(reader.locator("main")).to_contain_text(NEW_YEAR[0])
    context.close()


@pytest.mark.parametrize("width", [1366, 375])
def test_the_pages_of_signing_in_publishing_versions_and_marks_are_accessible(browser, two_servers, width):
    """Every new page, signed in and not, with a version that marks a dataset OFFICIAL-SENSITIVE."""
    a, b = two_servers
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, a, "chief")
    latest = json.loads(urllib.request.urlopen(f"{a}/api/v1/versions", timeout=10).read())["current"]
    if width == 1366:  # mark county lines OFFICIAL-SENSITIVE, through the Publish page
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO((DATA_DIR / "datasets.csv").read_text(encoding="utf-8"))))
        for r in rows:
            if r["name"] == "county_lines":
                r["marking"] = "OFFICIAL-SENSITIVE"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path = Path(tempfile.mkdtemp()) / "datasets.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        page.goto(f"{a}/publish")
        page.get_by_label("CSV files or an Excel workbook").set_input_files([str(path)])
        page.get_by_role("button", name="Check the files").click()
        page.get_by_label("Note: what this version changes, and why").fill("County lines marked OFFICIAL-SENSITIVE")
        page.get_by_role("button", name=f"Publish as version {latest + 1}").click()
        expect(page.get_by_role("status")).to_contain_text("is published")
        latest += 1
        time.sleep(1.2)  # the other workers' next look at the database
    for path in (
        "/county-lines",
        "/versions",
        f"/versions/compare?from=1&to={latest}",
        "/admin/users",
        "/admin/audit",
        f"/publish/versions/{latest}",
        "/about",
        "/data/county_lines",
    ):
        page.goto(a + path)
        page.wait_for_selector("h1")
        accessible(page)
    expect(page.locator(".handling-mark").first).to_be_visible()  # on the sensitive dataset's page
    page.goto(f"{a}/county-lines")
    expect(page.locator(".handling-mark-top")).to_have_text("OFFICIAL-SENSITIVE")
    expect(page.locator(".handling-mark-bottom")).to_have_text("OFFICIAL-SENSITIVE")
    page.goto(f"{a}/export/chart/county-lines/cl-funding.csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the download")
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="I understand: download the figures").click()
    assert download.value.suggested_filename.endswith(".csv")
    anon = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
    for path in ("/sign-in", "/versions", "/county-lines"):
        anon.goto(b + path)
        anon.wait_for_selector("h1")
        accessible(anon)
        expect(anon.locator(".handling-mark")).to_have_count(0)
    # the public see that figures are withheld, on the page that would have shown them
    expect(anon.get_by_role("note").filter(has_text="marked OFFICIAL-SENSITIVE")).to_be_visible()
    context.close()
