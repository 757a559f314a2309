"""Filters held in the URL, filtering, period order, filter options and year-on-year wording.

Every frame here is written in the test (``tests.frames``), never read from the shipped data.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import pytest

from data import schema
from data.queries import (
    ALL,
    MIN_BASE_BY_UNIT,
    MIN_BASE_FOR_PERCENT,
    NO_PERCENT_UNITS,
    OUR_CALCULATION,
    Change,
    Filters,
    apply_filters,
    biggest_changes,
    changes_by_series,
    compare_latest,
    describe_change,
    filter_options,
    min_base,
    ordered_periods,
    percent_text,
    text_equals,
    why_empty,
)
from tests.frames import EARLIER, LATER, PERIODS, frame, row

REGION_AND_FORCES = list(schema.FORCES[:5])
BEFORE = PERIODS[EARLIER]
AFTER = PERIODS[LATER]
BREAK_NOTE = (
    "Lead and support together. The way support activity is recorded changed, so the figures are not comparable."
)


def year(first: int) -> dict[str, str]:
    """A financial year's label and dates: year(2019) is 2019/20, April 2019 to March 2020."""
    return {"period": f"{first}/{first - 2000 + 1}", "start": f"{first}-04-01", "end": f"{first + 1}-03-31"}


def two_periods(before: float | None, after: float | None, unit: str = "people", **later) -> pd.DataFrame:
    """One measure in Dec 2018 to Nov 2019 then Dec 2019 to Nov 2020 (``later`` goes on the second row)."""
    return frame(row(value=before, unit=unit, **BEFORE), row(value=after, unit=unit, **{**AFTER, **later}))


def parse_search(search: str) -> dict[str, list[str]]:
    assert search.startswith("?")
    return parse_qs(search[1:], keep_blank_values=True, strict_parsing=True)


# --- Filters in the URL ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"period": EARLIER},
        {"strand": "Pursue"},
        {"force": "West Midlands Police"},
        {"period": "2023/24", "strand": "Prevent", "force": "England and Wales"},
        {"period": "Operation to the paper's date", "force": "West Mercia"},
        {"period": "Lead & support 100% (a+b=c)?", "strand": "Protect"},
    ],
)
def test_filters_round_trip_through_query_string(query):
    filters = Filters.from_query(query)
    for key, value in query.items():
        assert getattr(filters, key) == value
    parsed = parse_search(filters.to_search())
    assert parsed == {k: [v] for k, v in query.items()}
    assert Filters.from_query(parsed) == filters


def test_filters_default_to_all():
    assert Filters.from_query({}) == Filters(ALL, ALL, ALL)
    assert Filters() == Filters(period=ALL, strand=ALL, force=ALL)


@pytest.mark.parametrize("value", ["all", "", "   ", None, [], ()])
def test_filters_all_blank_none_or_empty_list_mean_all(value):
    filters = Filters.from_query({"period": value, "strand": value, "force": value})
    assert filters == Filters()
    assert filters.to_search() == ""


def test_filters_take_first_of_a_list_and_strip_spaces():
    filters = Filters.from_query({"period": ["2019/20", "2020/21"], "strand": ("Pursue",), "force": "  Staffordshire "})
    assert filters == Filters(period="2019/20", strand="Pursue", force="Staffordshire")


def test_filters_ignore_unknown_keys():
    assert Filters.from_query({"colour": "red", "strand": "Prepare"}) == Filters(strand="Prepare")


def test_to_search_empty_when_nothing_set():
    assert Filters().to_search() == ""
    assert Filters(ALL, ALL, ALL).to_search() == ""


def test_to_search_only_set_values_in_fixed_order():
    assert Filters(strand="Pursue").to_search() == "?strand=Pursue"
    assert Filters(force="Warwickshire", period="2020").to_search() == "?period=2020&force=Warwickshire"


def test_to_search_encodes_spaces_and_ampersands():
    search = Filters(period="Dec 2019 to Nov 2020", force="A & B=C").to_search()
    assert " " not in search
    assert search.count("&") == 1  # only the separator; the '&' in the value is encoded
    assert "%26" in search and "%3D" in search
    assert parse_search(search) == {"period": ["Dec 2019 to Nov 2020"], "force": ["A & B=C"]}


# --- apply_filters and text_equals ------------------------------------------------------------


@pytest.fixture()
def mixed() -> pd.DataFrame:
    # Two periods, strands and forces mixed, to check each filter and combinations.
    earlier = year(2018)
    return frame(
        row(measure="A", strand="Pursue", force="West Midlands Police", **earlier),
        row(measure="B", strand="Prevent", force="West Midlands Police", **earlier),
        row(measure="C", strand="Pursue", force="Staffordshire", **year(2019)),
        row(measure="D", strand="", force="West Midlands region", **year(2019)),
        row(measure="E", strand="Prevent", force="Staffordshire", **year(2019)),
    )


@pytest.fixture()
def outcomes() -> pd.DataFrame:
    """Regional outcomes in two periods, with disruptions split by strand (figures as in a board paper)."""
    rows = []
    for strand, before, after in (("Pursue", 726, 815), ("Prevent", 261, 133)):
        rows.append(row(measure="Disruptions", category="Disruptions by strand", strand=strand, value=before, **BEFORE))
        rows.append(row(measure="Disruptions", category="Disruptions by strand", strand=strand, value=after, **AFTER))
    for measure, before, after in (("Arrested", 765, 560), ("Charged", 336, 209)):
        rows.append(row(measure=measure, value=before, **BEFORE))
        rows.append(row(measure=measure, value=after, **AFTER))
    return frame(*rows)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["A", "B", "C", "D", "E"]),
        (Filters(period="2018/19"), ["A", "B"]),
        (Filters(period="2019/20"), ["C", "D", "E"]),
        (Filters(strand="Pursue"), ["A", "C"]),
        (Filters(strand="Prevent"), ["B", "E"]),
        (Filters(force="Staffordshire"), ["C", "E"]),
        (Filters(force="West Midlands region"), ["D"]),
        (Filters(period="2019/20", strand="Prevent"), ["E"]),
        (Filters(strand="Pursue", force="West Midlands Police"), ["A"]),
        (Filters(period="2018/19", strand="Prevent", force="West Midlands Police"), ["B"]),
        (Filters(period="2018/19", force="Staffordshire"), []),
        (Filters(period="2030/31"), []),
        (Filters(strand="Protect"), []),
    ],
)
def test_apply_filters(mixed, filters, expected):
    assert apply_filters(mixed, filters)["measure"].tolist() == expected


def test_apply_filters_keeps_columns_dtypes_and_index(mixed):
    result = apply_filters(mixed, Filters(strand="Pursue"))
    assert list(result.columns) == list(schema.FRAME_COLUMNS)
    assert result.index.tolist() == [0, 2]
    assert isinstance(result["force"].dtype, pd.CategoricalDtype)


def test_apply_filters_period(outcomes):
    result = apply_filters(outcomes, Filters(period=LATER))
    assert len(result) == 4
    assert set(result["period"]) == {LATER}
    assert result.loc[result["measure"] == "Arrested", "value"].tolist() == [560]


def test_apply_filters_strand(outcomes):
    result = apply_filters(outcomes, Filters(strand="Pursue"))
    assert sorted(result["value"].tolist()) == [726, 815]
    assert set(result["measure"]) == {"Disruptions"}


def test_apply_filters_strand_and_period(outcomes):
    result = apply_filters(outcomes, Filters(period=EARLIER, strand="Prevent"))
    assert result["value"].tolist() == [261]


def test_apply_filters_force_among_several():
    rows = frame(
        row(force="England and Wales", value=6287, **year(2019)),
        row(force="West Midlands region", value=580, **year(2019)),
        row(force="England and Wales", value=5737, **year(2018)),
    )
    result = apply_filters(rows, Filters(force="England and Wales"))
    assert result["value"].tolist() == [6287, 5737]
    assert set(result["force"].astype(str)) == {"England and Wales"}
    both = apply_filters(rows, Filters(period="2019/20", force="England and Wales"))
    assert both["value"].tolist() == [6287]


def test_apply_filters_force_absent(outcomes):
    assert apply_filters(outcomes, Filters(force="Staffordshire")).empty


def test_text_equals_on_categoricals_and_text():
    rows = frame(row(force="Staffordshire"), row(force="Warwickshire"), row(force="Staffordshire"))
    rows.index = [10, 20, 30]
    hits = text_equals(rows["force"], "Staffordshire")
    assert hits.tolist() == [True, False, True]
    assert hits.index.tolist() == [10, 20, 30]
    # A category the rows no longer use, and one never seen, match nothing.
    assert not text_equals(rows["force"].iloc[[0, 2]], "Warwickshire").any()
    assert not text_equals(rows["force"], "Kent").any()
    # Plain text columns compare as text.
    assert text_equals(rows["measure"], "Arrested").all()
    assert text_equals(pd.Series([2019, 2020]), "2020").tolist() == [False, True]


def test_text_equals_missing_value_matches_nothing():
    series = pd.Series(pd.Categorical(["Pursue", None, "Prevent"]))
    assert text_equals(series, "Pursue").tolist() == [True, False, False]
    assert not text_equals(series, "nan").any()


# --- ordered_periods --------------------------------------------------------------------------


def test_ordered_periods_by_end_then_start_then_label_undated_last():
    # Rows out of order, shared end dates, an open-ended period and an undated one.
    rows = frame(
        row(period="2020/21", start="2020-04-01", end="2021-03-31"),
        row(period="At the paper's date", start="", end=""),
        row(period="2019 calendar", start="2019-01-01", end="2019-12-31"),
        row(period="2019/20", start="2019-04-01", end="2020-03-31"),
        row(period="Apr to Jun 2019", start="2019-04-01", end="2019-06-30"),
        row(period="2020/21", start="2020-04-01", end="2021-03-31"),
        row(period="Since Apr 2019", start="2019-04-01", end=""),
        row(period="Jan 2019 to Mar 2020", start="2019-01-01", end="2020-03-31"),
        row(period="Q1 2020 (b)", start="2020-01-01", end="2020-03-31"),
        row(period="Q1 2020 (a)", start="2020-01-01", end="2020-03-31"),
    )
    assert ordered_periods(rows) == [
        "Apr to Jun 2019",
        "2019 calendar",
        "Jan 2019 to Mar 2020",  # same end as 2019/20 and Q1 2020, earliest start
        "2019/20",
        "Q1 2020 (a)",  # same dates: by label
        "Q1 2020 (b)",
        "2020/21",
        "Since Apr 2019",  # no end
        "At the paper's date",  # no dates at all
    ]


def test_ordered_periods_latest_is_the_one_that_ends_last():
    # A long period that began first but ends last is the latest, not the short one inside it.
    rows = frame(
        row(period="Jan 2019 to Dec 2020", start="2019-01-01", end="2020-12-31"),
        row(period="Apr to Jun 2020", start="2020-04-01", end="2020-06-30"),
    )
    assert ordered_periods(rows) == ["Apr to Jun 2020", "Jan 2019 to Dec 2020"]


def test_ordered_periods_one_label_per_period(outcomes):
    assert ordered_periods(outcomes) == [EARLIER, LATER]
    assert ordered_periods(outcomes.iloc[::-1]) == [EARLIER, LATER]
    assert ordered_periods(outcomes.iloc[0:0]) == []


def test_ordered_periods_years():
    rows = frame(*(row(**year(y)) for y in (2021, 2015, 2024, 2018, 2016)))
    assert ordered_periods(rows) == ["2015/16", "2016/17", "2018/19", "2021/22", "2024/25"]


# --- filter_options ---------------------------------------------------------------------------


def test_filter_options_periods_strands_and_region(outcomes):
    options = filter_options(outcomes, Filters())
    assert options.periods == [(ALL, "All periods"), (EARLIER, EARLIER), (LATER, LATER)]
    # Strands and areas this page has no figures for are listed, said so, and greyed out.
    assert options.strands == [(ALL, "All strands"), ("Pursue", "Pursue"), ("Prevent", "Prevent")] + [
        (s, f"{s} (no figures on this page)") for s in ("Protect", "Prepare")
    ]
    region, *forces = REGION_AND_FORCES
    assert options.forces == [(ALL, "All areas"), (region, region)] + [
        (f, f"{f} (no figures on this page)") for f in forces
    ]
    assert options.unavailable == {"Protect", "Prepare", *forces}


def test_the_filter_value_chosen_stays_choosable_though_the_page_lacks_it(outcomes):
    options = filter_options(outcomes, Filters(strand="Protect", force="Staffordshire"))
    assert "Protect" not in options.unavailable and "Staffordshire" not in options.unavailable
    assert "Prepare" in options.unavailable


def test_filter_options_include_other_areas_present_in_schema_order():
    rows = frame(
        row(force="United Kingdom", **year(2019)),
        row(force="England and Wales", **year(2015)),
        row(force="West Midlands region", **year(2024)),
        row(force="England and Wales", **year(2017)),
    )
    options = filter_options(rows, Filters())
    values = [v for v, _ in options.forces]
    assert values == [ALL, *REGION_AND_FORCES, "England and Wales", "United Kingdom"]
    assert "Greater Manchester Police" not in values  # not in this data
    assert [v for v, _ in options.periods] == [ALL, "2015/16", "2017/18", "2019/20", "2024/25"]


def test_filter_options_region_and_forces_listed_even_without_data():
    rows = frame(row(force="England and Wales"))
    values = [v for v, _ in filter_options(rows, Filters()).forces]
    assert values == [ALL, *REGION_AND_FORCES, "England and Wales"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("period", "2030/31"), ("strand", "Pursuit"), ("force", "Kent"), ("force", "England and Wales")],
)
def test_filter_options_keep_a_url_value_not_in_the_data(outcomes, key, value):
    options = filter_options(outcomes, Filters(**{key: value}))
    listed = getattr(options, key + "s")
    assert listed[-1] == (value, f"{value} (no figures on this page)")
    assert [v for v, _ in listed].count(value) == 1
    assert listed[0][0] == ALL


def test_filter_options_url_value_in_the_data_not_repeated(outcomes):
    options = filter_options(outcomes, Filters(period=LATER, strand="Prepare", force="Staffordshire"))
    assert options.periods == [(ALL, "All periods"), (EARLIER, EARLIER), (LATER, LATER)]
    for listed in (options.strands, options.forces):
        assert len({v for v, _ in listed}) == len(listed)


# --- compare_latest ---------------------------------------------------------------------------


def test_compare_latest_cocaine():
    change = compare_latest(two_periods(101.76, 626.81, unit="kg", measure="Cocaine seized"))
    assert change.label == "Cocaine seized"
    assert change.unit == "kg"
    assert (change.before, change.after) == (101.76, 626.81)
    assert (change.before_period, change.after_period) == (EARLIER, LATER)
    assert change.percent == pytest.approx(515.97, abs=0.01)
    assert change.direction == "up"
    assert change.why_no_percent is None
    assert change.caveat == ""


def test_compare_latest_arrested():
    change = compare_latest(two_periods(765, 560))
    assert (change.before, change.after) == (765, 560)
    assert change.percent == pytest.approx(-26.8, abs=0.01)
    assert change.direction == "down"


def test_compare_latest_rows_out_of_order():
    change = compare_latest(two_periods(765, 560).iloc[::-1])
    assert (change.before, change.after, change.after_period) == (765, 560, LATER)


def test_compare_latest_latest_is_the_period_that_ends_last():
    rows = frame(
        row(period="Jan 2019 to Dec 2020", start="2019-01-01", end="2020-12-31", value=400),
        row(period="Apr to Jun 2020", start="2020-04-01", end="2020-06-30", value=100),
    )
    change = compare_latest(rows)
    assert (change.before_period, change.after_period) == ("Apr to Jun 2020", "Jan 2019 to Dec 2020")
    assert (change.before, change.after) == (100, 400)


def test_compare_latest_label_override():
    assert compare_latest(two_periods(765, 560), label="People arrested").label == "People arrested"


@pytest.mark.parametrize("strand", ["Pursue", "Prevent", "Protect", "Prepare"])
def test_compare_latest_series_break(strand):
    rows = frame(
        row(measure="Disruptions", strand=strand, value=726, note="Earlier note.", **BEFORE),
        row(measure="Disruptions", strand=strand, value=815, series_break="yes", note=BREAK_NOTE, **AFTER),
    )
    change = compare_latest(rows)
    assert change.percent is None
    assert change.why_no_percent == "recording changed between the periods"
    assert change.caveat == BREAK_NOTE  # the later row's note, which says why
    assert (change.before, change.after) == (726, 815)


def test_compare_latest_series_break_over_many_years():
    values = {2019: 6287, 2020: 4915, 2021: 6406, 2022: 6817, 2023: 6922}
    rows = [row(measure="Referrals", unit="referrals", value=v, **year(y)) for y, v in values.items()]
    rows.append(
        row(measure="Referrals", unit="referrals", value=8778, series_break="yes", note=BREAK_NOTE, **year(2024))
    )
    change = compare_latest(frame(*rows[::-1]))
    assert (change.before_period, change.after_period) == ("2023/24", "2024/25")
    assert (change.before, change.after) == (6922, 8778)
    assert change.percent is None
    assert "recording" in change.why_no_percent
    assert change.caveat == BREAK_NOTE


def test_compare_latest_no_break_no_caveat():
    change = compare_latest(two_periods(726, 815, note="A note that is not a caveat."))
    assert change.caveat == ""
    assert change.percent == pytest.approx(12.26, abs=0.01)


def test_compare_latest_small_base():
    change = compare_latest(two_periods(4, 8))
    assert change.percent is None
    assert change.why_no_percent == "the earlier figure is under 10"
    assert change.direction == "up"


def test_compare_latest_base_of_ten_gets_a_percent():
    assert compare_latest(two_periods(10, 15)).percent == pytest.approx(50)


@pytest.mark.parametrize(
    ("unit", "before", "after", "reason"),
    [
        ("people", 9, 30, "the earlier figure is under 10"),
        ("kg", 10.68, 7.22, "the earlier figure is under 100 kg"),
        ("kg", 13.31, 113.81, "the earlier figure is under 100 kg"),
        ("rounds", 99, 403, "the earlier figure is under 100 rounds"),
        ("tablets", 999, 5000, "the earlier figure is under 1,000"),
        ("GBP million", 0.5, 2, "the earlier figure is under £1m"),
        ("years", 0, 5, "the earlier figure is under 10 years"),
    ],
)
def test_compare_latest_base_must_be_large_enough_in_its_unit(unit, before, after, reason):
    change = compare_latest(two_periods(before, after, unit=unit))
    assert change.percent is None
    assert change.why_no_percent == reason
    assert percent_text(change) == f"no % shown: {reason}"


@pytest.mark.parametrize(
    ("unit", "before", "after", "percent"),
    [
        ("people", 10, 12, 20),
        ("kg", 101.76, 626.81, 515.97),
        ("kg", 100, 50, -50),
        ("rounds", 403, 1070, 165.51),
        ("tablets", 1000, 1500, 50),
        ("GBP million", 1, 1.5, 50),
    ],
)
def test_compare_latest_percent_from_a_large_enough_base(unit, before, after, percent):
    change = compare_latest(two_periods(before, after, unit=unit))
    assert change.why_no_percent is None
    assert change.percent == pytest.approx(percent, abs=0.01)


def test_min_base_by_unit():
    assert min_base("people") == MIN_BASE_FOR_PERCENT == 10
    assert min_base("kg") == 100
    assert min_base("rounds") == 100
    assert min_base("GBP million") == 1
    for unit, base in MIN_BASE_BY_UNIT.items():
        assert min_base(unit) == base
        # Just under the base gives no %; the base itself does.
        assert compare_latest(two_periods(base * 0.99, base * 2, unit=unit)).percent is None
        assert compare_latest(two_periods(base, base * 1.5, unit=unit)).percent == pytest.approx(50)


@pytest.mark.parametrize("unit", sorted(NO_PERCENT_UNITS))
def test_compare_latest_no_percent_for_rates_shares_and_ranks(unit):
    change = compare_latest(two_periods(40, 60, unit=unit))
    assert change.percent is None
    assert change.why_no_percent == "the figures are not counts or amounts in one unit"
    assert (change.before, change.after) == (40, 60)


def test_compare_latest_no_percent_across_units():
    rows = frame(row(value=400, unit="people", **BEFORE), row(value=500, unit="arrests", **AFTER))
    change = compare_latest(rows)
    assert change.percent is None
    assert change.why_no_percent == "the figures are not counts or amounts in one unit"


def test_compare_latest_not_exact_later_figure():
    rows = frame(
        row(unit="referrals", value=6093, **year(2016)),
        row(unit="referrals", value=7300, qualifier="over", **year(2017)),
    )
    change = compare_latest(rows)
    assert change.qualifier == "over"
    assert (change.before, change.after) == (6093, 7300)
    assert change.percent is None
    assert change.why_no_percent == "a figure is not exact"


def test_compare_latest_not_exact_earlier_figure():
    rows = frame(row(value=100, qualifier="approximately", **BEFORE), row(value=120, **AFTER))
    change = compare_latest(rows)
    assert change.percent is None
    assert change.why_no_percent == "a figure is not exact"


def test_compare_latest_not_stated():
    change = compare_latest(two_periods(100, None))
    assert change.after is None
    assert change.percent is None
    assert change.why_no_percent == "a figure is not stated"
    assert change.direction == "none"


def test_compare_latest_single_period():
    rows = frame(row(measure="Rise in cocaine seized on previous year", value=500, unit="kg", qualifier="over"))
    change = compare_latest(rows)
    assert change.before is None and change.before_period is None
    assert change.after == 500
    assert change.after_period == LATER
    assert change.percent is None
    assert change.why_no_percent == "no earlier period"
    assert change.direction == "none"


def test_compare_latest_refuses_several_rows_in_a_period():
    # Two areas' figures for one measure are two series, not one: they must be split first.
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
        row(force="Warwickshire", value=80, **AFTER),
    )
    with pytest.raises(ValueError, match="one row per period"):
        compare_latest(rows)
    assert compare_latest(rows.iloc[:2]).percent == pytest.approx(20)


# --- changes_by_series ------------------------------------------------------------------------


def test_changes_by_series_one_change_per_series_in_first_seen_order():
    rows = frame(
        row(measure="Charged", value=336, **BEFORE),
        row(measure="Arrested", value=765, **BEFORE),
        row(measure="Charged", value=209, **AFTER),
        row(measure="Arrested", value=560, **AFTER),
        row(measure="Safeguarded", value=371, **AFTER),
    )
    changes = changes_by_series(rows)
    assert [c.label for c in changes] == ["Charged", "Arrested", "Safeguarded"]
    assert [(c.before, c.after) for c in changes] == [(336, 209), (765, 560), (None, 371)]
    assert changes[1].percent == pytest.approx(-26.8, abs=0.01)
    assert changes[2].why_no_percent == "no earlier period"


def test_changes_by_series_tells_apart_areas_sharing_a_name():
    # Warwickshire comes first in the rows though it sorts after Staffordshire.
    rows = frame(
        row(force="Warwickshire", value=100, **BEFORE),
        row(force="Staffordshire", value=200, **BEFORE),
        row(force="Warwickshire", value=50, **AFTER),
        row(force="Staffordshire", value=300, **AFTER),
    )
    changes = changes_by_series(rows)
    assert [c.label for c in changes] == ["Arrested (Warwickshire)", "Arrested (Staffordshire)"]
    assert [c.percent for c in changes] == [pytest.approx(-50), pytest.approx(50)]


def test_changes_by_series_tells_apart_breakdowns_and_strands():
    rows = frame(
        row(measure="Disruptions", breakdown="Lead", strand="Pursue", value=500, **BEFORE),
        row(measure="Disruptions", breakdown="Lead", strand="Pursue", value=550, **AFTER),
        row(measure="Disruptions", breakdown="Support", strand="Pursue", value=200, **BEFORE),
        row(measure="Disruptions", breakdown="Support", strand="Pursue", value=100, **AFTER),
        row(measure="Disruptions", breakdown="Lead", strand="Prevent", value=40, **BEFORE),
        row(measure="Disruptions", breakdown="Lead", strand="Prevent", value=60, **AFTER),
        row(measure="Arrested", value=765, **BEFORE),
        row(measure="Arrested", value=560, **AFTER),
    )
    changes = changes_by_series(rows)
    assert [c.label for c in changes] == [
        "Disruptions (Lead, Pursue)",
        "Disruptions (Support, Pursue)",
        "Disruptions (Lead, Prevent)",
        "Arrested",
    ]
    assert [c.percent for c in changes[:3]] == [pytest.approx(10), pytest.approx(-50), pytest.approx(50)]
    assert len({c.label for c in changes}) == len(changes)


def test_changes_by_series_names_from_the_label_function():
    rows = frame(
        row(measure="SOCU investigations", breakdown="Total", force="Staffordshire", value=40, **BEFORE),
        row(measure="SOCU investigations", breakdown="Total", force="Staffordshire", value=50, **AFTER),
        row(measure="Arrested", value=765, **BEFORE),
        row(measure="Arrested", value=560, **AFTER),
    )
    changes = changes_by_series(rows, lambda r: f"{r['measure']} in {r['force']}")
    assert [c.label for c in changes] == [
        "SOCU investigations in Staffordshire",
        "Arrested in West Midlands region",
    ]
    # Names the label function gives twice are told apart as the measure's would be.
    same = changes_by_series(rows, lambda r: "The caseload")
    assert [c.label for c in same] == [
        "The caseload (Total, Staffordshire)",
        "The caseload (West Midlands region)",
    ]


def test_changes_by_series_each_series_compared_on_its_own():
    # Several rows per period overall, one per period in each series: no ValueError.
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
        row(force="Warwickshire", value=4, **BEFORE),
        row(force="Warwickshire", value=8, **AFTER),
    )
    staffs, warks = changes_by_series(rows)
    assert staffs.percent == pytest.approx(20)
    assert warks.percent is None and warks.why_no_percent == "the earlier figure is under 10"
    assert changes_by_series(rows.iloc[0:0]) == []


# --- describe_change and percent_text ---------------------------------------------------------


def test_describe_change_cocaine():
    # 626.81 / 101.76 is 6.16: more than 0.1 away from six, so "more than six-fold".
    change = compare_latest(two_periods(101.76, 626.81, unit="kg", measure="Cocaine seized"))
    assert describe_change(change) == "Cocaine seized rose more than six-fold (our calculation) to 626.81 kg"


def test_describe_change_exact_three_fold():
    change = compare_latest(two_periods(120, 360))
    assert describe_change(change) == "Arrested rose three-fold (our calculation) to 360"


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (100, 200, "Arrested rose two-fold (our calculation) to 200"),
        (100, 205, "Arrested rose two-fold (our calculation) to 205"),
        (100, 250, "Arrested rose more than two-fold (our calculation) to 250"),
        (100, 1000, "Arrested rose ten-fold (our calculation) to 1,000"),
        (100, 1200, "Arrested rose 12-fold (our calculation) to 1,200"),
        (100, 199, "Arrested rose 99% (our calculation) to 199"),
        (100, 150, "Arrested rose 50% (our calculation) to 150"),
        (100, 40, "Arrested fell 60% (our calculation) to 40"),
    ],
)
def test_describe_change_fold_and_percent(before, after, text):
    assert describe_change(compare_latest(two_periods(before, after))) == text


def test_describe_change_arrested():
    assert describe_change(compare_latest(two_periods(765, 560))) == "Arrested fell 27% (our calculation) to 560"


def test_describe_change_stayed():
    assert describe_change(compare_latest(two_periods(560, 560))) == "Arrested stayed at 560"
    assert describe_change(compare_latest(two_periods(4, 4))) == "Arrested stayed at 4"


def test_describe_change_without_percent_names_both_periods():
    rows = frame(
        row(measure="Disruptions", strand="Pursue", value=726, **BEFORE),
        row(measure="Disruptions", strand="Pursue", value=815, series_break="yes", note=BREAK_NOTE, **AFTER),
    )
    text = describe_change(compare_latest(rows))
    assert text == f"Disruptions: 815 in {LATER}, against 726 in {EARLIER}"
    assert OUR_CALCULATION not in text  # nothing was worked out
    assert describe_change(compare_latest(two_periods(4, 8))) == f"Arrested: 8 in {LATER}, against 4 in {EARLIER}"


def test_describe_change_keeps_the_later_qualifier_in_words():
    rows = frame(
        row(unit="referrals", value=6093, **year(2016)),
        row(unit="referrals", value=7300, qualifier="over", **year(2017)),
    )
    assert describe_change(compare_latest(rows)) == "Arrested: over 7,300 in 2017/18, against 6,093 in 2016/17"


def test_describe_change_single_period():
    rows = frame(row(measure="Rise in cocaine seized on previous year", value=500, unit="kg", qualifier="over"))
    assert describe_change(compare_latest(rows)) == "Rise in cocaine seized on previous year: over 500 kg"


def test_describe_change_marks_every_worked_out_change():
    for before, after in ((100, 150), (100, 40), (100, 250), (765, 560)):
        assert OUR_CALCULATION in describe_change(compare_latest(two_periods(before, after)))


def test_describe_change_barely_changed_is_marked_as_ours():
    # 1,000 then 1,004 is a change worked out by the dashboard ('little change (our calculation)' in
    # percent_text): the headline should say so too.
    change = compare_latest(two_periods(1000, 1004))
    assert percent_text(change) == "little change (our calculation)"
    assert OUR_CALCULATION in describe_change(change), describe_change(change)


def test_percent_text_rise_and_fall():
    assert percent_text(compare_latest(two_periods(101.76, 626.81, unit="kg"))) == "▲ up 516% (our calculation)"
    assert percent_text(compare_latest(two_periods(765, 560))) == "▼ down 27% (our calculation)"


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (1000, 1004, "little change (our calculation)"),
        (1000, 996, "little change (our calculation)"),
        (1000, 1006, "▲ up 1% (our calculation)"),
        (1000, 994, "▼ down 1% (our calculation)"),
    ],
)
def test_percent_text_little_change_under_half_a_percent(before, after, text):
    assert percent_text(compare_latest(two_periods(before, after))) == text


def test_percent_text_reason_when_no_percent():
    broken = two_periods(261, 133, series_break="yes", note=BREAK_NOTE)
    assert percent_text(compare_latest(broken)) == "no % shown: recording changed between the periods"
    assert percent_text(compare_latest(two_periods(4, 8))) == "no % shown: the earlier figure is under 10"
    heroin = two_periods(10.68, 7.22, unit="kg")
    assert percent_text(compare_latest(heroin)) == "no % shown: the earlier figure is under 100 kg"
    single = compare_latest(frame(row(value=500, unit="kg", qualifier="over")))
    assert percent_text(single) == "no % shown: no earlier period"


def test_percent_text_no_change_without_percent():
    assert percent_text(compare_latest(two_periods(4, 4))) == "no change"


def test_percent_text_equal_values_say_no_change():
    # Equal figures are 'no change' (as the docstring says and as they are on a small base),
    # not 'little change', which implies some movement.
    change = compare_latest(two_periods(560, 560))
    assert change.direction == "same"
    assert percent_text(change) == "no change"


def test_describe_change_never_says_zero_percent():
    # 1,000 then 1,004 is 'little change' in percent_text; the headline should not read 'rose 0%'.
    text = describe_change(compare_latest(two_periods(1000, 1004)))
    assert "0%" not in text, text


# --- biggest_changes --------------------------------------------------------------------------


def make_change(label: str, percent: float | None) -> Change:
    before = 100.0
    after = before * (1 + percent / 100) if percent is not None else 100.0
    return Change(label, "people", before, after, "a", "b", "exact", percent, None, "")


def test_biggest_changes_order_and_limit():
    changes = [
        make_change("small rise", 5),
        make_change("big fall", -60),
        make_change("no %", None),
        make_change("huge rise", 400),
        make_change("flat", 0.0),
        make_change("mid rise", 30),
        make_change("small fall", -2),
        make_change("tiny rise", 1),
        make_change("mid fall", -25),
    ]
    rises, falls = biggest_changes(changes)
    # From a base of 100 people, a change must be at least 10 people to be among the biggest: "small
    # rise" (5) and "small fall" (2) moved too little, whatever their per cent.
    assert [c.label for c in rises] == ["huge rise", "mid rise"]
    assert [c.label for c in falls] == ["big fall", "mid fall"]
    more = [*changes, make_change("ten up", 10), make_change("ten down", -10)]
    rises, falls = biggest_changes(more)
    assert [c.label for c in rises] == ["huge rise", "mid rise", "ten up"]
    assert [c.label for c in falls] == ["big fall", "mid fall", "ten down"]
    rises, falls = biggest_changes(changes, n=1)
    assert [c.label for c in rises] == ["huge rise"]
    assert [c.label for c in falls] == ["big fall"]
    assert biggest_changes([]) == ([], [])


#: A year's outcomes as a board paper gives them: (measure, unit, earlier figure, later figure).
OUTCOMES = (
    ("Arrested", "people", 765, 560),
    ("Charged", "people", 336, 209),
    ("Convicted", "people", 211, 174),
    ("Years sentenced", "years", 1504, 816),
    ("Firearms seized", "firearms", 41, 44),
    ("Ammunition seized", "rounds", 403, 1070),
    ("Cocaine seized", "kg", 101.76, 626.81),
    ("Heroin seized", "kg", 10.68, 7.22),
    ("Other Class A seized", "kg", 13.31, 113.81),
    ("Other Class B seized", "kg", 10.72, 20.09),
    ("Safeguarded", "people", 371, 137),
)


def test_biggest_changes_over_a_paper_s_outcomes():
    rows = []
    for measure_name, unit, before, after in OUTCOMES:
        rows += [
            row(measure=measure_name, unit=unit, value=before, **BEFORE),
            row(measure=measure_name, unit=unit, value=after, **AFTER),
        ]
    for strand, before, after in (
        ("Pursue", 726, 815),
        ("Prevent", 261, 133),
        ("Protect", 180, 181),
        ("Prepare", 20, 12),
    ):
        rows += [
            row(measure="Disruptions", strand=strand, unit="disruptions", value=before, **BEFORE),
            row(measure="Disruptions", strand=strand, unit="disruptions", value=after, series_break="yes", **AFTER),
        ]
    changes = changes_by_series(frame(*rows))
    assert len(changes) == 11 + 4
    rises, falls = biggest_changes(changes)
    # Other Class A rose from 13.31 kg, under the 100 kg base: no %, so it is not among the rises; nor is
    # Firearms seized (41 to 44, up 7%): it moved by 3, under the 10 a count must move to be listed.
    assert [c.label for c in rises] == ["Cocaine seized", "Ammunition seized"]
    assert [c.label for c in falls] == ["Safeguarded", "Years sentenced", "Charged"]
    assert not any(c.label.startswith("Disruptions") for c in rises + falls)  # series break: no %
    assert {c.label for c in changes if c.percent is None} == {
        "Heroin seized",
        "Other Class A seized",
        "Other Class B seized",
        "Disruptions (Pursue)",
        "Disruptions (Prevent)",
        "Disruptions (Protect)",
        "Disruptions (Prepare)",
    }


# --- why_empty --------------------------------------------------------------------------------


def test_why_empty_strand_on_rows_without_strands(outcomes):
    rows = outcomes[outcomes["category"] == "Criminal justice outcomes"]
    filters = Filters(strand="Pursue")
    assert apply_filters(rows, filters).empty
    assert why_empty(rows, filters) == "The sources do not split these figures by strand."


def test_why_empty_strand_missing_from_split_rows():
    rows = frame(row(strand="Pursue"), row(strand="Prevent"))
    assert why_empty(rows, Filters(strand="Protect")) == "No figures for the Protect strand in this chart."


def test_why_empty_force_on_region_only_rows(outcomes):
    filters = Filters(force="Staffordshire")
    assert apply_filters(outcomes, filters).empty
    assert why_empty(outcomes, filters) == "The paper reports this only for the West Midlands region as a whole."


def test_why_empty_region_only_from_other_sources():
    rows = frame(row(source_type="official"), row(source_type="paper"))
    assert why_empty(rows, Filters(force="Staffordshire")) == (
        "The sources report this only for the West Midlands region as a whole."
    )


def test_why_empty_other_force():
    rows = frame(
        row(measure="Referrals", force="West Midlands region", source_type="official", **year(2019)),
        row(measure="Referrals", force="England and Wales", source_type="official", **year(2019)),
        row(measure="Referrals", force="England and Wales", source_type="secondary", **year(2018)),
    )
    filters = Filters(force="West Mercia")
    assert apply_filters(rows, filters).empty
    assert why_empty(rows, filters) == (
        "No figures for West Mercia. The sources report this only for: England and Wales, West Midlands region."
    )


def test_why_empty_unknown_period_lists_periods(outcomes):
    filters = Filters(period="2020/21")
    assert apply_filters(outcomes, filters).empty
    assert why_empty(outcomes, filters) == f"No figures for 2020/21. This chart covers: {EARLIER}; {LATER}."


def test_why_empty_unknown_period_many_periods():
    rows = frame(*(row(**year(y)) for y in (2019, 2015, 2017, 2016, 2018)))
    text = why_empty(rows, Filters(period="2010/11"))
    assert text == "No figures for 2010/11. This chart covers: 2015/16; 2016/17; 2017/18; 2018/19 and others."


def test_why_empty_combination_and_no_rows(mixed):
    filters = Filters(period="2018/19", force="Staffordshire")
    assert apply_filters(mixed, filters).empty
    assert why_empty(mixed, filters) == "No figures match this combination of filters."
    assert why_empty(mixed.iloc[0:0], Filters()) == "There are no figures for this chart."


# --- the period filter, by dates ----------------------------------------------------------------------


def _dated_rows():
    return frame(
        row(measure="Arrested", period="Dec 2018 to Nov 2019", start="2018-12-01", end="2019-11-30", value=765),
        row(measure="Arrested", period="Dec 2019 to Nov 2020", start="2019-12-01", end="2020-11-30", value=560),
        row(
            measure="Pursue arrests", period="1 Apr 2020 to 5 Dec 2020", start="2020-04-01", end="2020-12-05", value=25
        ),
        row(measure="Handles", period="To January 2021", start="", end="2021-01-31", value=357),
        row(measure="Undated", period="Dec 2019 to Nov 2020 (as said)", start="", end="", value=1),
    )


def test_the_period_filter_keeps_figures_whose_dates_overlap_it():
    rows = _dated_rows()
    filters = Filters(period="Dec 2019 to Nov 2020").resolved(rows)
    assert filters.span == (pd.Timestamp("2019-12-01"), pd.Timestamp("2020-11-30"))
    kept = apply_filters(rows, filters)
    # Its own figures and the Pursue results of 1 Apr to 5 Dec 2020; not the year before (it ends the day
    # before), not a figure known only at 31 January 2021, and not an undated one under another name.
    assert list(kept["measure"]) == ["Arrested", "Pursue arrests"]
    assert list(kept["value"]) == [560, 25]


def test_a_figure_known_only_by_its_last_day_is_a_point_in_time():
    rows = _dated_rows()
    kept = apply_filters(rows, Filters(period="1 Apr 2020 to 5 Dec 2020").resolved(rows))
    assert set(kept["measure"]) == {"Arrested", "Pursue arrests"}  # Dec 2019 to Nov 2020 overlaps it
    january = apply_filters(rows, Filters(period="To January 2021").resolved(rows))
    assert list(january["measure"]) == ["Handles"]


def test_a_period_without_dates_matches_by_its_name_alone():
    rows = _dated_rows()
    filters = Filters(period="Dec 2019 to Nov 2020 (as said)").resolved(rows)
    assert filters.span is None
    assert list(apply_filters(rows, filters)["measure"]) == ["Undated"]
    # Unresolved filters (no data to read dates from) match by name too.
    assert list(apply_filters(rows, Filters(period="Dec 2019 to Nov 2020"))["value"]) == [560]


def test_labels_that_name_the_same_dates_are_one_option():
    rows = frame(
        row(measure="A", period="Apr 2020", start="2020-04-01", end="2020-04-30", value=1),
        row(measure="B", period="April 2020", start="2020-04-01", end="2020-04-30", value=2),
        row(measure="C", period="May 2020", start="2020-05-01", end="2020-05-31", value=3),
    )
    options = [v for v, _ in filter_options(rows, Filters()).periods]
    assert options == [ALL, "Apr 2020", "May 2020"]
    # Choosing it keeps the figures of both labels.
    kept = apply_filters(rows, Filters(period="Apr 2020").resolved(rows))
    assert list(kept["measure"]) == ["A", "B"]


def test_why_empty_knows_an_overlapping_period_is_not_missing():
    rows = _dated_rows()
    filters = Filters(period="Dec 2019 to Nov 2020", strand="Prevent").resolved(rows)
    assert apply_filters(rows, filters).empty
    assert "No figures for Dec 2019 to Nov 2020" not in why_empty(rows, filters)


# Filter values from an address are checked against the data before anything is drawn ------------------


def test_known_filter_values_are_the_datas_periods_the_strands_and_the_areas():
    from data.queries import known_filter_values
    from tests.frames import frame, row

    known = known_filter_values(frame(row(period="Q1 2021", force="Staffordshire"), row(strand="Pursue")))
    assert known["period"] == {ALL, "Q1 2021", "Dec 2019 to Nov 2020"}
    assert set(schema.STRANDS) <= known["strand"] and "Pursue" in known["strand"]
    assert "Staffordshire" in known["force"] and set(schema.FORCES) <= known["force"]


@pytest.mark.parametrize(
    ("query", "field", "shown"),
    [
        ({"period": "1999"}, "period", "'1999'"),
        ({"strand": "Persue"}, "strand", "'Persue'"),
        ({"force": "Atlantis"}, "force", "'Atlantis'"),
        ({"strand": "x" * 250_000}, "strand", "'" + "x" * 40 + "…'"),
    ],
)
def test_a_value_the_data_lacks_is_set_aside_and_said(query, field, shown):
    from data.queries import check_filters, known_filter_values
    from tests.frames import frame, row

    known = known_filter_values(frame(row(), row(strand="Pursue")))
    check = check_filters(Filters.from_query({**query, "period": query.get("period", "Dec 2019 to Nov 2020")}), known)
    assert not check.ok
    assert getattr(check.filters, field) == ALL
    assert len(check.problems) == 1 and shown in check.problems[0]
    assert len(check.problems[0]) < 200  # an over-long value is not echoed back whole


def test_values_the_data_has_pass_unchanged():
    from data.queries import check_filters, known_filter_values
    from tests.frames import frame, row

    filters = Filters(period="Dec 2019 to Nov 2020", strand="Pursue", force="West Midlands region")
    check = check_filters(filters, known_filter_values(frame(row(strand="Pursue"))))
    assert check.ok and check.filters == filters


def test_a_value_longer_than_the_limit_is_refused_even_if_the_data_had_it():
    from data.queries import MAX_FILTER_CHARS, check_filters, known_filter_values
    from tests.frames import frame, row

    long_label = "P" * (MAX_FILTER_CHARS + 1)
    check = check_filters(Filters(period=long_label), known_filter_values(frame(row(period=long_label))))
    assert not check.ok and check.filters.period == ALL
