"""The loaded data holds the paper's figures exactly, each with its paragraph.

The expected values below were typed from the paper independently of the CSV files.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.conftest import one

P1 = "Dec 2018 to Nov 2019"
P2 = "Dec 2019 to Nov 2020"

# para 88: measure (strand for disruptions) -> (Dec 2018-Nov 2019, Dec 2019-Nov 2020, unit)
PARA_88 = {
    ("Disruptions", "Prepare"): (20, 12, "disruptions"),
    ("Disruptions", "Prevent"): (261, 133, "disruptions"),
    ("Disruptions", "Protect"): (180, 181, "disruptions"),
    ("Disruptions", "Pursue"): (726, 815, "disruptions"),
    ("Arrested", ""): (765, 560, "people"),
    ("Charged", ""): (336, 209, "people"),
    ("Convicted", ""): (211, 174, "people"),
    ("Years sentenced", ""): (1504, 816, "years"),
    ("Firearms seized", ""): (41, 44, "firearms"),
    ("Ammunition seized", ""): (403, 1070, "rounds"),
    ("Cocaine seized", ""): (101.76, 626.81, "kg"),
    ("Heroin seized", ""): (10.68, 7.22, "kg"),
    ("Other Class A seized", ""): (13.31, 113.81, "kg"),
    ("Other Class B seized", ""): (10.72, 20.09, "kg"),
    ("Safeguarded", ""): (371, 137, "people"),
}

# para 98: measure -> (lead, support, total); None where the paper's cell is blank.
PARA_98 = {
    "Disruption events": (56, 8, 64),
    "Arrested": (72, 9, 81),
    "Charged": (15, 3, 18),
    "Years sentenced": (2, 16, 18),
    "Safeguarded adults": (0, 1, 1),
    "Cocaine seized": (418.5, 140, 558.5),
    "Cannabis seized": (22, None, 22),
    "Cannabis plants seized": (184, None, 184),
    "Firearms seized": (6, 1, 7),
    "Ammunition seized": (99, 5, 104),
}


def test_para_88_has_all_15_measures_for_both_periods(store):
    rows = store.dataset("rocu_outcomes")
    table = rows[rows["source"] == "para 88"]
    assert len(table) == 30
    for (measure, strand), (before, after, unit) in PARA_88.items():
        for period, expected in ((P1, before), (P2, after)):
            row = one(table, measure=measure, strand=strand, period=period)
            assert row["value"] == pytest.approx(expected, abs=1e-9), (measure, strand, period)
            assert row["unit"] == unit
            assert row["qualifier"] == "exact"
            assert row["force"] == "West Midlands region"
            assert row["derived"] == "no"


def test_para_88_periods_have_dates_and_sort_in_time_order(store):
    rows = store.dataset("rocu_outcomes")
    first = one(rows, measure="Arrested", period=P1)
    assert first["period_start"] == pd.Timestamp("2018-12-01")
    assert first["period_end"] == pd.Timestamp("2019-11-30")
    assert store.periods("rocu_outcomes") == [P1, P2]


def test_para_88_groups(store):
    rows = store.dataset("rocu_outcomes")
    cats = rows[rows["source"] == "para 88"].groupby("category", observed=True)["measure"].count()
    assert cats.to_dict() == {
        "Disruptions by strand": 8,
        "Criminal justice outcomes": 8,
        "Seizures": 12,
        "Safeguarding": 2,
    }


def test_para_89_cocaine_rise_keeps_its_qualifier(store):
    row = one(store.dataset("rocu_outcomes"), source="para 89")
    assert (row["value"], row["unit"], row["qualifier"]) == (500, "kg", "over")


def test_paras_86_87_lead_and_support_disruptions(store):
    rows = store.dataset("rocu_disruptions")
    lead = one(rows, measure="SOC disruptions", breakdown="ROCUWM lead")
    support = one(rows, measure="SOC disruptions", breakdown="ROCUWM support")
    assert (lead["value"], support["value"]) == (691, 451)
    change_lead = one(rows, measure="Change on previous 12 months", breakdown="ROCUWM lead")
    change_support = one(rows, measure="Change on previous 12 months", breakdown="ROCUWM support")
    assert (change_lead["value"], change_support["value"]) == (43, -36)
    assert change_support["unit"] == "percent change"
    # The para 87 caveat travels with the support figure, and the paper's words for each change are kept.
    assert "record" in support["note"].lower()
    assert change_support["source"] == "para 87"
    assert one(rows, measure="Change as described", breakdown="ROCUWM lead")["value_text"] == "An increase"
    said = one(rows, measure="Change as described", breakdown="ROCUWM support")
    assert (said["value_text"], said["source"]) == ("A small decrease", "para 87")


def test_para_98_venetic_table_lead_support_total(store):
    rows = store.dataset("operation_venetic")
    for measure, expected in PARA_98.items():
        for breakdown, value in zip(("ROCUWM lead", "ROCUWM support", "Total"), expected, strict=True):
            row = one(rows, measure=measure, breakdown=breakdown)
            assert row["source"] == "para 98"
            if value is None:
                assert math.isnan(row["value"]), f"{measure} {breakdown} must stay blank"
                assert row["qualifier"] == "not stated"
            else:
                assert row["value"] == pytest.approx(value)
                assert row["qualifier"] == "exact"


def test_para_98_blank_support_cells_are_not_zero(store):
    rows = store.dataset("operation_venetic")
    blanks = rows[rows["qualifier"] == "not stated"]
    assert sorted(blanks["measure"]) == ["Cannabis plants seized", "Cannabis seized"]
    assert blanks["value"].isna().all()


def test_para_98_cash_keeps_nearly(store):
    row = one(store.dataset("operation_venetic"), measure="Cash seized")
    assert (row["value"], row["unit"], row["qualifier"]) == (7, "GBP million", "nearly")


def test_para_97_handles_and_derived_remainder(store):
    rows = store.dataset("operation_venetic")
    handles = rows[rows["measure"] == "EncroChat handles"]
    stated = handles[handles["derived"] == "no"].set_index("breakdown")["value"].to_dict()
    assert sorted(stated.values()) == [13, 15, 41, 357]
    remainder = handles[handles["derived"] == "yes"]
    assert remainder["value"].tolist() == [357 - 13 - 41 - 15]
    assert remainder["note"].iloc[0]


def test_paras_99_100_county_lines_keep_lower_bounds(store):
    rows = store.dataset("county_lines")
    funding = one(rows, unit="GBP million")
    assert (funding["value"], funding["source"]) == (1.3, "para 99")
    results = rows[rows["source"] == "para 100"].set_index("measure")
    assert results["value"].to_dict() == {
        "Arrested": 360,
        "Young people safeguarded": 59,
        "County lines closed": 90,
    }
    # Each keeps the paper's own word: "over 360", "in excess of 59", "over 90".
    assert results["qualifier"].to_dict() == {
        "Arrested": "over",
        "Young people safeguarded": "in excess of",
        "County lines closed": "over",
    }


def test_para_16_pursue_results(store):
    rows = store.dataset("ct_contest")
    pursue = rows[rows["source"] == "para 16"].set_index("measure")
    assert pursue["value"].to_dict() == {"Arrests": 25, "Convictions": 9, "Recalls to prison": 8}
    assert set(pursue["strand"]) == {"Pursue"}
    assert set(pursue["period_start"]) == {pd.Timestamp("2020-04-01")}
    assert set(pursue["period_end"]) == {pd.Timestamp("2020-12-05")}


def test_paras_10_to_14_threat_picture(store):
    rows = store.dataset("ct_threat")
    level = one(rows, source="para 10")
    assert level["value_text"] == "Severe"
    assert level["period_start"] == pd.Timestamp("2020-11-03")
    ideologies = rows[rows["measure"] == "Threat by ideology"]
    assert len(ideologies) == 5
    assert (ideologies["value_text"] == "Low").sum() == 3
    assert ideologies["value"].isna().all()


def test_prevent_figures_paras_35_41_47_50(store):
    rows = store.dataset("ct_contest")
    recs = rows[rows["source"] == "para 35"].set_index("breakdown")["value"].to_dict()
    assert recs == {"HMICFRS": 4, "National CT Policing": 9, "Total": 13}
    ambassadors = one(rows, source="para 41")
    assert (ambassadors["value"], ambassadors["qualifier"]) == (350, "over")
    tif = one(rows, measure="Targeted Initiative Fund applications supported")
    assert (tif["value"], tif["source"]) == (27, "para 47")
    national = one(rows, measure="Prevent national priority areas")
    assert national["value"] == 4 and "Coventry" in national["note"]
    funded = one(rows, source="para 50", unit="areas")
    assert funded["value"] == 5 and "Stoke" in funded["note"]
    # The lists themselves, as the paper gives them, for the check that sets one against the other.
    assert one(rows, measure="Prevent national priority areas named")["value_text"] == (
        "Birmingham, Walsall, Sandwell and Coventry"
    )
    assert one(rows, measure="Prevent priority areas for funding named")["value_text"] == (
        "Birmingham, Walsall, Sandwell, Coventry and Stoke on Trent"
    )


def test_para_56_plans_and_para_60_borders(store):
    rows = store.dataset("ct_contest")
    plans = rows[rows["source"] == "para 56"].set_index("breakdown")
    assert plans.loc["Reviewed and updated", "value"] == 9
    assert plans.loc["Under national review", "value"] == 3
    assert plans.loc["Total", "value"] == 18
    # Worked out, and named for what it is: neither of the two groups the paper counts.
    assert plans.loc["Neither reviewed nor under national review", "derived"] == "yes"
    borders = rows[rows["source"] == "para 60"].set_index("measure")
    assert borders.loc["Passenger traffic", "value"] == 10
    assert borders.loc["Passenger traffic", "qualifier"] == "approximately"
    assert borders.loc["Travel document fraud offences", "value"] == 75


def test_capabilities_paras_103_to_119(store):
    rows = store.dataset("rocu_capabilities")
    socu = rows[rows["measure"] == "SOCU investigations"]
    now = one(socu, breakdown="Total", period="At January 2021")
    before = one(socu, breakdown="Total", period="At January 2020")
    assert (now["value"], before["value"]) == (54, 31)
    # Dated by the paper: its own date (January 2021) and a year before it.
    assert (now["period_end"], before["period_end"]) == (pd.Timestamp("2021-01-31"), pd.Timestamp("2020-01-31"))
    phases = socu[socu["breakdown"].isin(["Proactive phase", "Pre-charge or overt phase", "Post-charge phase"])]
    assert sorted(phases["value"]) == [15, 17, 22]
    by_source = rows.groupby("source")["value"].apply(lambda s: sorted(s.dropna()))
    assert by_source["para 104"] == [18, 79, 110]
    assert by_source["para 106"] == [8, 11, 19]
    assert by_source["para 107"] == [40, 1_000_000]
    assert by_source["para 108"] == [100_000]
    assert by_source["para 111"] == [3.5]
    assert by_source["para 116"] == [50_000]
    assert by_source["para 119"] == [6]
    assert one(rows, source="para 108")["qualifier"] == "over"
    assert one(rows, source="para 116")["qualifier"] == "approximately"
    assert one(rows, measure="RDOT pharmaceutical tablets seized")["qualifier"] == "around"
    expected = one(rows, measure="Further arrests expected over the next quarter")
    assert (expected["value"], expected["qualifier"], expected["source"]) == (75, "estimated", "para 103")


def test_para_124_budget_split(store):
    budget = store.dataset("rocu_funding")
    rows = budget[budget["category"] == "Budget"].set_index("breakdown")["value"].to_dict()
    assert rows == {"Total": 30.4, "Home Office grants": 6.5, "Regional PCCs": 23.9}


def test_paras_125_to_130_finance_statements(store):
    rows = store.dataset("rocu_funding")
    statements = rows[rows["category"] == "Finance statements"]
    assert sorted(statements["source"]) == [f"para {n}" for n in range(125, 131)]
    assert statements["value"].isna().all() and (statements["value_text"] != "").all()
    assert "under budget" in one(rows, source="para 125")["value_text"]
    assert "vacancies" in one(rows, source="para 125")["note"]
    assert (
        "overtime" in one(rows, source="para 126")["value_text"].lower()
        or "overtime" in one(rows, source="para 126")["measure"].lower()
    )
    assert one(rows, source="para 128")["period"] == "2021/22"
    assert "not yet confirmed" in one(rows, source="para 129")["value_text"]


def test_paras_91_92_the_most_disrupted_threats(store):
    rows = store.dataset("rocu_disruptions")
    threats = rows[rows["category"] == "Threats disrupted"].set_index("source")["value_text"]
    assert threats["para 91"] == "Drugs"
    assert set(threats[threats.index == "para 92"]) == {
        "Online child sexual abuse",
        "Cyber ransomware attacks",
        "Every threat in the Regional Control Strategy",
    }


def test_inspection_results_paras_32_77_90_113_118_121(store):
    inspections = store.dataset("rocu_inspections").set_index("source")
    assert set(inspections.index) == {"para 90", "para 113", "para 118", "para 121"}
    assert inspections.loc["para 113", "period_start"] == pd.Timestamp("2020-11-01")
    assert inspections.loc["para 118", "period_start"] == pd.Timestamp("2020-10-01")
    assert "standards were high" in inspections.loc["para 113", "value_text"]
    assert "compliance" in inspections.loc["para 118", "value_text"]
    iso = store.dataset("ct_contest")
    assert sorted(iso.loc[iso["source"] == "para 32", "value_text"]) == ["Kept", "On track to be awarded"]
    feedback = one(store.dataset("public_order"), source="para 77", unit="level")
    assert feedback["value_text"] == "Positive"


def test_public_order_paras_76_to_84_are_dated_events(store):
    rows = store.dataset("public_order")
    assert set(rows["source"]) >= {f"para {n}" for n in range(76, 85)}
    halted = one(rows, measure="POPS training halted")
    restarted = one(rows, measure="POPS training restarted")
    assert halted["period_start"] == pd.Timestamp("2020-03-01")
    assert restarted["period_start"] == pd.Timestamp("2020-09-01")
    games = one(rows, source="para 82")
    assert games["value_text"] == "Low"


def test_every_paper_row_names_a_paragraph_and_every_other_row_a_url(store):
    frame = store.frame
    paper = frame[frame["source_type"] == "paper"]
    assert paper["source"].str.match(r"^paras? \d").all()
    others = frame[frame["source_type"] != "paper"]
    assert others["source"].str.match(r"^https?://\S+$").all()


def test_derived_rows_say_how(store):
    derived = store.frame[store.frame["derived"] == "yes"]
    assert len(derived) >= 4
    assert (derived["note"].str.len() > 10).all()


def test_para_87_recording_change_breaks_only_the_support_series(store):
    """Para 87 puts the fall in support disruptions down to a change in recording: that figure is not
    comparable. The paper gives no such caveat for the strand table (para 90 itself compares strands),
    so the strand rows carry the fact as a note, not a break."""
    outcomes = store.dataset("rocu_outcomes")
    assert not (outcomes["series_break"] == "yes").any()
    strands = outcomes[(outcomes["measure"] == "Disruptions") & (outcomes["period"] == P2)]
    assert strands["note"].str.contains("para 87").all()
    support = one(store.dataset("rocu_disruptions"), measure="SOC disruptions", breakdown="ROCUWM support")
    assert support["series_break"] == "yes"


def test_every_row_names_the_publication_it_comes_from(store):
    frame = store.frame
    paper = frame[frame["source_type"] == "paper"]
    assert set(paper["publication"]) == {"spr-2021-01"}
    pub = store.publications["spr-2021-01"]
    assert (pub.board, pub.meeting, pub.date.label) == (
        "Strategic Policing and Crime Board",
        "Agenda item 5",
        "January 2021",
    )
    assert "para 132" in pub.date_note  # how the date is known, from the paper's own text
    public = frame[frame["source_type"] != "paper"]
    links = public["publication"].astype(str).map(lambda p: store.publications[p].link)
    assert (links == public["source"]).all()


def test_no_period_is_relative_to_a_paper(store):
    assert not store.frame["period"].str.contains("paper", case=False).any()
