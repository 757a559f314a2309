"""A second paper proves it: the synthetic next paper (``tests/next_paper.py``), added as the README says,
is the latest year everywhere, compared with the year before, and its restated figure shows as revised."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from data.files import FolderFiles
from data.loader import load_store
from exports.tables import CSV_PREAMBLE_LINES
from tests.conftest import DATA_DIR
from tests.next_paper import add_next_paper
from web.page_cache import router_request

NEW = "Dec 2020 to Nov 2021"
OLD = "Dec 2019 to Nov 2020"
CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def next_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("next") / "tables"
    shutil.copytree(DATA_DIR, folder)
    add_next_paper(folder)
    return folder


@pytest.fixture(scope="module")
def served(dash_app, next_folder):
    """The app serving the next paper, published as a new version (checked to draw everywhere first); at
    the end the version before is published again (a rollback), so later tests see the 2021 paper."""
    import app

    svc = dash_app.server.extensions["spr"]
    assert not app.drawing_problems_everywhere(dash_app, load_store(next_folder)), "the next paper must draw"
    base = svc.versions.latest()
    svc.versions.publish(FolderFiles(next_folder).read_all(), "test", "The synthetic next paper", base)
    svc.library.refresh_now()
    yield svc.library.store(svc.library.current(), sensitive=False)
    svc.versions.republish(base, "test", "Back to the 2021 paper", svc.versions.latest())
    svc.library.refresh_now()


@pytest.fixture()
def web(dash_app, served):
    return dash_app.server.test_client()


def page(web, path: str, search: str = "") -> str:
    res = web.post(CALLBACK, data=router_request(path, search), content_type="application/json")
    assert res.status_code == 200
    return json.dumps(res.get_json(), ensure_ascii=False)  # "▲", not "\u25b2"


def test_the_recipe_validates_and_the_new_year_is_latest(served):
    assert (
        served.periods("rocu_outcomes")[-3:] == [OLD, "At January 2021", NEW]
        or served.periods("rocu_outcomes")[-1] == NEW
    )
    table = served.dataset("rocu_outcomes")
    assert (table["period"] == NEW).sum() == 16  # the 15 of the table and the stated rise
    assert served.catalogue["rocu_outcomes"].as_at.label == "January 2022"


def test_the_restated_figure_is_shown_as_revised(served, web):
    rows = served.dataset("rocu_outcomes")
    (arrested,) = rows[(rows["measure"] == "Arrested") & (rows["period"] == OLD)].itertuples()
    assert arrested.value == 562 and arrested.publication == "synthetic-2022-01"
    assert arrested.revised_from == "revised from 560 (SPR update to the board, January 2021)"
    api = web.get("/api/v1/datasets/rocu_outcomes.json").get_json()["rows"]
    (row,) = [r for r in api if r["measure"] == "Arrested" and r["period"] == OLD]
    assert (row["value"], row["revised_from"]) == (562, "revised from 560 (SPR update to the board, January 2021)")
    # The same caseload restated with the same figure is not called a revision.
    caps = served.dataset("rocu_capabilities")
    same = caps[
        (caps["measure"] == "SOCU investigations")
        & (caps["breakdown"] == "Total")
        & (caps["period"] == "At January 2021")
    ]
    assert same["revised_from"].tolist() == [""]


def test_every_page_says_how_old_its_figures_are(web):
    for path in ("/", "/organised-crime", "/venetic", "/county-lines", "/counter-terrorism", "/about"):
        text = page(web, path)
        assert "Figures as at January 2022 (SYNTHETIC Strategic Policing Requirement update (test data)" in text, path
        assert "Next update: January 2023." in text, path


def test_overview_tiles_and_what_changed_most_show_the_new_year(web):
    text = page(web, "/")
    assert f'"{NEW}"' in text  # the tiles' period
    assert f"{OLD}: 562" in text  # the year before, as restated
    assert "People arrested fell" not in text or "(our calculation) to 610" in text
    assert f"What changed most: {NEW} against {OLD}" in text
    # The biggest rise that moved by at least 10: Prevent disruptions, 133 to 150 (Prepare's 12 to 14 does not lead).
    assert "Biggest rises: Prevent disruptions rose 13% (our calculation) to 150" in text
    assert "Prepare disruptions rose" not in text
    assert "▲ up 10% on the period before (as stated in the paper)" in text  # lead disruptions, para 88


def test_chart_titles_summaries_and_series_show_all_three_years(served, web):
    from data.queries import Filters
    from sections import BY_SLUG, section_charts

    charts = {c.key: c for c in section_charts(BY_SLUG["organised-crime"], served, Filters())}
    justice = charts["rocu-justice"]
    assert justice.title == "People arrested rose 9% (our calculation) to 610; the others rose too"
    assert f"Figures for Dec 2018 to Nov 2019, {OLD} and {NEW}" in justice.summary
    assert "People arrested: 765, then 562, then 610" in justice.summary
    assert [t.name for t in justice.figure.data] == ["Dec 2018 to Nov 2019", OLD, NEW]
    assert any("revised from 560" in c for c in justice.caveats)
    drugs = charts["rocu-drugs"]
    assert any(
        "The paper states a rise of over 70 kg in cocaine seized" in c and "its table gives a rise of 73.69 kg" in c
        for c in drugs.caveats
    )
    socu = charts["rocu-socu"]
    assert socu.title == (
        "The serious organised crime caseload rose to 60 investigations at January 2022, from 54 at January 2021"
    )
    lead = charts["rocu-lead-support"]
    assert lead.title.startswith(f"In {NEW} the unit's disruptions: lead 760, support 480")
    venetic = {c.key: c for c in section_charts(BY_SLUG["venetic"], served, Filters())}
    # 72 x 2 led and 9 x 3 supported: 171 arrests to January 2022, 144 of them led.
    assert venetic["venetic-outcomes"].title == (
        "To January 2022: 171 people arrested and 1,257 kg of cocaine seized; the regional unit led on 144 of the arrests"
    )
    cl = {c.key: c for c in section_charts(BY_SLUG["county-lines"], served, Filters())}
    assert cl["cl-results"].title == (
        "The task force reported over 500 people arrested, in excess of 80 young people safeguarded, "
        "over 130 county lines closed (To January 2022)"
    )
    ct = {c.key: c for c in section_charts(BY_SLUG["counter-terrorism"], served, Filters())}
    assert (
        ct["ct-pursue"].title == "Pursue, 1 Apr 2021 to 5 Dec 2021: 30 arrests, 11 convictions and 6 recalls to prison"
    )


def test_the_table_shows_the_new_year_and_the_revision(web):
    from tests.test_serving import _open_table

    res = _open_table(web, "rocu-justice", 1, "/organised-crime")
    table = res.get_data(as_text=True)
    assert res.status_code == 200
    assert NEW in table and "Revised from 560 (SPR update to the board, January 2021)." in table


def test_meeting_mode_shows_the_new_year(web):
    text = page(web, "/present/organised-crime-5")
    assert "People arrested rose 9% (our calculation) to 610" in text


def test_chart_exports_carry_the_new_year(web):
    res = web.get("/export/chart/organised-crime/rocu-justice.csv")
    lines = res.get_data(as_text=True).splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[CSV_PREAMBLE_LINES:]))))
    assert {r["period"] for r in rows} == {"Dec 2018 to Nov 2019", OLD, NEW}
    assert "SYNTHETIC SPR update, January 2022, para 90" in lines[2]
    wb = load_workbook(io.BytesIO(web.get("/export/chart/organised-crime/rocu-justice.xlsx").data))
    header = [c.value for c in wb["Data"][1]]
    periods = {dict(zip(header, [c.value for c in r], strict=True))["period"] for r in wb["Data"].iter_rows(min_row=2)}
    assert NEW in periods


def test_the_board_pack_leads_with_the_new_paper(web):
    prs = Presentation(io.BytesIO(web.get("/export/pack.pptx?section=organised-crime").data))
    cover = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert cover.index("SYNTHETIC Strategic Policing Requirement update") < cover.index(
        "Strategic Policing Requirement update (January 2021)"
    )
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "People arrested rose 9% (our calculation) to 610; the others rose too" in titles


def test_the_checks_run_on_the_new_paper_too(web):
    checks = web.get("/api/v1/checks").get_json()["checks"]
    new = {c["rule"]: c for c in checks if c["publication"] == "synthetic-2022-01"}
    # Now both years of lead and support disruptions are there: 691 to 760 is +10.0%, as stated.
    assert new["stated-change-in-disruptions"]["verdict"] == "agrees"
    assert new["words-for-the-changes"]["verdict"] == "agrees"
    assert new["stated-rise-in-cocaine"]["verdict"] == "agrees"
    old = {c["rule"]: c for c in checks if c["publication"] == "spr-2021-01"}
    assert old["strands-against-lead-and-support"]["verdict"] == "differs"
