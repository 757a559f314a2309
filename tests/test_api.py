"""The data API through Flask's test client: listing, both formats, 404s, formula-safe CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from data import loader
from data.rows import API_COLUMNS, neutralise, to_csv
from web.view import forced_store


def test_list_datasets(client, store):
    res = client.get("/api/v1/datasets")
    assert res.status_code == 200
    body = res.get_json()
    names = [d["name"] for d in body["datasets"]]
    assert names == store.names
    for required in (
        "rocu_outcomes",
        "rocu_disruptions",
        "operation_venetic",
        "county_lines",
        "ct_threat",
        "ct_contest",
        "rocu_capabilities",
        "rocu_funding",
        "prevent_referrals",
        "public_order",
    ):
        assert required in names
    venetic = next(d for d in body["datasets"] if d["name"] == "operation_venetic")
    assert venetic["rows"] == len(store.dataset("operation_venetic"))
    assert venetic["sources"] == ["para 98", "para 97"]
    assert venetic["title"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", venetic["updated"])
    # A listing and its links are one version: the links name the version the listing is of.
    assert venetic["links"]["csv"] == f"/api/v1/datasets/operation_venetic.csv?version={body['version']}"
    assert body["columns"] == list(API_COLUMNS)


def test_dataset_as_json(client, store):
    res = client.get("/api/v1/datasets/operation_venetic.json")
    assert res.status_code == 200
    rows = res.get_json()["rows"]
    assert len(rows) == len(store.dataset("operation_venetic"))
    assert list(rows[0]) == list(API_COLUMNS)
    total = next(r for r in rows if r["measure"] == "Cocaine seized" and r["breakdown"] == "Total")
    assert total["value"] == 558.5 and total["source"] == "para 98"
    blank = next(r for r in rows if r["measure"] == "Cannabis seized" and r["breakdown"] == "ROCUWM support")
    assert blank["value"] is None and blank["qualifier"] == "not stated"
    arrested = next(r for r in rows if r["measure"] == "Arrested" and r["breakdown"] == "Total")
    assert arrested["value"] == 81 and isinstance(arrested["value"], int)


def test_dataset_as_csv(client):
    res = client.get("/api/v1/datasets/rocu_outcomes.csv")
    assert res.status_code == 200
    assert res.mimetype == "text/csv"
    assert 'filename="rocu_outcomes.csv"' in res.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    assert list(rows[0]) == list(API_COLUMNS)
    cocaine = next(r for r in rows if r["measure"] == "Cocaine seized" and r["period"] == "Dec 2019 to Nov 2020")
    assert cocaine["value"] == "626.81"
    assert (cocaine["period_start"], cocaine["period_end"]) == ("2019-12-01", "2020-11-30")
    assert cocaine["source"] == "para 88"
    arrested = next(r for r in rows if r["measure"] == "Arrested" and r["period"] == "Dec 2018 to Nov 2019")
    assert arrested["value"] == "765"


def test_every_dataset_is_served_in_both_formats(client, store):
    for name in store.names:
        for fmt in ("csv", "json"):
            assert client.get(f"/api/v1/datasets/{name}.{fmt}").status_code == 200, (name, fmt)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets/nope.csv",
        "/api/v1/datasets/operation_venetic.xml",
        "/api/v1/datasets/operation_venetic",
        "/api/v1/datasets/..%2Fdatasets.csv",
        "/api/v1/datasets/../../settings.py",
        "/api/v1/datasets/datasets.csv",
        "/api/v1/nothing",
        "/api/v2/datasets",
    ],
)
def test_unknown_names_get_a_json_404(client, path):
    res = client.get(path)
    assert res.status_code == 404
    assert res.is_json
    assert "error" in res.get_json()


def test_wrong_method_gets_a_json_405(client):
    res = client.post("/api/v1/datasets")
    assert res.status_code == 405
    assert res.get_json()["status"] == 405


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+1", "'+1+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-36", "-36"),
        ("Plain words", "Plain words"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_csv_neutralises_formula_text(store):
    frame = store.dataset("rocu_funding").copy()
    frame["note"] = "=1+2"
    out = list(csv.DictReader(io.StringIO(to_csv(frame))))
    assert {r["note"] for r in out} == {"'=1+2"}


def test_api_serves_the_data_it_is_given(client, make_folder):
    with forced_store(loader.load_store(make_folder())):
        body = client.get("/api/v1/datasets").get_json()
    assert [d["name"] for d in body["datasets"]] == ["sample"]
    (sample,) = body["datasets"]
    assert (sample["updated"], sample["as_at"], sample["publications"]) == ("2021-01-31", "2021-01", ["paper-1"])


def test_a_dataset_answer_is_kept_per_version_and_equals_a_fresh_one(client, serving, make_folder):
    """The costly answers (a dataset's rows, a chart's rows as CSV) are made once per version and
    view, kept in the shared cache, and the same bytes as made afresh."""
    from data.rows import to_records
    from web.shared_cache import cache_key

    cache = client.application.extensions["spr-cache"]
    store = serving()
    first = client.get("/api/v1/datasets/rocu_funding.json")
    assert first.get_json() == {"dataset": "rocu_funding", "rows": to_records(store.dataset("rocu_funding"))}
    with client.application.app_context():
        kept = cache.get(cache_key(store, "dataset", "rocu_funding", "json"))
    assert kept == first.get_data()
    assert client.get("/api/v1/datasets/rocu_funding.json").get_data() == first.get_data()
    csv_answer = client.get("/api/v1/datasets/rocu_funding.csv")
    assert csv_answer.get_data(as_text=True) == to_csv(store.dataset("rocu_funding"))
    chart = client.get("/export/chart/organised-crime/rocu-disruptions.csv?strand=Pursue").get_data(as_text=True)
    with client.application.app_context():
        rows = cache.get(cache_key(store, "chart csv", "organised-crime", "rocu-disruptions", "?strand=Pursue"))
    assert rows and chart.endswith(rows.decode())
    # Data that is not a published version (a folder) is answered afresh, and nothing of it is kept.
    folder = loader.load_store(make_folder())
    assert cache_key(folder, "dataset", "sample", "json") is None
    before = len(cache.cache.cache._items)
    with forced_store(folder):
        assert client.get("/api/v1/datasets/sample.json").get_json()["dataset"] == "sample"
    assert len(cache.cache.cache._items) == before
