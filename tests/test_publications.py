"""Publications as data: the catalogue, dates at their precision, restatements, and the bad input that
a new paper can bring (each reported with file, line and column; nothing loads until it is right)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from data import schema
from data.loader import load_store
from data.publications import PubDate, as_at_text
from data.validation import DataError
from tests.conftest import GOOD_ROW, PUBLICATIONS


def problems_for(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_store(folder)
    return [str(p) for p in caught.value.problems]


def row(**changes: str) -> dict:
    return {**GOOD_ROW, **changes}


# --- dates at their own precision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "iso", "last"),
    [
        ("2020-07-02", "2 July 2020", "2020-07-02", date(2020, 7, 2)),
        ("2021-01", "January 2021", "2021-01", date(2021, 1, 31)),
        ("2024-02", "February 2024", "2024-02", date(2024, 2, 29)),
        ("2018", "2018", "2018", date(2018, 12, 31)),
    ],
)
def test_a_date_keeps_its_precision(text, label, iso, last):
    when = PubDate.parse(text)
    assert (when.label, when.iso, when.last_day) == (label, iso, last)


@pytest.mark.parametrize("bad", ["2021-13", "2021-02-30", "Jan 2021", "21-01", "２０２１", ""])
def test_bad_publication_dates_are_not_dates(bad):
    assert PubDate.parse(bad) is None


# --- rows name their publication ----------------------------------------------------------------


def test_the_period_end_of_an_undated_figure_is_its_publication_date(make_folder):
    store = load_store(make_folder([row(period="At January 2021", period_start="", period_end="")]))
    (end,) = store.frame["period_end"]
    assert end.date() == date(2021, 1, 31)
    assert store.catalogue["sample"].as_at == PubDate(2021, 1)


def test_unknown_publication(make_folder):
    (msg,) = problems_for(make_folder([row(publication="paper-9")]))
    assert (
        msg
        == "sample.csv, line 2, column 'publication': error: publication 'paper-9' is not listed in publications.csv"
    )


def test_a_catalogue_entry_needs_a_date_and_an_undated_period_then_has_none(make_folder):
    pubs = [{**PUBLICATIONS[0], "date": ""}, *PUBLICATIONS[1:]]
    undated = [row(measure=m, period="At the paper", period_start="", period_end="") for m in ("A", "B", "C")]
    problems = problems_for(make_folder(undated, publications=pubs))
    assert "publications.csv, line 2, column 'date': error: a value is required here" in problems
    # One line for the three rows, not three: their cause is the catalogue's missing date.
    assert len([p for p in problems if "column 'period_end'" in p]) == 1
    assert any(p.endswith("(and 2 more rows)") for p in problems)
    assert any(
        p.startswith("sample.csv, line 2, column 'period_end': error: the period has no end date and its publication")
        for p in problems
    )


def test_a_bad_catalogue_date_is_named(make_folder):
    pubs = [{**PUBLICATIONS[0], "date": "early 2021"}, *PUBLICATIONS[1:]]
    problems = problems_for(make_folder(publications=pubs))
    assert problems[0].startswith("publications.csv, line 2, column 'date': error: 'early 2021' is not a date")


def test_a_paper_row_must_name_a_board_paper_and_a_url_row_its_release(make_folder):
    problems = problems_for(
        make_folder(
            [
                row(publication="release-1"),
                row(measure="Charged", source="https://example.org/other", source_type="official"),
            ]
        )
    )
    assert any("line 2, column 'publication'" in p and "not a board paper" in p for p in problems)
    assert any("line 3, column 'publication'" in p and "is a board paper" in p for p in problems)
    assert any("line 3, column 'source'" in p and "not the address of the row's publication" in p for p in problems)


def test_as_at_names_the_latest_paper_and_its_next_update(make_folder):
    pubs = [{**PUBLICATIONS[0], "next_update": "January 2022"}, *PUBLICATIONS[1:]]
    store = load_store(make_folder(publications=pubs))
    assert as_at_text(store.frame, store.publications) == (
        "Figures as at January 2021 (Sample paper, A board). Next update: January 2022."
    )


# --- restatements --------------------------------------------------------------------------------


def test_a_later_paper_may_restate_a_figure_and_the_later_one_is_shown_as_revised(make_folder):
    store = load_store(make_folder([GOOD_ROW, row(value="561", publication="paper-2", source="para 90")]))
    (shown,) = store.frame.itertuples()
    assert shown.value == 561 and shown.publication == "paper-2"
    assert shown.revised_from == "revised from 560 (Sample paper, January 2021)"
    assert store.history["value"].tolist() == [560.0]
    assert store.catalogue["sample"].as_at == PubDate(2022, 1, 18)


def test_a_restatement_with_the_same_figure_is_not_called_a_revision(make_folder):
    store = load_store(make_folder([GOOD_ROW, row(publication="paper-2", source="para 90")]))
    assert store.frame["revised_from"].tolist() == [""]


def test_a_restatement_from_an_earlier_paper_is_refused(make_folder):
    (msg,) = problems_for(make_folder([row(publication="paper-2", source="para 90"), row(value="561")]))
    assert msg.startswith("sample.csv, line 3, column 'publication': error: this row states the figure of line 2 again")
    assert "not later" in msg


def test_a_restatement_from_the_same_paper_is_a_duplicate(make_folder):
    (msg,) = problems_for(make_folder([GOOD_ROW, row(value="561")]))
    assert "line 3: error: duplicate row" in msg


def test_a_restated_undated_figure_keeps_the_date_of_the_paper_that_first_gave_it(make_folder):
    # "At January 2021" restated by the 2022 paper with its dates left blank, as the README says to copy it.
    first = row(period="At January 2021", period_start="", period_end="")
    again = row(period="At January 2021", period_start="", period_end="", value="561", publication="paper-2")
    store = load_store(make_folder([first, again]))
    (shown,) = store.frame.itertuples()
    assert (shown.value, str(shown.period_end.date())) == (561, "2021-01-31")
    assert shown.revised_from == "revised from 560 (Sample paper, January 2021)"


def test_one_label_means_one_span_of_dates(make_folder):
    first = row(period="At January 2021", period_start="", period_end="")
    other = row(period="At January 2021", period_start="", period_end="2022-01-31", value="561", publication="paper-2")
    (msg,) = problems_for(make_folder([first, other]))
    assert msg.startswith(
        "sample.csv, line 3, column 'period': error: period 'At January 2021' has different dates here"
    )


def test_totals_are_checked_within_each_publication(make_folder):
    base = row(category="Outcomes", period="To January 2021", period_start="", period_end="2021-01-31")
    parts = [
        {**base, "breakdown": "ROCUWM lead", "value": "72"},
        {**base, "breakdown": "ROCUWM support", "value": "9"},
        {**base, "breakdown": "Total", "value": "81"},
    ]
    # A later paper may restate the total alone (the checks on the paper then set it against the parts).
    restated = {**base, "breakdown": "Total", "value": "82", "publication": "paper-2", "source": "para 98"}
    store = load_store(make_folder([*parts, restated], name="operation_venetic"))
    assert store.frame.loc[store.frame["breakdown"] == "Total", "value"].tolist() == [82.0]
    # Within one paper, the parts must add up.
    wrong = {**base, "breakdown": "Total", "value": "80"}
    (msg,) = problems_for(make_folder([parts[0], parts[1], wrong], name="operation_venetic"))
    assert "line 4, column 'value'" in msg and "total 80" in msg


def test_a_copied_row_that_kept_the_earlier_papers_id_is_warned_of(make_folder):
    new_year = {"period": "Dec 2020 to Nov 2021", "period_start": "2020-12-01", "period_end": "2021-11-30"}
    rows = [row(**new_year, publication="paper-2", source="para 90"), row(measure="Charged", **new_year)]
    store = load_store(make_folder(rows))
    (warning,) = [str(w) for w in store.warnings]
    assert warning.startswith("sample.csv, line 3, column 'publication': warning: period 'Dec 2020 to Nov 2021'")
    assert "'paper-1' is dated January 2021, before the period ends" in warning


def test_a_near_miss_value_is_named_and_the_catalogues_problems_come_first(make_folder):
    pubs = [{**PUBLICATIONS[0], "date": "Jan 2021"}, *PUBLICATIONS[1:]]
    with pytest.raises(DataError) as caught:
        load_store(make_folder([row(force="West Midlands Region", period_end="")], publications=pubs))
    report = caught.value.report().splitlines()
    assert report[1].startswith("  publications.csv, line 2, column 'date'")  # the cause, before what follows from it
    force = next(p for p in report if "column 'force'" in p)
    assert "did you mean 'West Midlands region'?" in force and "'Staffordshire'" in force


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["２０", "٢٠", "2０", "1e3", "0x10", "²"])
def test_only_ascii_digits_are_numbers(make_folder, digits):
    (msg,) = problems_for(make_folder([row(value=digits)]))
    assert msg.startswith("sample.csv, line 2, column 'value': error:") and "is not a number" in msg


def test_counts_are_whole_numbers(make_folder):
    (msg,) = problems_for(make_folder([row(value="1.070")]))
    assert msg == (
        "sample.csv, line 2, column 'value': error: 1.070 is not a whole number, but the unit counts things "
        "(people, arrests, lines, ...)"
    )
    store = load_store(make_folder([row(value="1.070", unit="kg")]))
    assert store.frame["value"].tolist() == [1.07]


# --- limits --------------------------------------------------------------------------------------


def test_the_report_is_capped(make_folder):
    rows = [row(measure=f"M{i}", force="Gotham") for i in range(250)]
    with pytest.raises(DataError) as caught:
        load_store(make_folder(rows))
    report = caught.value.report().splitlines()
    assert report[0] == "250 error(s), 0 warning(s) in the data files."
    assert len(report) == 1 + schema.MAX_REPORTED_PROBLEMS + 1
    assert report[-1] == "  ... and 50 more (correct these and check again to see them)."


def test_a_file_over_the_row_limit_is_refused_before_it_is_read(make_folder, monkeypatch):
    monkeypatch.setattr(schema, "MAX_ROWS_PER_FILE", 3)
    folder = make_folder([row(measure=f"M{i}") for i in range(5)])
    (msg,) = problems_for(folder)
    assert msg == "sample.csv: error: file has more than 3 rows, the limit; not read"


def test_a_file_over_the_size_limit_is_refused(make_folder, monkeypatch):
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 200)
    (msg,) = [p for p in problems_for(make_folder()) if p.startswith("sample.csv")]
    assert msg.startswith("sample.csv: error: file is ") and "over the limit of 200" in msg


def test_a_link_out_of_the_data_folder_is_refused_not_followed(make_folder, tmp_path):
    folder = make_folder()
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((folder / "sample.csv").read_bytes())
    (folder / "sample.csv").unlink()
    os.symlink(outside, folder / "sample.csv")
    (msg,) = problems_for(folder)
    assert msg == "sample.csv: error: file is a link to a place outside the data folder; it was not read"


def test_a_data_folder_that_is_itself_a_link_is_read(make_folder, tmp_path):
    folder = make_folder()
    link = tmp_path / "current"
    os.symlink(folder, link)
    assert load_store(link).frame["value"].tolist() == [560.0]
