"""Public figures from the reference file, typed here independently of the CSV files."""

from __future__ import annotations

import pytest

from tests.conftest import one

EW = "England and Wales"

# Prevent referrals, England and Wales: year -> (value, qualifier)
REFERRALS = {
    "2015/16": (7631, "exact"),
    "2016/17": (6093, "exact"),
    "2017/18": (7300, "over"),
    "2018/19": (5737, "exact"),  # revised; first release 5,738
    "2019/20": (6287, "exact"),
    "2020/21": (4915, "exact"),
    "2021/22": (6406, "exact"),
    "2022/23": (6817, "exact"),
    "2023/24": (6922, "exact"),
    "2024/25": (8778, "exact"),
}
DISCUSSED = {"2018/19": 1328, "2019/20": 1424, "2020/21": 1333, "2021/22": 1486, "2023/24": 893}
ADOPTED = {
    "2018/19": 556,
    "2019/20": 697,
    "2020/21": 688,
    "2021/22": 804,
    "2022/23": 654,
    "2023/24": 512,
}
SECTORS = {
    ("2019/20", "Police"): 1950,
    ("2019/20", "Education"): 1928,
    ("2020/21", "Police"): 1770,
    ("2020/21", "Education"): 1221,
    ("2021/22", "Education"): 2305,
    ("2022/23", "Education"): 2684,
    ("2023/24", "Police"): 1921,
}


@pytest.fixture(scope="module")
def prevent(store):
    return store.dataset("prevent_referrals")


def test_national_referral_series_has_every_year(prevent, store):
    totals = prevent[(prevent["measure"] == "Referrals") & (prevent["force"] == EW)]
    assert list(totals.sort_values("period_start")["period"]) == list(REFERRALS)
    for period, (value, qualifier) in REFERRALS.items():
        row = one(totals, period=period)
        assert (row["value"], row["qualifier"]) == (value, qualifier), period
    assert one(totals, period="2018/19")["source_type"] == "official"
    assert "5,738" in one(totals, period="2018/19")["note"]


def test_channel_series(prevent):
    for period, value in DISCUSSED.items():
        assert (
            one(
                prevent,
                measure="Discussed at a Channel panel",
                breakdown="All",
                period=period,
                force=EW,
            )["value"]
            == value
        )
    for period, value in ADOPTED.items():
        assert (
            one(
                prevent,
                measure="Adopted as a Channel case",
                breakdown="All",
                period=period,
                force=EW,
            )["value"]
            == value
        )


def test_referring_sectors(prevent):
    sectors = prevent[prevent["measure"] == "Referrals by referring sector"]
    for (period, sector), value in SECTORS.items():
        assert one(sectors, period=period, breakdown=sector, force=EW)["value"] == value


def test_type_of_concern_2015_16_adds_up_to_the_total(prevent):
    concern = prevent[(prevent["measure"] == "Referrals by type of concern") & (prevent["period"] == "2015/16")]
    concern = concern[concern["force"] == EW]
    assert concern.set_index("breakdown")["value"].to_dict() == {
        "Islamist": 4997,
        "Extreme right wing": 759,
        "Other": 702,
        "Unspecified": 1173,
    }
    assert concern["value"].sum() == REFERRALS["2015/16"][0]


def test_west_midlands_regional_referrals(prevent):
    wm = prevent[prevent["force"] == "West Midlands region"]
    assert one(wm, measure="Referrals", period="2015/16")["value"] == 768


def test_series_breaks_are_recorded(prevent):
    breaks = prevent[prevent["category"] == "Series breaks"]
    assert len(breaks) >= 4
    assert breaks["value"].isna().all() and (breaks["value_text"] != "").all()
    assert {"2018/19", "2024/25"} <= set(breaks["period"])


def test_venetic_national_snapshot(store):
    venetic = store.dataset("venetic_context")
    uk = venetic[venetic["force"] == "United Kingdom"]
    june_2022 = uk[uk["period"] == one(uk, measure="Arrested", value="2864.0")["period"]]
    assert one(june_2022, measure="Arrested")["source_type"] == "official"
    regional = venetic[venetic["category"] == "Regional results, July 2020"]
    assert one(regional, measure="Arrested", force="West Midlands region")["value"] == 43
    # The undated snapshot (2,631 arrests) is unconfirmed and left out.
    assert 2631 not in set(venetic["value"])


def test_gb_terrorism_arrests(store):
    arrests = store.dataset("terrorism_arrests_gb")
    by_year = arrests[arrests["measure"] == "Terrorism-related arrests"].set_index("period")
    assert by_year.loc["2019", "value"] == 280
    assert by_year.loc["2021", "value"] == 186
    assert by_year.loc["2018", "derived"] == "yes"
    assert by_year.loc["2020", "derived"] == "yes"


def test_secondary_rows_say_what_they_are(store):
    secondary = store.frame[store.frame["source_type"] == "secondary"]
    assert len(secondary) > 0
    assert (secondary["note"].str.len() > 0).all()
