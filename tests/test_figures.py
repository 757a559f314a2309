"""Chart builders: traces, values, labels, order, the app template and figure size."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from data.formatting import format_value
from data.queries import ordered_periods
from figures.charts import category_bars, empty_figure, period_bars, stacked_bars, timeline, trend_lines
from figures.theme import OKABE_ITO, PERIOD_COLOURS, TEMPLATE

EARLIER = "Dec 2018 to Nov 2019"
LATER = "Dec 2019 to Nov 2020"
JUSTICE = ("Arrested", "Charged", "Convicted")
LEAD_SUPPORT = ("ROCUWM lead", "ROCUWM support")
MAX_JSON = 30_000


@pytest.fixture(scope="module")
def justice(store) -> pd.DataFrame:
    rows = store.dataset("rocu_outcomes")
    return rows[rows["measure"].isin(JUSTICE)]


@pytest.fixture(scope="module")
def venetic(store) -> pd.DataFrame:
    return store.dataset("operation_venetic")


@pytest.fixture(scope="module")
def venetic_outcomes(venetic) -> pd.DataFrame:
    return venetic[venetic["category"] == "Outcomes"]


@pytest.fixture(scope="module")
def handles(venetic) -> pd.DataFrame:
    return venetic[venetic["measure"] == "EncroChat handles"]


@pytest.fixture(scope="module")
def referrals(store) -> pd.DataFrame:
    rows = store.dataset("prevent_referrals")
    return rows[(rows["measure"] == "Referrals") & (rows["force"].astype(str) == "England and Wales")]


@pytest.fixture(scope="module")
def breaks(store) -> pd.DataFrame:
    rows = store.dataset("prevent_referrals")
    return rows[rows["category"] == "Series breaks"]


@pytest.fixture(scope="module")
def public_order(store) -> pd.DataFrame:
    return store.dataset("public_order")


def floats(values) -> list[float]:
    return [float(v) for v in values]


def check_small_and_themed(fig: go.Figure) -> None:
    """On the app template (not plotly's default, which carries geo/mapbox and trace styles) and small."""
    assert fig.layout.template == TEMPLATE
    template = fig.to_plotly_json()["layout"]["template"]
    assert not {"geo", "mapbox", "map", "ternary", "scene", "polar"} & set(template["layout"])
    assert not template.get("data")
    assert list(fig.layout.template.layout.colorway) == list(OKABE_ITO)
    assert len(fig.to_json()) < MAX_JSON


def has_data(trace) -> bool:
    return any(len(getattr(trace, axis, None) or ()) for axis in ("x", "y"))


# --- period_bars ------------------------------------------------------------------------------


def test_period_bars_real_justice_outcomes(justice):
    fig = period_bars(justice, order=JUSTICE)
    assert [t.name for t in fig.data] == [EARLIER, LATER]
    assert all(t.type == "bar" for t in fig.data)
    first, second = fig.data
    assert list(first.x) == list(JUSTICE) and list(second.x) == list(JUSTICE)
    assert floats(first.y) == [765, 336, 211]
    assert floats(second.y) == [560, 209, 174]
    assert list(first.text) == ["765", "336", "211"]
    assert list(second.text) == ["560", "209", "174"]
    assert fig.layout.barmode == "group"
    assert fig.layout.showlegend is True
    assert [t.marker.color for t in fig.data] == list(PERIOD_COLOURS)  # earlier lighter, latest strong
    assert EARLIER in first.hovertemplate and LATER in second.hovertemplate
    check_small_and_themed(fig)


def test_period_bars_periods_in_time_order_whatever_the_row_order(justice):
    fig = period_bars(justice.iloc[::-1])
    assert [t.name for t in fig.data] == [EARLIER, LATER]
    assert floats(fig.data[1].y) == [174, 209, 560]  # category order follows the rows given


def test_period_bars_labels_are_formatted_values(store):
    rows = store.dataset("rocu_outcomes")
    rows = rows[rows["measure"].isin(["Cocaine seized", "Years sentenced"])]
    fig = period_bars(rows)
    texts = {t.name: list(t.text) for t in fig.data}
    assert texts[EARLIER] == ["1,504 years", "101.76 kg"]
    assert texts[LATER] == ["816 years", "626.81 kg"]
    for trace in fig.data:
        sub = rows[rows["period"] == trace.name]
        assert list(trace.text) == [
            format_value(v, str(u), str(q)) for v, u, q in zip(sub["value"], sub["unit"], sub["qualifier"], strict=True)
        ]


def test_period_bars_leave_out_not_stated(justice):
    rows = justice.copy()
    charged_later = (rows["measure"] == "Charged") & (rows["period"] == LATER)
    rows.loc[charged_later, "value"] = float("nan")
    rows.loc[charged_later, "qualifier"] = "not stated"
    fig = period_bars(rows, order=JUSTICE)
    first, second = fig.data
    assert list(first.x) == list(JUSTICE)
    assert list(second.x) == ["Arrested", "Convicted"]
    assert floats(second.y) == [560, 174]
    assert list(second.text) == ["560", "174"]
    assert "Not stated" not in list(second.text)


def test_period_bars_horizontal(justice):
    fig = period_bars(justice, order=JUSTICE, horizontal=True)
    assert all(t.orientation == "h" for t in fig.data)
    assert floats(fig.data[0].x) == [765, 336, 211]
    assert list(fig.data[0].y) == list(JUSTICE)
    assert list(fig.layout.yaxis.categoryarray) == list(JUSTICE[::-1])


def test_period_bars_by_strand(store):
    rows = store.dataset("rocu_outcomes")
    rows = rows[rows["measure"] == "Disruptions"]
    fig = period_bars(rows, category="strand")
    assert [t.name for t in fig.data] == [EARLIER, LATER]
    by_strand = dict(zip(fig.data[0].x, floats(fig.data[0].y), strict=True))
    assert by_strand == {"Prepare": 20, "Prevent": 261, "Protect": 180, "Pursue": 726}
    check_small_and_themed(fig)


# --- category_bars and stacked_bars -----------------------------------------------------------


def test_category_bars_venetic_handles(handles):
    fig = category_bars(handles)
    assert len(fig.data) == 1
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert floats(bar.x) == [357, 13, 41, 15, 288]
    # Long names are wrapped onto lines (<br>) so narrow screens keep room for the bars.
    assert unwrap(bar.y) == handles["breakdown"].tolist()
    assert list(bar.text) == ["357", "13", "41", "15", "288"]
    assert unwrap(fig.layout.yaxis.categoryarray) == handles["breakdown"].tolist()[::-1]
    check_small_and_themed(fig)


def test_category_bars_vertical_and_not_stated_left_out(venetic_outcomes):
    rows = venetic_outcomes[venetic_outcomes["measure"] == "Cannabis seized"]
    fig = category_bars(rows, horizontal=False)
    (bar,) = fig.data
    assert bar.orientation in (None, "v")
    assert list(bar.x) == ["ROCUWM lead", "Total"]
    assert floats(bar.y) == [22, 22]
    assert list(bar.text) == ["22 kg", "22 kg"]


def test_stacked_bars_venetic(venetic_outcomes):
    fig = stacked_bars(venetic_outcomes, parts=LEAD_SUPPORT)
    measures = list(dict.fromkeys(venetic_outcomes["measure"]))
    lead, support, totals = fig.data
    assert (lead.name, support.name) == LEAD_SUPPORT
    assert lead.type == support.type == "bar" and totals.type == "scatter"
    assert fig.layout.barmode == "stack"
    assert unwrap(lead.y) == unwrap(support.y) == unwrap(totals.y) == measures
    cocaine = measures.index("Cocaine seized")
    assert (lead.x[cocaine], support.x[cocaine], totals.x[cocaine]) == (418.5, 140, 558.5)
    assert lead.text[cocaine] == "418.5 kg" and support.text[cocaine] == "140 kg"
    assert totals.text[cocaine].strip() == "Total 558.5 kg"
    arrested = measures.index("Arrested")
    assert (lead.x[arrested], support.x[arrested]) == (72, 9)
    assert totals.text[arrested].strip() == "Total 81"
    # Every stacked bar adds up to its stated total where both parts are stated.
    for i, _ in enumerate(measures):
        if support.customdata[i] != "Not stated":
            assert lead.x[i] + support.x[i] == pytest.approx(totals.x[i])
    check_small_and_themed(fig)


def test_stacked_bars_not_stated_part(venetic_outcomes):
    fig = stacked_bars(venetic_outcomes, parts=LEAD_SUPPORT)
    measures = list(dict.fromkeys(venetic_outcomes["measure"]))
    lead, support, totals = fig.data
    cannabis = measures.index("Cannabis seized")
    assert support.x[cannabis] == 0
    assert support.text[cannabis] == ""
    assert support.customdata[cannabis] == "Not stated"
    assert "%{customdata}" in support.hovertemplate
    assert support.hovertemplate.startswith("ROCUWM support")
    assert lead.x[cannabis] == 22 and lead.customdata[cannabis] == "22 kg"
    assert totals.text[cannabis].strip() == "Total 22 kg"
    # An exact zero is drawn as nothing but says 0 on hover, not 'Not stated'.
    safeguarded = measures.index("Safeguarded adults")
    assert lead.x[safeguarded] == 0 and lead.customdata[safeguarded] == "0"


def test_stacked_bars_missing_part_row_says_not_stated(venetic_outcomes):
    rows = venetic_outcomes[
        ~((venetic_outcomes["measure"] == "Cannabis seized") & (venetic_outcomes["breakdown"] == "ROCUWM support"))
    ]
    fig = stacked_bars(rows, parts=LEAD_SUPPORT)
    measures = list(dict.fromkeys(rows["measure"]))
    support = fig.data[1]
    cannabis = measures.index("Cannabis seized")
    assert support.x[cannabis] == 0
    assert support.customdata[cannabis] == "Not stated"


# --- trend_lines ------------------------------------------------------------------------------

YEARS = [f"{y}/{y - 2000 + 1}" for y in range(2015, 2025)]


def test_trend_lines_national_referrals(referrals):
    fig = trend_lines(referrals)
    # 2024/25 is a series break (a new data source): its point is not joined to the line before it.
    before, after = fig.data
    assert before.name == after.name == "All" and before.showlegend and not after.showlegend
    assert list(before.x) == YEARS[:-1] and list(after.x) == ["2024/25"]
    assert list(fig.layout.xaxis.categoryarray) == YEARS
    values = referrals.set_index("period")["value"]
    assert floats(before.y) + floats(after.y) == [values[p] for p in YEARS]
    assert before.y[0] == 7631 and after.y[-1] == 8778
    symbols = list(before.marker.symbol)
    more_than = YEARS.index("2017/18")
    assert all(symbols[i] != symbols[more_than] for i in range(len(YEARS) - 1) if i != more_than)
    assert len(set(symbols) - {symbols[more_than]}) == 1
    assert symbols[more_than].endswith("-open")
    assert before.text[more_than] == "more than 7,300"
    assert before.text[0] == "7,631"
    assert fig.layout.showlegend is False
    check_small_and_themed(fig)


def test_trend_lines_order_whatever_the_row_order(referrals):
    fig = trend_lines(referrals.sample(frac=1, random_state=3))
    assert [x for t in fig.data for x in t.x] == YEARS


def test_trend_lines_axis_shows_years_without_figures_as_gaps(referrals):
    without_2019 = referrals[referrals["period"] != "2019/20"]
    fig = trend_lines(without_2019, periods=YEARS)
    assert list(fig.layout.xaxis.categoryarray) == YEARS
    assert math.isnan(fig.data[0].y[YEARS.index("2019/20")])


def test_trend_lines_breaks_drawn(referrals, breaks):
    fig = trend_lines(referrals, breaks=breaks)
    drawn = breaks[breaks["period"].isin(YEARS)]
    periods = set(drawn["period"])
    assert len(periods) > 1
    # One dashed line and one annotation per period with breaks, just before that period.
    assert len(fig.layout.shapes) == len(periods)
    assert len(fig.layout.annotations) == len(periods)
    assert all(s.line.dash == "dash" for s in fig.layout.shapes)
    expected = sorted(YEARS.index(p) - 0.5 for p in periods)
    assert sorted(s.x0 for s in fig.layout.shapes) == expected
    assert sorted(a.x for a in fig.layout.annotations) == expected
    by_x = {a.x: a.text for a in fig.layout.annotations}
    for _, row in drawn.iterrows():
        assert row["measure"] in by_x[YEARS.index(row["period"]) - 0.5]
    check_small_and_themed(fig)


def test_trend_lines_breaks_outside_the_periods_not_drawn(referrals, breaks):
    outside = breaks.iloc[:1].copy()
    outside["period"] = "2009/10"
    fig = trend_lines(referrals, breaks=outside)
    assert len(fig.layout.shapes) == 0
    assert len(fig.layout.annotations) == 0
    assert len(trend_lines(referrals).layout.shapes) == 0


def test_trend_lines_one_line_per_series(store):
    rows = store.dataset("prevent_referrals")
    rows = rows[
        (rows["measure"] == "Referrals by type of concern") & (rows["force"].astype(str) == "England and Wales")
    ]
    fig = trend_lines(rows)
    assert sorted(t.name for t in fig.data if t.showlegend) == sorted(set(rows["breakdown"]))
    assert fig.layout.showlegend is (len(fig.data) > 1)
    periods = ordered_periods(rows)
    for name in set(rows["breakdown"]):
        # Each line runs over the periods in time order (split only at series breaks);
        # a year with no figure is a gap (NaN), never bridged.
        segments = [t for t in fig.data if t.name == name]
        xs = [x for t in segments for x in t.x]
        assert xs == [p for p in periods if p in xs]
        data = rows[rows["breakdown"] == name].set_index("period")["value"]
        drawn = {x: y for t in segments for x, y in zip(t.x, t.y, strict=True) if y == y}
        assert drawn == data.to_dict()
        assert all(t.connectgaps is not True for t in segments)
        breaks = set(rows.loc[(rows["breakdown"] == name) & (rows["series_break"] == "yes"), "period"])
        assert {t.x[0] for t in segments[1:]} <= breaks
    check_small_and_themed(fig)


# --- timeline ---------------------------------------------------------------------------------


def test_timeline_public_order(public_order):
    fig = timeline(public_order)
    segments, points, events = fig.data
    dated = public_order[public_order["period_start"].notna()]
    assert len(dated) < len(public_order)  # some rows have no date and are left out
    # Every dated event carries its hover text, in date order.
    assert len(events.x) == len(dated)
    xs = list(pd.to_datetime(events.x))
    assert xs == sorted(xs)
    assert sorted(events.y) == sorted(dated["measure"])
    undated = set(public_order.loc[public_order["period_start"].isna(), "measure"])
    assert not undated & set(events.y)
    by_name = dict(zip(events.y, events.text, strict=True))
    assert by_name["Training qualifications extended"] == "6 months"
    assert by_name["POPS training halted"] == "Public order and public safety training stopped"
    # A month-dated event is a point; a season or a year is a span, not pinned to one day.
    assert "POPS training halted" in set(points.y)
    assert "Black Lives Matter protests" not in set(points.y)
    assert "Black Lives Matter protests" in set(segments.y)
    blm = [x for x, y in zip(segments.x, segments.y, strict=True) if y == "Black Lives Matter protests"]
    assert [str(pd.Timestamp(x).date()) for x in blm] == ["2020-06-01", "2020-08-31"]
    assert list(events.y).index("POPS training halted") < list(events.y).index("POPS training restarted")
    check_small_and_themed(fig)


# --- empty figures ----------------------------------------------------------------------------


def check_empty(fig: go.Figure, message: str) -> None:
    assert not any(has_data(t) for t in fig.data)
    assert [a.text for a in fig.layout.annotations] == [message]
    assert fig.layout.xaxis.visible is False
    assert fig.layout.yaxis.visible is False
    assert fig.layout.template == TEMPLATE


def test_empty_figure():
    fig = empty_figure("Nothing to show.")
    check_empty(fig, "Nothing to show.")
    assert len(fig.data) == 0
    assert fig.layout.height == 160
    assert empty_figure("x", height=300).layout.height == 300


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (period_bars, "No figures for this selection."),
        (category_bars, "No figures for this selection."),
        (lambda rows: stacked_bars(rows, parts=LEAD_SUPPORT), "No figures for this selection."),
        (trend_lines, "No figures for this selection."),
        (timeline, "No dated events for this selection."),
    ],
    ids=["period_bars", "category_bars", "stacked_bars", "trend_lines", "timeline"],
)
def test_builders_with_empty_frame(store, build, message):
    fig = build(store.frame.iloc[0:0])
    check_empty(fig, message)


def test_builders_with_nothing_drawable(store, public_order, venetic_outcomes):
    not_stated = venetic_outcomes[venetic_outcomes["qualifier"] == "not stated"]
    assert len(not_stated) > 0
    check_empty(category_bars(not_stated), "No figures for this selection.")
    check_empty(trend_lines(not_stated), "No figures for this selection.")
    undated = public_order[public_order["period_start"].isna()]
    assert len(undated) > 0
    check_empty(timeline(undated), "No dated events for this selection.")


def unwrap(labels) -> list[str]:
    """Category labels with their line breaks turned back into spaces."""
    return [str(label).replace("<br>", " ") for label in labels]
