"""Values read as plain English with their qualifier and unit."""

from __future__ import annotations

import math

import pytest

from data.formatting import format_value, paragraph_range


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((360, "people", "more than"), "more than 360"),
        ((360, "people", "over"), "over 360"),
        ((59, "people", "in excess of"), "in excess of 59"),
        ((75, "arrests", "estimated"), "an estimated 75"),
        ((50, "lines", "about"), "about 50"),
        ((200, "arrests", "almost"), "almost 200"),
        ((7, "GBP million", "nearly"), "nearly £7m"),
        ((30.4, "GBP million", "exact"), "£30.4m"),
        ((626.81, "kg", "exact"), "626.81 kg"),
        ((1504, "years", "exact"), "1,504 years"),
        ((1_000_000, "tablets", "around"), "around 1,000,000"),
        ((43, "percent change", "exact"), "+43%"),
        ((-36, "percent change", "exact"), "−36%"),
        ((10, "percent of previous year", "approximately"), "approximately 10%"),
        ((5, "rank", "exact"), "5th"),
        ((3.5, "investigations per week", "exact"), "3.5 a week"),
        ((1070, "rounds", "exact"), "1,070 rounds"),
        ((math.nan, "kg", "not stated"), "Not stated"),
        ((None, "level", "exact", "Severe"), "Severe"),
    ],
)
def test_format_value(args, expected):
    assert format_value(*args) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["para 98", "para 97"], "paras 97–98"),
        (["para 10", "para 11", "para 12", "para 14"], "paras 10–12, 14"),
        (["paras 86-87", "para 88"], "paras 86–88"),
        (["paras 47, 50"], "paras 47, 50"),
        (["para 124"], "para 124"),
        (["https://www.gov.uk/x"], ""),
    ],
)
def test_paragraph_range(sources, expected):
    assert paragraph_range(sources) == expected


def test_group_sources():
    from data.formatting import group_sources

    paras, sites = group_sources(
        ["para 98", "https://www.gov.uk/a", "para 97", "https://gov.uk/b", "https://itv.com/x", "para 98"]
    )
    assert paras == "paras 97–98"
    assert sites == {"gov.uk": ["https://www.gov.uk/a", "https://gov.uk/b"], "itv.com": ["https://itv.com/x"]}
    assert group_sources(["para 88"]) == ("para 88", {})
