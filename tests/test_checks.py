"""Checks on the paper: each rule on small frames written here, then the verdicts on the 2021 paper, the
page, the API route and the caveats beside the charts they concern."""

from __future__ import annotations

import pandas as pd
import pytest

from data import checks
from data.checks import AGREES, DIFFERS, UNCHECKABLE, Pick, run_checks
from data.publications import PubDate, Publication
from data.queries import Filters

PAPER = Publication("p1", "A paper", "A paper", "A force", "A board", "", PubDate(2021, 1), "", "Papers", "")
LATER = Publication("p2", "A paper", "A paper", "A force", "A board", "", PubDate(2022, 1), "", "Papers", "")
Y1 = ("Dec 2018 to Nov 2019", "2018-12-01", "2019-11-30")
Y2 = ("Dec 2019 to Nov 2020", "2019-12-01", "2020-11-30")


def fig(
    dataset,
    measure,
    value=None,
    *,
    breakdown="",
    period=Y2,
    category="C",
    unit="disruptions",
    text="",
    qualifier="exact",
    strand="",
    pub="p1",
    source="para 1",
):
    label, start, end = period
    return {
        "dataset": dataset,
        "measure": measure,
        "category": category,
        "breakdown": breakdown,
        "period": label,
        "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end),
        "force": "West Midlands region",
        "strand": strand,
        "value": float("nan") if value is None else float(value),
        "value_text": text,
        "unit": unit,
        "qualifier": qualifier if value is not None or text else "not stated",
        "derived": "no",
        "series_break": "",
        "publication": pub,
        "source": source,
        "source_type": "paper",
        "note": "",
        "revised_from": "",
    }


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def run(rule, rows, pubs=(PAPER,)):
    return [r for r in run_checks(frame(*rows), None, {p.id: p for p in pubs}, rules=(rule,))]


PARTS = checks.PartsMatchTotal(
    id="t",
    title="t",
    description="",
    parts=Pick("outcomes", category="Strands"),
    whole=Pick("disruptions", measure="SOC disruptions"),
    parts_name="the strands",
    whole_name="lead and support",
)


def test_parts_against_a_total_differ_by_the_gap():
    rows = [
        fig("outcomes", "Disruptions", 700, category="Strands", strand="Pursue", source="para 88"),
        fig("outcomes", "Disruptions", 441, category="Strands", strand="Prevent", source="para 88"),
        fig("disruptions", "SOC disruptions", 691, breakdown="lead", source="para 86"),
        fig("disruptions", "SOC disruptions", 451, breakdown="support", source="para 86"),
    ]
    (result,) = run(PARTS, rows)
    assert (result.verdict.kind, result.verdict.difference, result.verdict.label) == (DIFFERS, 1, "Differs by 1")
    assert "the strands add up to 1,141 (para 88), but lead and support add up to 1,142 (691 + 451, para 86)" in (
        result.verdict.text
    )
    assert result.paragraphs == "paras 86, 88"


def test_parts_against_a_total_agree_and_need_a_common_period():
    rows = [
        fig("outcomes", "Disruptions", 1142, category="Strands", strand="Pursue"),
        fig("disruptions", "SOC disruptions", 691, breakdown="lead"),
        fig("disruptions", "SOC disruptions", 451, breakdown="support"),
    ]
    assert run(PARTS, rows)[0].verdict.kind == AGREES
    rows[0] = fig("outcomes", "Disruptions", 1142, category="Strands", strand="Pursue", period=Y1)
    assert run(PARTS, rows)[0].verdict.kind == UNCHECKABLE
    assert run(PARTS, [fig("elsewhere", "Other", 1)]) == []  # the rule does not apply


STATED = checks.StatedChange(
    id="s",
    title="s",
    description="",
    stated=Pick("disruptions", measure="Change"),
    figures=Pick("disruptions", measure="SOC disruptions"),
)


def test_a_stated_change_is_worked_out_again_from_both_years():
    rows = [
        fig("disruptions", "SOC disruptions", 483, breakdown="lead", period=Y1),
        fig("disruptions", "SOC disruptions", 691, breakdown="lead"),
        fig("disruptions", "Change", 43, breakdown="lead", unit="percent change"),
    ]
    (result,) = run(STATED, rows)
    assert result.verdict.kind == AGREES and "483 to 691 is +43.1%" in result.verdict.text
    rows[2] = fig("disruptions", "Change", 40, breakdown="lead", unit="percent change")
    (result,) = run(STATED, rows)
    assert result.verdict.kind == DIFFERS and result.verdict.difference == pytest.approx(3.06, abs=0.01)


def test_a_stated_change_without_the_earlier_figure_cannot_be_checked_and_a_later_paper_can_use_an_earlier_one():
    rows = [
        fig("disruptions", "SOC disruptions", 691, breakdown="lead"),
        fig("disruptions", "Change", 43, breakdown="lead", unit="percent change"),
    ]
    assert run(STATED, rows)[0].verdict.kind == UNCHECKABLE
    later = [
        *rows,
        fig(
            "disruptions",
            "SOC disruptions",
            760,
            breakdown="lead",
            period=("Dec 2020 to Nov 2021", "2020-12-01", "2021-11-30"),
            pub="p2",
        ),
        fig(
            "disruptions",
            "Change",
            10,
            breakdown="lead",
            unit="percent change",
            period=("Dec 2020 to Nov 2021", "2020-12-01", "2021-11-30"),
            pub="p2",
        ),
    ]
    by_pub = {r.publication.id: r for r in run(STATED, later, pubs=(PAPER, LATER))}
    assert by_pub["p2"].verdict.kind == AGREES
    assert "(the earlier figure from another publication)" in by_pub["p2"].verdict.text


WORDS = checks.ChangeWord(
    id="w",
    title="w",
    description="",
    words=Pick("disruptions", measure="Described"),
    stated=Pick("disruptions", measure="Change"),
)


@pytest.mark.parametrize(
    ("said", "change", "kind"),
    [
        ("A small decrease", -36, DIFFERS),
        ("A small decrease", -6, AGREES),
        ("An increase", 43, AGREES),
        ("An increase", -5, DIFFERS),
        ("A significant increase", 4, DIFFERS),
        ("A slight fall", -3, AGREES),
    ],
)
def test_the_words_for_a_change_against_its_size(said, change, kind):
    rows = [
        fig("disruptions", "Described", breakdown="support", unit="statement", text=said),
        fig("disruptions", "Change", change, breakdown="support", unit="percent change"),
    ]
    (result,) = run(WORDS, rows)
    assert result.verdict.kind == kind, result.verdict.text


LISTS = checks.SameList(
    id="l",
    title="l",
    description="",
    first=Pick("ct", measure="First list"),
    second=Pick("ct", measure="Second list"),
)


def test_two_lists_of_names():
    a = fig("ct", "First list", unit="statement", text="Birmingham, Walsall and Coventry", source="para 47")
    b = fig(
        "ct", "Second list", unit="statement", text="Birmingham, Walsall, Coventry and Stoke on Trent", source="para 50"
    )
    (result,) = run(LISTS, [a, b])
    assert (result.verdict.kind, result.verdict.difference) == (DIFFERS, 1)
    assert result.verdict.text == "para 50 also names Stoke on Trent."
    same = fig("ct", "Second list", unit="statement", text="Coventry, Walsall and Birmingham", source="para 50")
    assert run(LISTS, [a, same])[0].verdict.kind == AGREES


DIFFERENCE = checks.StatedDifference(
    id="d",
    title="d",
    description="",
    stated=Pick("out", category="Stated changes"),
    figures=Pick("out"),
)


@pytest.mark.parametrize(
    ("said", "qualifier", "stated", "kind"),
    [
        ("Rise", "over", 500, AGREES),
        ("Rise", "over", 600, DIFFERS),
        ("Rise", "exact", 525.05, AGREES),
        ("Rise", "nearly", 530, AGREES),
        ("Rise", "nearly", 700, DIFFERS),
        ("Fall", "over", 500, DIFFERS),  # the figures rose: a stated fall does not fit
    ],
)
def test_a_stated_rise_or_fall_against_the_table(said, qualifier, stated, kind):
    rows = [
        fig("out", "Cocaine seized", 101.76, unit="kg", period=Y1),
        fig("out", "Cocaine seized", 626.81, unit="kg"),
        fig(
            "out",
            f"{said} in cocaine seized on previous year",
            stated,
            unit="kg",
            qualifier=qualifier,
            category="Stated changes",
        ),
    ]
    (result,) = run(DIFFERENCE, rows)
    assert result.verdict.kind == kind
    assert "626.81 kg against 101.76 kg is a rise of 525.05 kg" in result.verdict.text
    assert f"Stated: a {said.lower()} of " in result.verdict.text


def test_a_stated_fall_that_fits():
    rows = [
        fig("out", "Cocaine seized", 626.81, unit="kg", period=Y1),
        fig("out", "Cocaine seized", 310.45, unit="kg"),
        fig(
            "out",
            "Fall in cocaine seized on previous year",
            300,
            unit="kg",
            qualifier="over",
            category="Stated changes",
        ),
    ]
    (result,) = run(DIFFERENCE, rows)
    assert result.verdict.kind == AGREES and "is a fall of 316.36 kg" in result.verdict.text
    assert checks.stated_difference("Rise in ammunition seized on previous year") == (1, "Ammunition seized")
    assert checks.stated_difference("Ammunition seized") is None


def test_each_publication_is_checked_on_its_own_statements_even_after_a_restatement():
    rows = [
        fig("ct", "First list", unit="statement", text="A and B"),
        fig("ct", "Second list", unit="statement", text="A and B"),
    ]
    restated = fig("ct", "Second list", unit="statement", text="A, B and C", pub="p2")
    history = frame(rows[1])
    results = run_checks(frame(rows[0], restated), history, {"p1": PAPER, "p2": LATER}, rules=(LISTS,))
    by_pub = {r.publication.id: r.verdict.kind for r in results}
    assert by_pub == {"p2": UNCHECKABLE, "p1": AGREES}


# --- the 2021 paper --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def verdicts(store):
    return {r.rule.id: r for r in run_checks(store.frame, store.history, store.publications)}


def test_the_2021_paper_checked_against_itself(verdicts):
    strands = verdicts["strands-against-lead-and-support"]
    assert (strands.verdict.kind, strands.verdict.difference) == (DIFFERS, 1)
    assert "1,141 (para 88)" in strands.verdict.text and "1,142 (691 + 451, para 86)" in strands.verdict.text
    assert verdicts["stated-change-in-disruptions"].verdict.kind == UNCHECKABLE  # no earlier lead or support count
    words = verdicts["words-for-the-changes"].verdict
    assert words.kind == DIFFERS and "'small' is used of a change of 36%" in words.caveat
    assert "An increase" not in words.caveat  # the caveat says only what differs
    areas = verdicts["prevent-priority-areas"].verdict
    assert (areas.kind, areas.text) == (DIFFERS, "para 50 also names Stoke on Trent.")
    cocaine = verdicts["stated-rise-in-cocaine"].verdict
    assert cocaine.kind == AGREES and "Stated: a rise of over 500 kg in cocaine seized" in cocaine.text
    assert "is a rise of 525.05 kg" in cocaine.text
    for rule in ("totals-operation-venetic", "totals-rocu-funding", "totals-rocu-capabilities", "totals-ct-contest"):
        assert verdicts[rule].verdict.kind == AGREES, rule


def test_a_check_that_differs_is_a_caveat_beside_its_chart(store):
    from sections import BY_SLUG, section_charts

    charts = {c.key: c for c in section_charts(BY_SLUG["organised-crime"], store, Filters())}
    assert any(
        "Check on the paper (SPR update to the board, January 2021, paras 86, 88)" in c
        for c in charts["rocu-disruptions"].caveats
    )
    assert any("'small' is used of a change of 36%" in c for c in charts["rocu-lead-support"].caveats)
    assert not any("Check on the paper" in c for c in charts["rocu-justice"].caveats)
    prevent = {c.key: c for c in section_charts(BY_SLUG["counter-terrorism"], store, Filters())}["ct-prevent"]
    assert any("Stoke on Trent" in c for c in prevent.caveats)


def test_the_checks_page_and_api(client):
    from web.page_cache import router_request

    page = client.post("/_dash-update-component", data=router_request("/checks"), content_type="application/json")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Checks on the paper" in text
    assert "Differs by 1" in text and "Cannot be checked from the paper" in text and "Agrees" in text
    body = client.get("/api/v1/checks").get_json()
    found = {(c["publication"], c["rule"]): c for c in body["checks"]}
    strands = found[("spr-2021-01", "strands-against-lead-and-support")]
    assert (strands["verdict"], strands["difference"], strands["paragraphs"]) == ("differs", 1, "paras 86, 88")
    assert any("Pursue" in f and "815" in f for f in strands["figures"])


def test_the_publications_api(client, store):
    pubs = client.get("/api/v1/publications").get_json()["publications"]
    assert len(pubs) == len(store.publications)
    paper = next(p for p in pubs if p["id"] == "spr-2021-01")
    assert (paper["board"], paper["date"]) == ("Strategic Policing and Crime Board", "2021-01")
    dates = [p["date"] for p in pubs]
    assert dates[0] >= dates[-1]  # latest first
