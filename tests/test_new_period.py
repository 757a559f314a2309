"""An analyst adds next year's ROCU figures by appending rows: no code change needed."""

from __future__ import annotations

import csv

from data import loader
from data.loader import load_store

P3 = "Dec 2020 to Nov 2021"


def append_period(folder) -> None:
    """Copy every Dec 2019 to Nov 2020 row of rocu_outcomes as a synthetic third period."""
    path = folder / "rocu_outcomes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    new = []
    for r in rows:
        if r["period"] == "Dec 2019 to Nov 2020" and r["source"] == "para 88":
            value = float(r["value"]) + 1  # synthetic test figure
            new.append(
                {
                    **r,
                    "period": P3,
                    "period_start": "2020-12-01",
                    "period_end": "2021-11-30",
                    "value": f"{value:g}",
                }
            )
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n").writerows(new)


def test_third_period_is_loaded_in_time_order(data_copy):
    append_period(data_copy)
    store = load_store(data_copy)
    assert store.periods("rocu_outcomes") == ["Dec 2018 to Nov 2019", "Dec 2019 to Nov 2020", P3]
    third = store.dataset("rocu_outcomes").query("period == @P3")
    assert len(third) == 15
    assert third.set_index(["measure", "strand"]).loc[("Arrested", ""), "value"] == 561


def test_third_period_is_served_by_the_api(client, data_copy):
    append_period(data_copy)
    loader.reset_store()
    try:
        loader.get_store(data_copy)
        rows = client.get("/api/v1/datasets/rocu_outcomes.json").get_json()["rows"]
        third = [r for r in rows if r["period"] == P3]
        assert len(third) == 15
        assert {r["period_start"] for r in third} == {"2020-12-01"}
    finally:
        loader.reset_store()
