"""Words that say only what the sources say: each kind of over-statement found on screen, checked everywhere
the dashboard writes (every chart's title, summary, caveats, tiles and points, under several filters)."""

from __future__ import annotations

import re

import pytest

from data.queries import Filters

FILTERS = [
    Filters(),
    Filters(strand="Pursue"),
    Filters(force="West Midlands region"),
    Filters(period="Dec 2019 to Nov 2020"),
]


@pytest.fixture(scope="module")
def words(store) -> list[tuple[str, str]]:
    """(chart key, a sentence it shows) for every chart of every section under every filter above."""
    from sections import SECTIONS, section_charts

    out = []
    for filters in FILTERS:
        for section in SECTIONS:
            for chart in section_charts(section, store, filters):
                texts = [chart.title, chart.summary, *chart.caveats, *chart.points]
                for t in chart.tiles:
                    texts += [t.label, t.value, t.period, t.change, t.caveat, t.previous]
                out += [(chart.key, t) for t in texts if t]
    return out


def test_no_period_or_sentence_is_relative_to_the_paper(words):
    assert not [(k, t) for k, t in words if "paper's date" in t]


def test_no_word_the_paper_does_not_use(words):
    # Para 16 gives "25 arrests"; it does not call them terrorism arrests.
    assert not [(k, t) for k, t in words if re.search(r"\bterrorism arrests\b", t, re.I)]


def test_every_computed_change_is_marked_and_every_stated_one_is_marked_as_stated(words):
    computed = re.compile(r"((▲ up|▼ down|\brose|\bfell) \d+%|-fold|little change|barely changed)")
    unmarked = [
        (k, t)
        for k, t in words
        if computed.search(t) and "(our calculation)" not in t and "as stated in the paper" not in t
    ]
    assert not unmarked, unmarked[:5]


def test_a_cause_given_for_one_figure_is_not_applied_to_others(words):
    # Para 87 explains the fall in support disruptions only: the strand table is compared, not skipped.
    assert not [
        (k, t) for k, t in words if "because recording changed" in t or "recorded differently in the later year" in t
    ]
    strands = [t for k, t in words if k == "rocu-disruptions" and "Changes on the period before" in t]
    assert strands and all("(our calculation)" in t for t in strands)


def test_no_date_the_paper_does_not_give(client):
    from web.page_cache import router_request

    about = client.post("/_dash-update-component", data=router_request("/about"), content_type="application/json")
    assert "from December 2019" not in about.get_data(as_text=True)


def test_a_worked_out_figure_never_starts_a_headline(words):
    gb = [
        t for k, t in words if k == "ct-gb-arrests" and t.startswith("Terrorism-related arrests in Great Britain fell")
    ]
    assert gb and all("from 280 in 2019" in t for t in gb)  # 2018's 282 is worked out from "two fewer"


def test_rankings_are_over_like_for_like_sets(words):
    # The regions' own reports are not a league table: the title gives the figure, not a rank.
    titles = [t for k, t in words if k == "venetic-regions" and t.startswith("By ")]
    assert titles and not [t for t in titles if re.search(r"\b(most|second|third|fourth|fifth|sixth)\b", t)]
    assert "By 2 July 2020 the West Midlands region had made 43 arrests; 6 regions reported figures" in titles
    assert any("Greater Manchester Police" in t and "left out" in t for k, t in words if k == "venetic-regions")


def test_dated_statements_are_in_the_past_tense(words):
    titles: dict[str, str] = {}
    for k, t in words:  # the first sentence of each chart is its title with no filters
        titles.setdefault(k, t)
    assert titles["ct-threat"] == "The UK terrorism threat level was Severe from 3 November 2020"
    assert " is Severe" not in titles["ct-threat"]
    assert "reported" in titles["cl-results"]


def test_counts_name_what_they_count(words):
    context = [t for k, t in words if k.startswith("cl-context")]
    assert context and all("public source" in t for t in context if ":" in t and "figure" in t)
    assert not [t for t in context if "dated report" in t]


def test_qualifiers_keep_the_sources_own_word(words):
    joined = " ".join(t for _, t in words)
    assert "in excess of 59 young people safeguarded" in joined
    assert "over 360 people arrested" in joined
    assert "an estimated 75" in joined
    assert "more than 360" not in joined
