"""Chart builders: traces, values, labels, order, the app template and figure size.

Every frame here is written in the test (``tests.frames``), never read from the shipped data.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from data import schema
from data.queries import ordered_periods
from figures.charts import (
    AT_LEAST_NAME,
    category_bars,
    distinct_labels,
    empty_figure,
    period_bars,
    stacked_bars,
    timeline,
    trend_lines,
)
from figures.theme import PALETTE, PERIOD_COLOURS, TEMPLATE
from tests.frames import EARLIER, LATER, PERIODS, frame, row

JUSTICE = ("Arrested", "Charged", "Convicted")
LEAD_SUPPORT = ("ROCUWM lead", "ROCUWM support")
MAX_JSON = 30_000
BEFORE = PERIODS[EARLIER]
AFTER = PERIODS[LATER]
YEARS = [f"{y}/{y - 2000 + 1}" for y in range(2015, 2025)]
DERIVED_TRACE = "Worked out by the dashboard"


def year(label: str) -> dict[str, str]:
    """A financial year's label and dates: year('2019/20') is April 2019 to March 2020."""
    first = int(label[:4])
    return {"period": label, "start": f"{first}-04-01", "end": f"{first + 1}-03-31"}


def floats(values) -> list[float]:
    return [float(v) for v in values]


def unwrap(labels) -> list[str]:
    """Category labels with their line breaks turned back into spaces."""
    return [str(label).replace("<br>", " ") for label in labels]


def check_small_and_themed(fig: go.Figure) -> None:
    """On the app template (not plotly's default, which carries geo/mapbox and trace styles) and small."""
    assert fig.layout.template == TEMPLATE
    template = fig.to_plotly_json()["layout"]["template"]
    assert not {"geo", "mapbox", "map", "ternary", "scene", "polar"} & set(template["layout"])
    assert not template.get("data")
    assert list(fig.layout.template.layout.colorway) == list(PALETTE)
    assert len(fig.to_json()) < MAX_JSON


def has_data(trace) -> bool:
    return any(getattr(trace, axis, None) is not None and len(getattr(trace, axis)) > 0 for axis in ("x", "y"))


def patterns(trace) -> list[str]:
    """The hatching of each bar of a trace ('' for none)."""
    shape = trace.marker.pattern.shape if trace.marker.pattern is not None else None
    if shape is None:
        return [""] * len(trace.text)
    return [shape] * len(trace.text) if isinstance(shape, str) else list(shape)


# --- Frames written for these tests -----------------------------------------------------------


@pytest.fixture()
def justice() -> pd.DataFrame:
    """Arrested, charged and convicted in two periods (figures as a board paper gives them)."""
    figures = {"Arrested": (765, 560), "Charged": (336, 209), "Convicted": (211, 174)}
    return frame(
        *(
            row(measure=m, value=v, **p)
            for m, values in figures.items()
            for p, v in zip((BEFORE, AFTER), values, strict=True)
        )
    )


@pytest.fixture()
def handles() -> pd.DataFrame:
    """EncroChat handles split five ways; the last split is worked out from the others."""
    splits = (
        ("Identified in the region", 357, "no"),
        ("Suitable for other agencies outside the region", 13, "no"),
        ("Not suitable for further investigation", 41, "no"),
        ("IP data: attribution review only", 15, "no"),
        ("Remainder not in the three groups", 288, "yes"),
    )
    return frame(
        *(
            row(measure="EncroChat handles", breakdown=b, value=v, unit="handles", derived=d, period="To January 2021")
            for b, v, d in splits
        )
    )


@pytest.fixture()
def venetic_outcomes() -> pd.DataFrame:
    """Results led and supported by the regional unit, with two parts the source leaves blank."""
    figures = (
        ("Arrested", "people", 72, 9, 81),
        ("Safeguarded adults", "people", 0, 1, 1),
        ("Cocaine seized", "kg", 418.5, 140, 558.5),
        ("Cannabis seized", "kg", 22, None, 22),
        ("Cannabis plants seized", "plants", 184, None, 184),
    )
    return frame(
        *(
            row(
                measure=m, category="Outcomes", breakdown=b, value=v, unit=u, period="To January 2021", start="", end=""
            )
            for m, u, *values in figures
            for b, v in zip((*LEAD_SUPPORT, "Total"), values, strict=True)
        )
    )


@pytest.fixture()
def referrals() -> pd.DataFrame:
    """National Prevent referrals by year: 2017/18 is 'over 7,300'; 2024/25 is a series break."""
    values = (7631, 6093, 7300, 5737, 6287, 4915, 6406, 6817, 6922, 8778)
    return frame(
        *(
            row(
                measure="Referrals",
                breakdown="All",
                force="England and Wales",
                strand="Prevent",
                unit="referrals",
                value=v,
                qualifier="over" if p == "2017/18" else "exact",
                series_break="yes" if p == "2024/25" else "",
                **year(p),
            )
            for p, v in zip(YEARS, values, strict=True)
        )
    )


@pytest.fixture()
def breaks() -> pd.DataFrame:
    """Changes of recording, as rows with a period and a name; one spans every year (not drawn)."""
    changes = (
        ("Change of concern categories", "2017/18"),
        ("Change of Channel measure", "2018/19"),
        ("Change of concern categories", "2023/24"),
        ("Change of concern categories", "2024/25"),
        ("Change of data source", "2024/25"),
    )
    rows = [
        row(measure=m, category="Series breaks", value=None, qualifier="exact", unit="event", value_text="x", **year(p))
        for m, p in changes
    ]
    rows.append(
        row(
            measure="Revisions to earlier years",
            category="Series breaks",
            period="2015/16 to 2024/25",
            start="2015-04-01",
            end="2025-03-31",
            value=None,
            qualifier="exact",
            unit="event",
            value_text="Each release may revise earlier years",
        )
    )
    return frame(*rows)


@pytest.fixture()
def public_order() -> pd.DataFrame:
    """Events dated to a month, to a season or a year, open-ended, and not dated at all."""

    def event(measure: str, period: str, start: str, end: str, text: str = "", **values) -> dict:
        defaults = {"value": None, "qualifier": "exact", "unit": "event", "force": "West Midlands Police"}
        return row(measure=measure, period=period, start=start, end=end, value_text=text, **{**defaults, **values})

    return frame(
        event("POPS training halted", "March 2020", "2020-03-01", "2020-03-31", "Training stopped"),
        event("POPS training restarted", "September 2020", "2020-09-01", "2020-09-30", "Training resumed"),
        event("Training qualifications extended", "2020", "2020-01-01", "2020-12-31", value=6, unit="months"),
        event("Officers trained to national standard", "Since the start of 2020", "2020-01-01", "", "Up slightly"),
        event("Black Lives Matter protests", "Summer 2020", "2020-06-01", "2020-08-31", "Significant demand"),
        event("HMICFRS feedback on policing the protests", "At January 2021", "", "", "Positive", unit="level"),
        event("Football", "At January 2021", "", "", "Little football to police"),
    )


# --- distinct_labels --------------------------------------------------------------------------


def test_distinct_labels_unchanged_when_names_differ(justice):
    assert distinct_labels(justice, "measure", within=("period",)) == list(justice["measure"])


def test_distinct_labels_adds_what_tells_apart_two_areas():
    rows = frame(row(force="Staffordshire"), row(force="Warwickshire"), row(measure="Charged"))
    assert distinct_labels(rows, "measure") == ["Arrested (Staffordshire)", "Arrested (Warwickshire)", "Charged"]


def test_distinct_labels_every_row_sharing_a_name_is_named():
    rows = frame(row(force="Staffordshire"), row(force="Warwickshire"), row(force="West Mercia"))
    assert distinct_labels(rows, "measure") == [
        "Arrested (Staffordshire)",
        "Arrested (Warwickshire)",
        "Arrested (West Mercia)",
    ]


def test_distinct_labels_breakdown_told_apart_by_measure():
    rows = frame(row(measure="Arrested", breakdown="Total"), row(measure="Charged", breakdown="Total"))
    assert distinct_labels(rows, "breakdown") == ["Total (Arrested)", "Total (Charged)"]


def test_distinct_labels_only_within_the_given_columns(justice):
    # Each measure appears once a period: nothing to tell apart within a period, but all across them.
    assert distinct_labels(justice, "measure", within=("period",)) == list(justice["measure"])
    assert distinct_labels(justice, "measure") == [
        f"{m} ({p})" for m, p in zip(justice["measure"], justice["period"], strict=True)
    ]


def test_distinct_labels_numbers_rows_nothing_tells_apart():
    assert distinct_labels(frame(row(), row()), "measure") == ["Arrested", "Arrested (2)"]
    assert distinct_labels(frame(row(dataset="a"), row(dataset="b")), "measure") == ["Arrested (a)", "Arrested (b)"]


# --- period_bars ------------------------------------------------------------------------------


def test_period_bars_justice_outcomes(justice):
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
    assert patterns(first) == patterns(second) == ["", "", ""]  # nothing worked out, nothing hatched
    check_small_and_themed(fig)


def test_period_bars_order_puts_named_categories_first(justice):
    fig = period_bars(justice, order=("Convicted", "Arrested"))
    assert list(fig.data[0].x) == ["Convicted", "Arrested", "Charged"]
    assert floats(fig.data[0].y) == [211, 765, 336]


def test_period_bars_periods_in_time_order_whatever_the_row_order(justice):
    fig = period_bars(justice.iloc[::-1])
    assert [t.name for t in fig.data] == [EARLIER, LATER]
    assert floats(fig.data[1].y) == [174, 209, 560]  # category order follows the rows given


def test_period_bars_periods_ordered_by_end_date():
    rows = frame(
        row(period="Jan 2019 to Dec 2020", start="2019-01-01", end="2020-12-31", value=400),
        row(period="Apr to Jun 2020", start="2020-04-01", end="2020-06-30", value=100),
    )
    fig = period_bars(rows)
    assert [t.name for t in fig.data] == ["Apr to Jun 2020", "Jan 2019 to Dec 2020"]
    assert [floats(t.y) for t in fig.data] == [[100], [400]]


def test_period_bars_labels_are_formatted_values():
    rows = frame(
        row(measure="Years sentenced", unit="years", value=1504, **BEFORE),
        row(measure="Years sentenced", unit="years", value=816, **AFTER),
        row(measure="Cocaine seized", unit="kg", value=101.76, **BEFORE),
        row(measure="Cocaine seized", unit="kg", value=626.81, **AFTER),
        row(measure="Rise in cocaine seized", unit="kg", value=500, qualifier="over", **AFTER),
    )
    fig = period_bars(rows)
    texts = {t.name: list(t.text) for t in fig.data if t.type == "bar"}
    assert texts[EARLIER] == ["1,504 years", "101.76 kg"]
    assert texts[LATER] == ["816 years", "626.81 kg", "over 500 kg"]
    # The lower bound is marked at a glance: an arrowhead at the end of its own bar, named in the legend.
    (marker,) = [t for t in fig.data if t.name == AT_LEAST_NAME]
    assert list(marker.x) == ["Rise in cocaine seized"] and floats(marker.y) == [500]
    later = next(t for t in fig.data if t.name == LATER)
    assert marker.offsetgroup == later.offsetgroup and fig.layout.scattermode == "group"
    assert fig.layout.showlegend is True


def test_bars_with_exact_figures_have_no_lower_bound_marker(justice):
    assert not [t for t in period_bars(justice).data if t.name == AT_LEAST_NAME]
    assert not [t for t in category_bars(justice).data if t.name == AT_LEAST_NAME]


def test_category_bars_mark_a_lower_bound():
    rows = frame(
        row(measure="People arrested", value=360, qualifier="over", **AFTER),
        row(measure="Lines closed", value=90, **AFTER),
    )
    fig = category_bars(rows, label="measure")
    (marker,) = [t for t in fig.data if t.name == AT_LEAST_NAME]
    assert floats(marker.x) == [360] and list(marker.y) == ["People arrested"]
    assert marker.marker.symbol == "triangle-right"


def test_period_bars_leave_out_not_stated(justice):
    charged_later = (justice["measure"] == "Charged") & (justice["period"] == LATER)
    rows = frame(
        *(
            row(measure=r.measure, value=None if gone else r.value, **PERIODS[r.period])
            for r, gone in zip(justice.itertuples(), charged_later, strict=True)
        )
    )
    assert rows["qualifier"].astype(str).tolist().count("not stated") == 1
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


def test_period_bars_by_strand():
    figures = {"Pursue": (726, 815), "Prevent": (261, 133), "Protect": (180, 181), "Prepare": (20, 12)}
    rows = frame(
        *(
            row(measure="Disruptions", strand=s, unit="disruptions", value=v, **p)
            for s, values in figures.items()
            for p, v in zip((BEFORE, AFTER), values, strict=True)
        )
    )
    fig = period_bars(rows, category="strand")
    assert [t.name for t in fig.data] == [EARLIER, LATER]
    assert dict(zip(fig.data[0].x, floats(fig.data[0].y), strict=True)) == {s: v[0] for s, v in figures.items()}
    assert dict(zip(fig.data[1].x, floats(fig.data[1].y), strict=True)) == {s: v[1] for s, v in figures.items()}
    check_small_and_themed(fig)


def test_period_bars_tell_apart_a_second_area():
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Warwickshire", value=40, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
        row(force="Warwickshire", value=30, **AFTER),
    )
    fig = period_bars(rows)
    for trace, values in zip(fig.data, ([100, 40], [120, 30]), strict=True):
        assert list(trace.x) == ["Arrested (Staffordshire)", "Arrested (Warwickshire)"]
        assert floats(trace.y) == values
    check_small_and_themed(fig)


def test_period_bars_area_missing_a_period_stays_in_its_group():
    # Warwickshire has no later figure: Staffordshire's later bar must still sit with its earlier one.
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Warwickshire", value=40, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
    )
    first, second = period_bars(rows).data
    assert dict(zip(first.x, floats(first.y), strict=True)) == {
        "Arrested (Staffordshire)": 100,
        "Arrested (Warwickshire)": 40,
    }
    assert dict(zip(second.x, floats(second.y), strict=True)) == {"Arrested (Staffordshire)": 120}


def test_period_bars_tell_apart_a_second_breakdown():
    rows = frame(
        row(breakdown="ROCUWM lead", value=72, **AFTER),
        row(breakdown="ROCUWM support", value=9, **AFTER),
        row(measure="Charged", value=40, **AFTER),
    )
    (bars,) = period_bars(rows).data
    assert list(bars.x) == ["Arrested (ROCUWM lead)", "Arrested (ROCUWM support)", "Charged"]
    assert floats(bars.y) == [72, 9, 40]


def test_period_bars_hatch_and_label_a_worked_out_bar(justice):
    rows = justice.copy()
    worked_out = (rows["measure"] == "Charged") & (rows["period"] == LATER)
    rows.loc[worked_out, "derived"] = "yes"
    first, second = period_bars(rows, order=JUSTICE).data
    assert list(second.text) == ["560", "209 (worked out)", "174"]
    assert patterns(second) == ["", "/", ""]
    assert list(first.text) == ["765", "336", "211"]
    assert patterns(first) == ["", "", ""]
    assert floats(second.y) == [560, 209, 174]  # drawn at its value all the same


# --- category_bars ----------------------------------------------------------------------------


def test_category_bars_venetic_handles(handles):
    fig = category_bars(handles)
    assert len(fig.data) == 1
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert floats(bar.x) == [357, 13, 41, 15, 288]
    # Long names are wrapped onto lines (<br>) so narrow screens keep room for the bars.
    names = [
        "Identified in the region",
        "Suitable for other agencies outside the region",
        "Not suitable for further investigation",
        "IP data: attribution review only",
        "Remainder not in the three groups",
    ]
    assert unwrap(bar.y) == names
    assert any("<br>" in str(y) for y in bar.y)
    assert unwrap(fig.layout.yaxis.categoryarray) == names[::-1]
    # The remainder is worked out by the dashboard: hatched, and its label says so.
    assert list(bar.text) == ["357", "13", "41", "15", "288 (worked out)"]
    assert patterns(bar) == ["", "", "", "", "/"]
    check_small_and_themed(fig)


def test_category_bars_nothing_worked_out_nothing_hatched(handles):
    rows = handles[handles["derived"] == "no"]
    (bar,) = category_bars(rows).data
    assert list(bar.text) == ["357", "13", "41", "15"]
    assert patterns(bar) == ["", "", "", ""]


def test_category_bars_vertical_and_not_stated_left_out(venetic_outcomes):
    rows = venetic_outcomes[venetic_outcomes["measure"] == "Cannabis seized"]
    fig = category_bars(rows, horizontal=False)
    (bar,) = fig.data
    assert bar.orientation in (None, "v")
    assert list(bar.x) == ["ROCUWM lead", "Total"]
    assert floats(bar.y) == [22, 22]
    assert list(bar.text) == ["22 kg", "22 kg"]


def test_category_bars_tell_apart_rows_sharing_a_breakdown():
    rows = frame(
        row(measure="Arrested", breakdown="Total", value=81),
        row(measure="Charged", breakdown="Total", value=40),
        row(measure="Charged", breakdown="ROCUWM lead", value=30),
    )
    (bar,) = category_bars(rows, horizontal=False).data
    assert list(bar.x) == ["Total (Arrested)", "Total (Charged)", "ROCUWM lead"]
    assert floats(bar.y) == [81, 40, 30]


def test_category_bars_tell_apart_a_second_area():
    rows = frame(
        row(force="Staffordshire", value=100),
        row(force="Warwickshire", value=40),
    )
    (bar,) = category_bars(rows, label="measure").data
    assert unwrap(bar.y) == ["Arrested (Staffordshire)", "Arrested (Warwickshire)"]
    assert floats(bar.x) == [100, 40]


# --- stacked_bars -----------------------------------------------------------------------------


def test_stacked_bars_venetic(venetic_outcomes):
    fig = stacked_bars(venetic_outcomes, parts=LEAD_SUPPORT)
    measures = ["Arrested", "Safeguarded adults", "Cocaine seized", "Cannabis seized", "Cannabis plants seized"]
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


def test_stacked_bars_as_share(venetic_outcomes):
    lead, support, totals = stacked_bars(venetic_outcomes, parts=LEAD_SUPPORT, as_share=True).data
    cocaine = 2
    assert lead.x[cocaine] == pytest.approx(418.5 / 558.5 * 100)
    assert support.x[cocaine] == pytest.approx(140 / 558.5 * 100)
    assert totals.x[cocaine] == pytest.approx(100)
    assert lead.text[cocaine] == "418.5 kg"  # the labels keep the real figures


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
        ~((venetic_outcomes["measure"] == "Arrested") & (venetic_outcomes["breakdown"] == "ROCUWM support"))
    ]
    fig = stacked_bars(rows, parts=LEAD_SUPPORT)
    measures = list(dict.fromkeys(rows["measure"]))
    support = fig.data[1]
    arrested = measures.index("Arrested")
    assert support.x[arrested] == 0
    assert support.customdata[arrested] == "Not stated"
    assert fig.data[0].x[arrested] == 72


def test_stacked_bars_tell_apart_a_second_area():
    rows = frame(
        *(
            row(measure="Cocaine seized", unit="kg", force=f, breakdown=b, value=v)
            for f, values in (("Staffordshire", (10, 5, 15)), ("Warwickshire", (7, 2, 9)))
            for b, v in zip((*LEAD_SUPPORT, "Total"), values, strict=True)
        )
    )
    lead, support, totals = stacked_bars(rows, parts=LEAD_SUPPORT).data
    names = ["Cocaine seized (Staffordshire)", "Cocaine seized (Warwickshire)"]
    assert unwrap(lead.y) == unwrap(support.y) == unwrap(totals.y) == names
    assert floats(lead.x) == [10, 7] and floats(support.x) == [5, 2]
    assert [t.strip() for t in totals.text] == ["Total 15 kg", "Total 9 kg"]


def test_stacked_bars_tell_apart_a_second_period():
    rows = frame(
        *(
            row(breakdown=b, value=v, **p)
            for p, values in ((BEFORE, (60, 10, 70)), (AFTER, (72, 9, 81)))
            for b, v in zip((*LEAD_SUPPORT, "Total"), values, strict=True)
        )
    )
    lead, _, totals = stacked_bars(rows, parts=LEAD_SUPPORT).data
    assert unwrap(lead.y) == [f"Arrested ({EARLIER})", f"Arrested ({LATER})"]
    assert floats(lead.x) == [60, 72]
    assert [t.strip() for t in totals.text] == ["Total 70", "Total 81"]


def test_stacked_bars_mark_a_worked_out_part():
    # A part the dashboard worked out is hatched and labelled so, as it is in the other bar charts.
    rows = frame(
        row(breakdown="ROCUWM lead", value=72),
        row(breakdown="ROCUWM support", value=9, derived="yes"),
        row(breakdown="Total", value=81),
    )
    lead, support, _ = stacked_bars(rows, parts=LEAD_SUPPORT).data
    assert patterns(lead) == [""]
    assert patterns(support) == ["/"]
    said = [*support.text, *support.customdata]
    assert any(str(t).endswith(" (worked out)") for t in said), said
    assert not any("worked out" in str(t) for t in [*lead.text, *lead.customdata])


# --- trend_lines ------------------------------------------------------------------------------


def test_trend_lines_national_referrals(referrals):
    fig = trend_lines(referrals)
    # 2024/25 is a series break (a new data source): its point is not joined to the line before it.
    before, after = fig.data
    assert before.name == after.name == "All" and before.showlegend and not after.showlegend
    # Each point is named by its period; the axis is spaced by the periods' dates.
    assert list(before.customdata) == YEARS[:-1] and list(after.customdata) == ["2024/25"]
    assert fig.layout.xaxis.type == "date"
    assert [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext] == YEARS
    assert list(before.x) == sorted(before.x)
    assert floats(before.y) + floats(after.y) == [7631, 6093, 7300, 5737, 6287, 4915, 6406, 6817, 6922, 8778]
    symbols = list(before.marker.symbol)
    over = YEARS.index("2017/18")
    assert symbols[over] == "triangle-up-open"
    assert set(symbols[:over] + symbols[over + 1 :]) == {"circle"}
    assert before.text[over] == "over 7,300"
    assert before.text[0] == "7,631"
    assert fig.layout.showlegend is False
    check_small_and_themed(fig)


def test_trend_lines_order_whatever_the_row_order(referrals):
    fig = trend_lines(referrals.sample(frac=1, random_state=3))
    assert [x for t in fig.data for x in t.customdata] == YEARS


def test_trend_lines_periods_ordered_by_end_date():
    rows = frame(
        row(period="Jan 2019 to Dec 2020", start="2019-01-01", end="2020-12-31", value=400),
        row(period="Apr to Jun 2020", start="2020-04-01", end="2020-06-30", value=100),
    )
    (line,) = trend_lines(rows).data
    assert list(line.customdata) == ["Apr to Jun 2020", "Jan 2019 to Dec 2020"]
    assert floats(line.y) == [100, 400]


def test_trend_lines_axis_shows_years_without_figures_as_gaps(referrals):
    without_2019 = referrals[referrals["period"] != "2019/20"]
    fig = trend_lines(without_2019, periods=YEARS)
    assert list(fig.layout.xaxis.categoryarray) == YEARS
    assert math.isnan(fig.data[0].y[YEARS.index("2019/20")])
    assert fig.data[0].y[YEARS.index("2018/19")] == 5737


def test_trend_lines_breaks_drawn(referrals, breaks):
    fig = trend_lines(referrals, breaks=breaks)
    periods = ["2017/18", "2018/19", "2023/24", "2024/25"]  # the spanning row is not one of the years
    # One dashed line and one annotation per period with breaks, just before that period.
    assert len(fig.layout.shapes) == len(periods)
    assert len(fig.layout.annotations) == len(periods)
    assert all(s.line.dash == "dash" for s in fig.layout.shapes)
    # Each just before its period: between that period's point and the one before.
    when = {label: x for t in fig.data for label, x in zip(t.customdata, t.x, strict=True)}
    by_x = {pd.Timestamp(a.x): a.text for a in fig.layout.annotations}
    assert sorted(pd.Timestamp(s.x0) for s in fig.layout.shapes) == sorted(by_x)
    for p in periods:
        before, at = when[YEARS[YEARS.index(p) - 1]], when[p]
        assert [x for x in by_x if before < x < at], p
    text_before = {
        p: next(t for x, t in by_x.items() if when[YEARS[YEARS.index(p) - 1]] < x < when[p]) for p in periods
    }
    assert text_before["2018/19"] == "Change of Channel measure"
    assert text_before["2024/25"] == "Change of concern categories / Change of data source"
    check_small_and_themed(fig)


def test_trend_lines_space_uneven_report_dates_unevenly():
    """Figures reported in July, then the next March, then April: the gaps on the axis follow the dates."""
    rows = frame(
        row(period="To 2 Jul 2020", start="", end="2020-07-02", value=746),
        row(period="To 19 Mar 2021", start="", end="2021-03-19", value=1550),
        row(period="To 30 Apr 2021", start="", end="2021-04-30", value=1600),
    )
    fig = trend_lines(rows)
    (line,) = fig.data
    x = [pd.Timestamp(v) for v in line.x]
    assert x == [pd.Timestamp("2020-07-02"), pd.Timestamp("2021-03-19"), pd.Timestamp("2021-04-30")]
    assert (x[1] - x[0]) > 5 * (x[2] - x[1])
    assert fig.layout.xaxis.type == "date"
    assert [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext] == list(line.customdata)


def test_trend_lines_without_every_date_fall_back_to_even_periods():
    rows = frame(
        row(period="Earlier", start="", end="", value=1),
        row(period="Later", start="", end="2021-03-31", value=2),
    )
    fig = trend_lines(rows)
    assert fig.layout.xaxis.type == "category"
    assert [x for t in fig.data for x in t.x] == list(fig.layout.xaxis.categoryarray)


def test_trend_lines_breaks_outside_the_periods_not_drawn(referrals, breaks):
    outside = breaks.iloc[:1].copy()
    outside["period"] = "2009/10"
    fig = trend_lines(referrals, breaks=outside)
    assert len(fig.layout.shapes) == 0
    assert len(fig.layout.annotations) == 0
    assert len(trend_lines(referrals).layout.shapes) == 0


def test_trend_lines_one_line_per_series():
    # Three types of concern; one is first counted in 2017/18; all break in 2019/20.
    values = {
        "Islamist": (3700, 3400, 2000, 1400, 1200),
        "Extreme right-wing": (700, 900, 1300, 1400, 1300),
        "Mixed, unclear or unstable": (None, None, 2300, 1900, 3200),
    }
    periods = ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    rows = frame(
        *(
            row(
                measure="Referrals by type of concern",
                breakdown=name,
                unit="referrals",
                value=v,
                series_break="yes" if p == "2019/20" else "",
                **year(p),
            )
            for name, figures in values.items()
            for p, v in zip(periods, figures, strict=True)
            if v is not None
        )
    )
    fig = trend_lines(rows)
    assert [t.name for t in fig.data if t.showlegend] == list(values)
    assert fig.layout.showlegend is True
    assert ordered_periods(rows) == periods
    for name, figures in values.items():
        # Each line runs over the periods in time order (split only at series breaks);
        # a year with no figure is a gap (NaN), never bridged.
        segments = [t for t in fig.data if t.name == name]
        assert [list(t.customdata) for t in segments] == [periods[:-1], periods[-1:]]
        drawn = {x: y for t in segments for x, y in zip(t.customdata, t.y, strict=True) if y == y}
        assert drawn == {p: v for p, v in zip(periods, figures, strict=True) if v is not None}
        assert all(t.connectgaps is not True for t in segments)
    check_small_and_themed(fig)


@pytest.mark.parametrize(
    ("qualifier", "symbol"),
    [
        *((q, "triangle-up-open") for q in sorted(schema.LOWER_BOUNDS)),
        *((q, "triangle-down-open") for q in sorted(schema.UPPER_BOUNDS)),
        *((q, "diamond-open") for q in sorted(schema.APPROXIMATE)),
    ],
)
def test_trend_lines_open_markers_for_bounds_and_rough_figures(qualifier, symbol):
    rows = frame(row(value=300, **BEFORE), row(value=360, qualifier=qualifier, **AFTER))
    (line,) = trend_lines(rows).data
    assert list(line.marker.symbol) == ["circle", symbol]
    assert floats(line.y) == [300, 360]
    assert line.text[1].endswith("360") and line.text[1] != "360"


@pytest.mark.parametrize(
    ("qualifier", "text"),
    [
        ("over", "over 360"),
        ("in excess of", "in excess of 360"),
        ("around", "around 360"),
        ("estimated", "an estimated 360"),
    ],
)
def test_trend_lines_hover_keeps_the_source_s_word(qualifier, text):
    rows = frame(row(value=300, **BEFORE), row(value=360, qualifier=qualifier, **AFTER))
    (line,) = trend_lines(rows).data
    assert list(line.text) == ["300", text]


def test_trend_lines_gap_in_a_series_of_bounds_only():
    # Every figure a bound ('over'), one series missing a year: drawn as a gap, not an error.
    rows = frame(
        row(breakdown="A", value=100, qualifier="over", **year("2018/19")),
        row(breakdown="A", value=120, qualifier="over", **year("2019/20")),
        row(breakdown="B", value=50, qualifier="over", **year("2019/20")),
    )
    fig = trend_lines(rows)
    b = next(t for t in fig.data if t.name == "B")
    assert math.isnan(b.y[0]) and b.y[1] == 50
    assert b.marker.symbol[1] == "triangle-up-open"


def test_trend_lines_worked_out_point_not_on_the_line(referrals):
    rows = referrals.copy()
    rows.loc[rows["period"] == "2020/21", "derived"] = "yes"
    fig = trend_lines(rows)
    line = fig.data[0]
    at = YEARS.index("2020/21")
    assert math.isnan(line.y[at])  # left out of the line
    assert line.y[at - 1] == 6287 and line.y[at + 1] == 6406
    (worked_out,) = [t for t in fig.data if t.name == DERIVED_TRACE]
    assert list(worked_out.customdata) == ["2020/21"]
    assert floats(worked_out.y) == [4915]
    assert worked_out.mode == "markers"
    assert worked_out.marker.symbol == "square-open"
    assert list(worked_out.text) == ["4,915 (worked out)"]
    assert fig.layout.showlegend is True  # the legend explains the open square
    assert DERIVED_TRACE not in {t.name for t in trend_lines(referrals).data}


def test_trend_lines_tell_apart_a_second_area():
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Warwickshire", value=40, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
        row(force="Warwickshire", value=30, **AFTER),
    )
    fig = trend_lines(rows, series="measure")
    lines = {t.name: floats(t.y) for t in fig.data}
    assert lines == {"Arrested (Staffordshire)": [100, 120], "Arrested (Warwickshire)": [40, 30]}
    assert fig.layout.showlegend is True


def test_trend_lines_area_missing_a_period_keeps_one_line():
    # Warwickshire has no later figure: Staffordshire is still one line, under one name.
    rows = frame(
        row(force="Staffordshire", value=100, **BEFORE),
        row(force="Warwickshire", value=40, **BEFORE),
        row(force="Staffordshire", value=120, **AFTER),
    )
    lines = {t.name: floats(t.y) for t in trend_lines(rows, series="measure").data}
    assert lines.keys() == {"Arrested (Staffordshire)", "Arrested (Warwickshire)"}
    assert lines["Arrested (Staffordshire)"] == [100, 120]


# --- timeline ---------------------------------------------------------------------------------


def test_timeline_public_order(public_order):
    fig = timeline(public_order)
    segments, points, events = fig.data
    dated = [
        "Training qualifications extended",
        "Officers trained to national standard",
        "POPS training halted",
        "Black Lives Matter protests",
        "POPS training restarted",
    ]
    # Every dated event carries its hover text, in date order; undated ones are left out.
    assert list(events.y) == dated
    xs = list(pd.to_datetime(events.x))
    assert xs == sorted(xs)
    by_name = dict(zip(events.y, events.text, strict=True))
    assert by_name["Training qualifications extended"] == "6 months"
    assert by_name["POPS training halted"] == "Training stopped"
    assert list(events.customdata[:, 0]) == [
        "2020",
        "Since the start of 2020",
        "March 2020",
        "Summer 2020",
        "September 2020",
    ]
    # A month-dated event is a point; a season or a year is a span, not pinned to one day; an open-ended
    # one is a point at its start.
    assert list(points.y) == [
        "Officers trained to national standard",
        "POPS training halted",
        "POPS training restarted",
    ]
    assert set(segments.y) - {None} == {"Training qualifications extended", "Black Lives Matter protests"}
    blm = [x for x, y in zip(segments.x, segments.y, strict=True) if y == "Black Lives Matter protests"]
    assert [str(pd.Timestamp(x).date()) for x in blm] == ["2020-06-01", "2020-08-31"]
    check_small_and_themed(fig)


def test_timeline_tells_apart_one_event_in_two_areas():
    rows = frame(
        *(
            row(measure="POPS training halted", force=f, period="March 2020", start="2020-03-01", end="2020-03-31")
            for f in ("Staffordshire", "Warwickshire")
        )
    )
    fig = timeline(rows)
    names = ["POPS training halted (Staffordshire)", "POPS training halted (Warwickshire)"]
    assert list(fig.data[-1].y) == names
    assert list(fig.layout.yaxis.categoryarray) == names[::-1]


# --- empty figures and rows that share a name -------------------------------------------------


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


BUILDERS = {
    "period_bars": period_bars,
    "category_bars": category_bars,
    "stacked_bars": lambda rows: stacked_bars(rows, parts=LEAD_SUPPORT),
    "trend_lines": trend_lines,
    "timeline": timeline,
}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("period_bars", "No figures for this selection."),
        ("category_bars", "No figures for this selection."),
        ("stacked_bars", "No figures for this selection."),
        ("trend_lines", "No figures for this selection."),
        ("timeline", "No dated events for this selection."),
    ],
)
def test_builders_with_empty_frame(name, message):
    check_empty(BUILDERS[name](frame()), message)


def test_builders_with_nothing_drawable(public_order, venetic_outcomes):
    not_stated = venetic_outcomes[venetic_outcomes["qualifier"] == "not stated"]
    assert len(not_stated) == 2
    check_empty(category_bars(not_stated), "No figures for this selection.")
    check_empty(trend_lines(not_stated), "No figures for this selection.")
    check_empty(period_bars(not_stated), "No figures for this selection.")
    check_empty(stacked_bars(not_stated, parts=LEAD_SUPPORT), "No figures for this selection.")
    undated = public_order[public_order["period_start"].isna()]
    assert len(undated) == 2
    check_empty(timeline(undated), "No dated events for this selection.")


@pytest.fixture()
def sharing_names() -> pd.DataFrame:
    """Rows that share a name: a second area, a second breakdown, a second dataset and an exact repeat."""
    rows = []
    for p, v in ((BEFORE, 100), (AFTER, 120)):
        rows += [
            row(breakdown="ROCUWM lead", force="Staffordshire", value=v, **p),
            row(breakdown="ROCUWM lead", force="Warwickshire", value=v / 2, **p),
            row(breakdown="ROCUWM support", force="Staffordshire", value=v / 4, **p),
            row(breakdown="Total", force="Staffordshire", value=v * 1.25, **p),
            row(breakdown="Total", force="Staffordshire", value=v * 1.25, dataset="other", **p),
            row(breakdown="Total", force="Staffordshire", value=v * 1.25, dataset="other", derived="yes", **p),
        ]
    return frame(*rows)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builders_draw_rows_sharing_a_name(name, sharing_names):
    fig = BUILDERS[name](sharing_names)
    drawn = [t for t in fig.data if has_data(t)]
    assert drawn
    # Every drawn category or line is named once: no two rows are drawn under one name.
    for trace in drawn:
        if trace.type == "bar":
            names = list(trace.y if trace.orientation == "h" else trace.x)
            assert len(names) == len(set(names)), names
    if name == "trend_lines":
        legend = [t.name for t in drawn if t.showlegend is not False and t.name != DERIVED_TRACE]
        series = sharing_names.drop_duplicates(["breakdown", "force", "dataset", "derived"])
        assert len(legend) == len(set(legend)) == len(series)
    if name == "timeline":
        labels = list(fig.data[-1].y)
        assert len(labels) == len(sharing_names)
        assert len(set(labels)) == len(labels)
    check_small_and_themed(fig)


def test_category_bars_highlight_the_home_area_among_others():
    rows = frame(
        row(force="North West region", value=120, **AFTER),
        row(force="West Midlands region", value=43, **AFTER),
        row(force="Eastern region", value=30, **AFTER),
    )
    (bars,) = category_bars(rows, label="force", highlight="West Midlands region").data
    colours = list(bars.marker.color)
    assert colours == [PERIOD_COLOURS[0], PERIOD_COLOURS[1], PERIOD_COLOURS[0]]
    assert [n.startswith("<b>") for n in bars.y] == [False, True, False]
    # Without one, every bar is alike.
    (plain,) = category_bars(rows, label="force").data
    assert isinstance(plain.marker.color, str) and not any("<b>" in n for n in plain.y)
