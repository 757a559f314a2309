"""Filters held in the URL, filtering, period order, filter options and year-on-year wording."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import pytest

from data import schema
from data.queries import (
    ALL,
    Change,
    Filters,
    apply_filters,
    biggest_changes,
    compare_latest,
    describe_change,
    filter_options,
    ordered_periods,
    percent_text,
    why_empty,
)
from tests.conftest import one

EARLIER = "Dec 2018 to Nov 2019"
LATER = "Dec 2019 to Nov 2020"
REGION_AND_FORCES = list(schema.FORCES[:5])

DEFAULTS = {
    "dataset": "synthetic",
    "measure": "Arrested",
    "category": "Outcomes",
    "breakdown": "",
    "period": "2019/20",
    "period_start": "2019-04-01",
    "period_end": "2020-03-31",
    "force": "West Midlands region",
    "strand": "",
    "value": 1.0,
    "value_text": "",
    "unit": "people",
    "qualifier": "exact",
    "derived": "no",
    "series_break": "",
    "source": "para 1",
    "source_type": "paper",
    "note": "",
}


def synthetic(*rows: dict) -> pd.DataFrame:
    """A small synthetic frame (made up in the test, not the shipped data) with FRAME_COLUMNS."""
    frame = pd.DataFrame([{**DEFAULTS, **r} for r in rows], columns=list(schema.FRAME_COLUMNS))
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col].replace("", None))
    frame["value"] = frame["value"].astype(float)
    return frame


def two_years(before: float | None, after: float | None, **extra) -> pd.DataFrame:
    """Synthetic: one measure in 2018/19 then 2019/20."""
    return synthetic(
        {
            "period": "2018/19",
            "period_start": "2018-04-01",
            "period_end": "2019-03-31",
            "value": before,
            "qualifier": "exact" if before is not None else "not stated",
        },
        {"value": after, "qualifier": "exact" if after is not None else "not stated", **extra},
    )


def parse_search(search: str) -> dict[str, list[str]]:
    assert search.startswith("?")
    return parse_qs(search[1:], keep_blank_values=True, strict_parsing=True)


@pytest.fixture(scope="module")
def outcomes(store) -> pd.DataFrame:
    return store.dataset("rocu_outcomes")


@pytest.fixture(scope="module")
def national_referrals(store) -> pd.DataFrame:
    rows = store.dataset("prevent_referrals")
    return rows[(rows["measure"] == "Referrals") & (rows["force"].astype(str) == "England and Wales")]


def measure(frame: pd.DataFrame, name: str, **where: str) -> pd.DataFrame:
    mask = frame["measure"] == name
    for col, val in where.items():
        mask &= frame[col].astype(str) == val
    rows = frame[mask]
    assert not rows.empty, f"no rows for {name} {where}"
    return rows


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


# --- apply_filters ----------------------------------------------------------------------------


@pytest.fixture()
def mixed() -> pd.DataFrame:
    # Synthetic: two periods, strands and forces mixed, to check each filter and combinations.
    earlier = {"period": "2018/19", "period_start": "2018-04-01", "period_end": "2019-03-31"}
    return synthetic(
        {"measure": "A", "strand": "Pursue", "force": "West Midlands Police", **earlier},
        {"measure": "B", "strand": "Prevent", "force": "West Midlands Police", **earlier},
        {"measure": "C", "strand": "Pursue", "force": "Staffordshire"},
        {"measure": "D", "strand": "", "force": "West Midlands region"},
        {"measure": "E", "strand": "Prevent", "force": "Staffordshire"},
    )


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
def test_apply_filters_synthetic(mixed, filters, expected):
    assert apply_filters(mixed, filters)["measure"].tolist() == expected


def test_apply_filters_keeps_columns_and_index(mixed):
    result = apply_filters(mixed, Filters(strand="Pursue"))
    assert list(result.columns) == list(schema.FRAME_COLUMNS)
    assert result.index.tolist() == [0, 2]


def test_apply_filters_real_period(outcomes):
    result = apply_filters(outcomes, Filters(period=LATER))
    assert len(result) == (outcomes["period"] == LATER).sum() > 0
    assert set(result["period"]) == {LATER}
    assert one(result, measure="Arrested")["value"] == 560


def test_apply_filters_real_strand(outcomes):
    result = apply_filters(outcomes, Filters(strand="Pursue"))
    assert sorted(result["value"].tolist()) == [726, 815]
    assert set(result["measure"]) == {"Disruptions"}


def test_apply_filters_real_strand_and_period(outcomes):
    result = apply_filters(outcomes, Filters(period=EARLIER, strand="Prevent"))
    assert len(result) == 1
    assert result.iloc[0]["value"] == 261


def test_apply_filters_real_force(store):
    frame = store.frame
    result = apply_filters(frame, Filters(force="England and Wales"))
    assert len(result) == (frame["force"].astype(str) == "England and Wales").sum() > 0
    assert set(result["force"].astype(str)) == {"England and Wales"}
    national = apply_filters(frame, Filters(period="2019/20", strand="Prevent", force="England and Wales"))
    assert one(national, dataset="prevent_referrals", measure="Referrals", breakdown="All")["value"] == 6287


def test_apply_filters_real_force_absent(outcomes):
    assert apply_filters(outcomes, Filters(force="Staffordshire")).empty


# --- ordered_periods --------------------------------------------------------------------------


def test_ordered_periods_time_order_undated_last():
    # Synthetic: rows out of order, a shared start date, and undated periods.
    frame = synthetic(
        {"period": "2020/21", "period_start": "2020-04-01", "period_end": "2021-03-31"},
        {"period": "At the paper's date", "period_start": "", "period_end": ""},
        {"period": "2019 calendar", "period_start": "2019-01-01", "period_end": "2019-12-31"},
        {"period": "2019/20", "period_start": "2019-04-01", "period_end": "2020-03-31"},
        {"period": "Apr to Jun 2019", "period_start": "2019-04-01", "period_end": "2019-06-30"},
        {"period": "2020/21", "period_start": "2020-04-01", "period_end": "2021-03-31"},
        {"period": "Since Apr 2019", "period_start": "2019-04-01", "period_end": ""},
    )
    assert ordered_periods(frame) == [
        "2019 calendar",
        "Apr to Jun 2019",
        "2019/20",
        "Since Apr 2019",
        "2020/21",
        "At the paper's date",
    ]


def test_ordered_periods_real(outcomes, national_referrals):
    assert ordered_periods(outcomes) == [EARLIER, LATER]
    assert ordered_periods(national_referrals) == [f"{y}/{y - 2000 + 1}" for y in range(2015, 2025)]


def test_ordered_periods_real_whole_frame_undated_at_end(store):
    frame = store.frame
    periods = ordered_periods(frame)
    assert len(periods) == frame["period"].nunique()
    starts = frame.drop_duplicates("period").set_index("period")["period_start"]
    dated = [p for p in periods if pd.notna(starts[p])]
    assert periods[: len(dated)] == dated
    assert [starts[p] for p in dated] == sorted(starts[p] for p in dated)
    assert "Operation to the paper's date" in periods[len(dated) :]


# --- filter_options ---------------------------------------------------------------------------


def test_filter_options_real_outcomes(outcomes):
    options = filter_options(outcomes, Filters())
    assert options.periods == [(ALL, "All periods"), (EARLIER, EARLIER), (LATER, LATER)]
    assert options.strands == [(ALL, "All strands")] + [(s, s) for s in ("Pursue", "Prevent", "Protect", "Prepare")]
    assert options.forces == [(ALL, "All areas")] + [(f, f) for f in REGION_AND_FORCES]


def test_filter_options_include_other_areas_present(store):
    rows = store.dataset("prevent_referrals")
    options = filter_options(rows, Filters())
    values = [v for v, _ in options.forces]
    assert values[0] == ALL
    assert values[1:6] == REGION_AND_FORCES
    assert "England and Wales" in values
    assert "Greater Manchester Police" not in values  # not in this data
    others = [f for f in schema.FORCES[5:] if f in set(rows["force"].astype(str))]
    assert values[6:] == others
    periods = [v for v, _ in options.periods]
    assert periods[0] == ALL
    assert periods[1:] == ordered_periods(rows)
    assert periods.index("2015/16") < periods.index("2019/20") < periods.index("2024/25")


def test_filter_options_region_and_forces_listed_even_without_data():
    # Synthetic: only England and Wales figures.
    frame = synthetic({"force": "England and Wales"})
    values = [v for v, _ in filter_options(frame, Filters()).forces]
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
    assert not any("no figures" in label for _, label in options.strands + options.forces)


# --- compare_latest ---------------------------------------------------------------------------


def test_compare_latest_cocaine(outcomes):
    change = compare_latest(measure(outcomes, "Cocaine seized"))
    assert change.label == "Cocaine seized"
    assert change.unit == "kg"
    assert (change.before, change.after) == (101.76, 626.81)
    assert (change.before_period, change.after_period) == (EARLIER, LATER)
    assert change.percent == pytest.approx(515.97, abs=0.01)
    assert change.direction == "up"
    assert change.why_no_percent is None
    assert change.caveat == ""


def test_compare_latest_arrested(outcomes):
    change = compare_latest(measure(outcomes, "Arrested"))
    assert (change.before, change.after) == (765, 560)
    assert change.percent == pytest.approx(-26.8, abs=0.01)
    assert change.direction == "down"


def test_compare_latest_rows_out_of_order(outcomes):
    rows = measure(outcomes, "Arrested").iloc[::-1]
    change = compare_latest(rows)
    assert (change.before, change.after, change.after_period) == (765, 560, LATER)


def test_compare_latest_label_override(outcomes):
    assert compare_latest(measure(outcomes, "Arrested"), label="People arrested").label == "People arrested"


@pytest.mark.parametrize("strand", ["Pursue", "Prevent", "Protect", "Prepare"])
def test_compare_latest_series_break(outcomes, strand):
    rows = measure(outcomes, "Disruptions", strand=strand)
    change = compare_latest(rows)
    assert change.percent is None
    assert "recording" in change.why_no_percent
    assert change.caveat == one(rows, period=LATER)["note"]
    assert "not comparable" in change.caveat
    assert change.before is not None and change.after is not None


def test_compare_latest_series_break_national_referrals(national_referrals):
    change = compare_latest(national_referrals)
    assert (change.before_period, change.after_period) == ("2023/24", "2024/25")
    assert (change.before, change.after) == (6922, 8778)
    assert change.percent is None
    assert "recording" in change.why_no_percent
    assert change.caveat == one(national_referrals, period="2024/25")["note"]
    assert "comparable" in change.caveat


def test_compare_latest_small_base():
    change = compare_latest(two_years(4, 8))
    assert change.percent is None
    assert change.why_no_percent == "the earlier figure is under 10"
    assert change.direction == "up"


def test_compare_latest_base_of_ten_gets_a_percent():
    assert compare_latest(two_years(10, 15)).percent == pytest.approx(50)


def test_compare_latest_not_exact_real(national_referrals):
    rows = national_referrals[national_referrals["period"].isin(["2016/17", "2017/18"])]
    change = compare_latest(rows)
    assert change.qualifier == "more than"
    assert (change.before, change.after) == (6093, 7300)
    assert change.percent is None
    assert change.why_no_percent == "a figure is not exact"


def test_compare_latest_not_exact_earlier_figure():
    rows = two_years(100, 120)
    rows.loc[0, "qualifier"] = "approximately"
    change = compare_latest(rows)
    assert change.percent is None
    assert change.why_no_percent == "a figure is not exact"


def test_compare_latest_not_stated():
    change = compare_latest(two_years(100, None))
    assert change.after is None
    assert change.percent is None
    assert change.why_no_percent == "a figure is not stated"
    assert change.direction == "none"


def test_compare_latest_single_period(outcomes):
    rows = measure(outcomes, "Rise in cocaine seized on previous year")
    change = compare_latest(rows)
    assert change.before is None and change.before_period is None
    assert change.after == 500
    assert change.after_period == LATER
    assert change.percent is None
    assert change.why_no_percent == "no earlier period"
    assert change.direction == "none"


# --- describe_change and percent_text ---------------------------------------------------------


def test_describe_change_cocaine(outcomes):
    # 626.81 / 101.76 is 6.16: more than 0.1 away from six, so "more than six-fold".
    change = compare_latest(measure(outcomes, "Cocaine seized"))
    assert describe_change(change) == "Cocaine seized rose more than six-fold to 626.81 kg"


def test_describe_change_exact_three_fold():
    # Synthetic: 120 then 360.
    change = compare_latest(two_years(120, 360))
    assert describe_change(change) == "Arrested rose three-fold to 360"


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (100, 200, "Arrested rose two-fold to 200"),
        (100, 205, "Arrested rose two-fold to 205"),
        (100, 250, "Arrested rose more than two-fold to 250"),
        (100, 1000, "Arrested rose ten-fold to 1,000"),
        (100, 1200, "Arrested rose 12-fold to 1,200"),
        (100, 199, "Arrested rose 99% to 199"),
        (100, 150, "Arrested rose 50% to 150"),
        (100, 40, "Arrested fell 60% to 40"),
    ],
)
def test_describe_change_fold_and_percent(before, after, text):
    assert describe_change(compare_latest(two_years(before, after))) == text


def test_describe_change_arrested(outcomes):
    assert describe_change(compare_latest(measure(outcomes, "Arrested"))) == "Arrested fell 27% to 560"


def test_describe_change_stayed():
    assert describe_change(compare_latest(two_years(560, 560))) == "Arrested stayed at 560"
    assert describe_change(compare_latest(two_years(4, 4))) == "Arrested stayed at 4"


def test_describe_change_without_percent(outcomes):
    change = compare_latest(measure(outcomes, "Disruptions", strand="Pursue"))
    assert describe_change(change) == "Disruptions: 815, against 726 the year before"
    assert describe_change(compare_latest(two_years(4, 8))) == "Arrested: 8, against 4 the year before"


def test_describe_change_single_period(outcomes):
    change = compare_latest(measure(outcomes, "Rise in cocaine seized on previous year"))
    assert describe_change(change) == "Rise in cocaine seized on previous year: more than 500 kg"


def test_percent_text_real(outcomes):
    assert percent_text(compare_latest(measure(outcomes, "Cocaine seized"))) == "▲ up 516%"
    assert percent_text(compare_latest(measure(outcomes, "Arrested"))) == "▼ down 27%"


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (1000, 1004, "little change"),
        (1000, 996, "little change"),
        (1000, 1006, "▲ up 1%"),
        (1000, 994, "▼ down 1%"),
    ],
)
def test_percent_text_little_change_under_half_a_percent(before, after, text):
    assert percent_text(compare_latest(two_years(before, after))) == text


def test_percent_text_reason_when_no_percent(outcomes):
    rows = measure(outcomes, "Disruptions", strand="Prevent")
    assert percent_text(compare_latest(rows)) == "no % shown: recording changed between the periods"
    assert percent_text(compare_latest(two_years(4, 8))) == "no % shown: the earlier figure is under 10"
    single = compare_latest(measure(outcomes, "Rise in cocaine seized on previous year"))
    assert percent_text(single) == "no % shown: no earlier period"


def test_percent_text_no_change_without_percent():
    assert percent_text(compare_latest(two_years(4, 4))) == "no change"


def test_percent_text_equal_values_say_no_change():
    # Equal figures are 'no change' (as the docstring says and as they are on a small base),
    # not 'little change', which implies some movement.
    change = compare_latest(two_years(560, 560))
    assert change.direction == "same"
    assert percent_text(change) == "no change"


def test_describe_change_never_says_zero_percent():
    # 1,000 then 1,004 is 'little change' in percent_text; the headline should not read 'rose 0%'.
    text = describe_change(compare_latest(two_years(1000, 1004)))
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
    assert [c.label for c in rises] == ["huge rise", "mid rise", "small rise"]
    assert [c.label for c in falls] == ["big fall", "mid fall", "small fall"]
    rises, falls = biggest_changes(changes, n=1)
    assert [c.label for c in rises] == ["huge rise"]
    assert [c.label for c in falls] == ["big fall"]


def test_biggest_changes_real(outcomes):
    table = outcomes[outcomes["source"] == "para 88"]
    changes = [compare_latest(table[table["strand"] == s]) for s in schema.STRANDS]
    table = table[table["strand"] == ""]
    changes += [compare_latest(table[table["measure"] == m]) for m in dict.fromkeys(table["measure"])]
    assert len(changes) == 4 + 11
    rises, falls = biggest_changes(changes)
    assert [c.label for c in rises] == ["Other Class A seized", "Cocaine seized", "Ammunition seized"]
    assert [c.label for c in falls] == ["Safeguarded", "Years sentenced", "Charged"]
    assert all(c.label != "Disruptions" for c in rises + falls)  # series break: no %
    assert biggest_changes([]) == ([], [])


# --- why_empty --------------------------------------------------------------------------------


def test_why_empty_strand_on_rows_without_strands(outcomes):
    rows = outcomes[outcomes["category"] == "Criminal justice outcomes"]
    filters = Filters(strand="Pursue")
    assert apply_filters(rows, filters).empty
    assert why_empty(rows, filters) == "The sources do not split these figures by strand."


def test_why_empty_strand_missing_from_split_rows():
    # Synthetic: strands present but not the one asked for.
    rows = synthetic({"strand": "Pursue"}, {"strand": "Prevent"})
    assert why_empty(rows, Filters(strand="Protect")) == "No figures for the Protect strand in this chart."


def test_why_empty_force_on_region_only_rows(outcomes):
    filters = Filters(force="Staffordshire")
    assert apply_filters(outcomes, filters).empty
    assert why_empty(outcomes, filters) == "The paper reports this only for the West Midlands region as a whole."


def test_why_empty_other_force(store):
    rows = store.dataset("prevent_referrals")
    rows = rows[rows["measure"] == "Referrals"]
    filters = Filters(force="West Mercia")
    assert apply_filters(rows, filters).empty
    assert why_empty(rows, filters) == (
        "No figures for West Mercia. The sources report this only for: England and Wales, West Midlands region."
    )


def test_why_empty_unknown_period_lists_periods(outcomes):
    filters = Filters(period="2020/21")
    assert apply_filters(outcomes, filters).empty
    assert why_empty(outcomes, filters) == f"No figures for 2020/21. This chart covers: {EARLIER}; {LATER}."


def test_why_empty_unknown_period_many_periods(national_referrals):
    text = why_empty(national_referrals, Filters(period="2010/11"))
    assert text == "No figures for 2010/11. This chart covers: 2015/16; 2016/17; 2017/18; 2018/19 and others."


def test_why_empty_combination_and_no_rows(mixed):
    filters = Filters(period="2018/19", force="Staffordshire")
    assert apply_filters(mixed, filters).empty
    assert why_empty(mixed, filters) == "No figures match this combination of filters."
    assert why_empty(mixed.iloc[0:0], Filters()) == "There are no figures for this chart."
