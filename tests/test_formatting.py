"""Values read as plain English with their qualifier and unit."""

from __future__ import annotations

import math

import pytest

from data.formatting import format_value


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((360, "people", "more than"), "more than 360"),
        ((7, "GBP million", "nearly"), "nearly £7m"),
        ((30.4, "GBP million", "exact"), "£30.4m"),
        ((626.81, "kg", "exact"), "626.81 kg"),
        ((1504, "years", "exact"), "1,504 years"),
        ((1_000_000, "tablets", "approximately"), "about 1,000,000"),
        ((43, "percent change", "exact"), "+43%"),
        ((-36, "percent change", "exact"), "−36%"),
        ((10, "percent of previous year", "approximately"), "about 10%"),
        ((5, "rank", "exact"), "5th"),
        ((3.5, "investigations per week", "exact"), "3.5"),
        ((math.nan, "kg", "not stated"), "Not stated"),
        ((None, "level", "exact", "Severe"), "Severe"),
    ],
)
def test_format_value(args, expected):
    assert format_value(*args) == expected
