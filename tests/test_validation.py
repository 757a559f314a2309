"""Bad data files get one clear report naming file, line and column, and never replace good data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data import loader, schema
from data.loader import load_store
from data.validation import DataError, Problem
from tests.conftest import GOOD_ROW, write_csv


def problems_for(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_store(folder)
    return [str(p) for p in caught.value.problems]


def row(**changes: str) -> dict:
    return {**GOOD_ROW, **changes}


def test_good_folder_loads(make_folder):
    store = load_store(make_folder())
    assert store.dataset("sample")["value"].tolist() == [560.0]


def test_missing_column(make_folder):
    folder = make_folder()
    path = folder / "sample.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    keep = [i for i, h in enumerate(header) if h != "unit"]
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n")
    assert problems_for(folder) == [
        "sample.csv, line 1, column 'unit': error: required column is missing from the header"
    ]


def test_extra_column(make_folder):
    folder = make_folder()
    path = folder / "sample.csv"
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + ",comment\n" + lines[1] + ",hello\n")
    assert problems_for(folder) == ["sample.csv, line 1, column 'comment': error: column is not in the schema"]


def test_unknown_force(make_folder):
    folder = make_folder([GOOD_ROW, row(measure="Charged", force="Gotham")])
    (msg,) = problems_for(folder)
    assert msg.startswith("sample.csv, line 3, column 'force': error: 'Gotham' is not allowed here")


def test_unknown_strand_unit_and_qualifier_all_reported(make_folder):
    folder = make_folder([row(strand="Pursuit", unit="bananas", qualifier="roughly")])
    msgs = problems_for(folder)
    assert len(msgs) == 3
    assert any("column 'strand'" in m and "'Pursuit'" in m for m in msgs)
    assert any("column 'unit'" in m and "'bananas'" in m for m in msgs)
    assert any("column 'qualifier'" in m and "'roughly'" in m for m in msgs)


def test_text_in_a_number_column(make_folder):
    folder = make_folder([row(value="about 560")])
    (msg,) = problems_for(folder)
    assert msg.startswith("sample.csv, line 2, column 'value': error: 'about 560' is not a number")


def test_thousands_separator_is_rejected_not_guessed(make_folder):
    folder = make_folder([row(value="1,504")])
    (msg,) = problems_for(folder)
    assert "'1,504' is not a number" in msg


def test_negative_count(make_folder):
    folder = make_folder([row(value="-5")])
    (msg,) = problems_for(folder)
    assert msg == ("sample.csv, line 2, column 'value': error: -5 is negative; counts and amounts cannot be below zero")


def test_negative_percent_change_is_allowed(make_folder):
    store = load_store(make_folder([row(value="-36", unit="percent change")]))
    assert store.frame["value"].tolist() == [-36.0]


def test_duplicate_key(make_folder):
    folder = make_folder([GOOD_ROW, row(value="561")])
    (msg,) = problems_for(folder)
    assert msg == (
        "sample.csv, line 3: error: duplicate row: same measure, breakdown, period, force, strand and publication "
        "as line 2"
    )


@pytest.mark.parametrize("bad", ["2020-13-01", "30/11/2020", "2020-02-30", "soon"])
def test_bad_date(make_folder, bad):
    folder = make_folder([row(period_end=bad)])
    (msg,) = problems_for(folder)
    assert msg.startswith(f"sample.csv, line 2, column 'period_end': error: '{bad}' is not a valid date")


def test_period_ending_before_it_starts(make_folder):
    folder = make_folder([row(period_start="2020-12-01", period_end="2020-11-30")])
    (msg,) = problems_for(folder)
    assert "column 'period_end'" in msg and "ends before it starts" in msg


def test_same_period_label_with_different_dates(make_folder):
    folder = make_folder([GOOD_ROW, row(measure="Charged", period_start="2019-12-02")])
    (msg,) = problems_for(folder)
    assert "column 'period'" in msg and "different dates here" in msg and "line 2" in msg


def test_empty_file(make_folder):
    folder = make_folder()
    (folder / "sample.csv").write_text("")
    assert problems_for(folder) == ["sample.csv: error: file is empty: expected a header row and data rows"]


def test_header_only(make_folder):
    folder = make_folder()
    (folder / "sample.csv").write_text(",".join(schema.COLUMN_NAMES) + "\n")
    assert problems_for(folder) == ["sample.csv: error: file has a header but no data rows"]


def test_non_utf8_file_names_line_and_position(make_folder):
    folder = make_folder([GOOD_ROW, row(measure="Charged", note="caf\u00e9")])
    path = folder / "sample.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    (msg,) = problems_for(folder)
    assert msg.startswith("sample.csv, line 3: error: byte ")
    assert "is not UTF-8" in msg


def test_bom_is_a_warning_and_the_data_loads(make_folder):
    folder = make_folder()
    path = folder / "sample.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    store = load_store(folder)
    assert store.dataset("sample")["value"].tolist() == [560.0]
    assert [str(w) for w in store.warnings] == [
        "sample.csv, line 1: warning: file starts with a byte-order mark (BOM); it was ignored"
    ]


def test_row_with_too_many_cells(make_folder):
    folder = make_folder()
    path = folder / "sample.csv"
    path.write_text(path.read_text() + path.read_text().splitlines()[1] + ",extra\n")
    (msg,) = problems_for(folder)
    assert msg == "sample.csv, line 3: error: row has 19 cells but the header has 18"


def test_total_that_does_not_add_up(make_folder):
    base = row(
        measure="Arrested",
        category="Outcomes",
        period="Operation to date",
        period_start="",
        period_end="",
        source="para 98",
    )
    rows = [
        {**base, "breakdown": "ROCUWM lead", "value": "72"},
        {**base, "breakdown": "ROCUWM support", "value": "9"},
        {**base, "breakdown": "Total", "value": "80"},
    ]
    folder = make_folder(rows, name="operation_venetic")
    (msg,) = problems_for(folder)
    assert msg == (
        "operation_venetic.csv, line 4, column 'value': error: total 80 for 'Arrested' does not "
        "equal ROCUWM lead + ROCUWM support = 81"
    )


def test_total_with_a_part_not_stated_is_checked_as_an_upper_bound(make_folder):
    base = row(measure="Cannabis seized", category="Outcomes", unit="kg", source="para 98")
    ok = [
        {**base, "breakdown": "ROCUWM lead", "value": "22"},
        {**base, "breakdown": "ROCUWM support", "value": "", "qualifier": "not stated"},
        {**base, "breakdown": "Total", "value": "22"},
    ]
    assert len(load_store(make_folder(ok, name="operation_venetic")).frame) == 3
    too_big = [dict(r) for r in ok]
    too_big[0]["value"] = "23"
    (msg,) = problems_for(make_folder(too_big, name="operation_venetic"))
    assert "add up to 23, more than the total 22" in msg


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("measure", "<script>alert(1)</script>", "contains HTML markup"),
        ("note", '=HYPERLINK("http://x.example","click")', "starts like a spreadsheet formula"),
        ("breakdown", "@SUM(A1)", "starts like a spreadsheet formula"),
        ("category", "+cmd", "starts like a spreadsheet formula"),
    ],
)
def test_hostile_text(make_folder, column, text, expected):
    folder = make_folder([row(**{column: text})])
    (msg,) = problems_for(folder)
    assert f"column '{column}'" in msg and expected in msg


def test_blank_value_must_be_not_stated_never_zero(make_folder):
    folder = make_folder([row(value="")])
    (msg,) = problems_for(folder)
    assert "the qualifier must be 'not stated'" in msg
    store = load_store(make_folder([row(value="", qualifier="not stated")]))
    assert store.frame["value"].isna().all()


def test_derived_row_needs_a_note(make_folder):
    (msg,) = problems_for(make_folder([row(derived="yes")]))
    assert "column 'note'" in msg and "derived rows need a note" in msg


def test_source_must_be_a_paragraph_or_url(make_folder):
    (msg,) = problems_for(make_folder([row(source="the paper")]))
    assert "'the paper' is not a source" in msg


def test_every_problem_is_reported_not_only_the_first(make_folder):
    folder = make_folder(
        [
            row(force="Gotham"),
            row(measure="Charged", value="many"),
            row(measure="Convicted", period_end="2020-02-30"),
        ]
    )
    msgs = problems_for(folder)
    assert [m.split(":")[0] for m in msgs] == [
        "sample.csv, line 2, column 'force'",
        "sample.csv, line 3, column 'value'",
        "sample.csv, line 4, column 'period_end'",
    ]


def test_problems_across_several_files_are_reported_together(data_copy):
    (data_copy / "rocu_funding.csv").write_text("")
    venetic = data_copy / "operation_venetic.csv"
    venetic.write_text(venetic.read_text().replace(",West Midlands region,", ",Gotham,", 1))
    msgs = problems_for(data_copy)
    assert any(m.startswith("rocu_funding.csv: error: file is empty") for m in msgs)
    assert any(m.startswith("operation_venetic.csv, line 2, column 'force'") for m in msgs)


def test_catalogue_and_files_must_match(data_copy):
    shutil.copy(data_copy / "rocu_funding.csv", data_copy / "unlisted.csv")
    (data_copy / "county_lines.csv").unlink()
    msgs = problems_for(data_copy)
    assert "unlisted.csv: error: file is not listed in datasets.csv" in msgs
    assert any("'county_lines' is listed but county_lines.csv does not exist" in m for m in msgs)


def test_report_is_plain_text_without_a_traceback(make_folder):
    folder = make_folder([row(force="Gotham", value="x")])
    with pytest.raises(DataError) as caught:
        load_store(folder)
    report = caught.value.report()
    assert report.splitlines()[0] == "2 error(s), 0 warning(s) in the data files."
    assert "Traceback" not in report


def test_invalid_data_never_replaces_good_data(make_folder, tmp_path):
    good = make_folder()
    loader.reset_store()
    try:
        first = loader.get_store(good)
        bad = tmp_path / "bad"
        shutil.copytree(good, bad)
        (bad / "sample.csv").write_text("")
        assert loader.load_or_report(bad) is None
        assert loader.get_store() is first
        assert first.dataset("sample")["value"].tolist() == [560.0]
        # The good files themselves are untouched.
        assert load_store(good).dataset("sample")["value"].tolist() == [560.0]
    finally:
        loader.reset_store()


def test_validate_command(make_folder, capsys):
    from data.__main__ import main

    good = make_folder()
    assert main(["validate", str(good)]) == 0
    assert "is valid: 1 rows in 1 datasets" in capsys.readouterr().out
    write_csv(
        good / "sample.csv",
        list(schema.COLUMN_NAMES),
        [[row(force="Gotham")[c] for c in schema.COLUMN_NAMES]],
    )
    assert main(["validate", str(good)]) == 1
    err = capsys.readouterr().err
    assert "NOT valid" in err and "line 2, column 'force'" in err and "Traceback" not in err


def test_series_break_needs_a_note_and_a_yes(make_folder):
    (msg,) = problems_for(make_folder([row(series_break="yes")]))
    assert "column 'note'" in msg and "series break needs a note" in msg
    (msg,) = problems_for(make_folder([row(series_break="maybe", note="x")]))
    assert "column 'series_break'" in msg and "'maybe' is not allowed" in msg


def test_catalogue_has_no_date_column_now_dates_come_from_publications(make_folder):
    folder = make_folder()
    cat = folder / "datasets.csv"
    lines = cat.read_text().splitlines()
    cat.write_text(f"{lines[0]},updated\n{lines[1]},2021-01-31\n")
    (msg,) = problems_for(folder)
    assert msg == "datasets.csv, line 1, column 'updated': error: column is not in the schema"


# -- the fast reader (pandas' C reader) must read exactly what csv.reader reads, or step aside ----

_FAST_CASES = {
    "plain": b"a,b,c\n1,2,3\n4,5,6\n",
    "no final newline": b"a,b,c\n1,2,3\n4,5,6",
    "crlf": b"a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "short row": b"a,b,c\n1,2\n4,5,6\n",
    "long row": b"a,b,c\n1,2,3,4\n4,5,6\n",
    "whitespace-only line": b"a,b,c\n1,2,3\n   \n4,5,6\n",
    "blank lines before a record": b"a,b,c\n\n\n1,2,3\n",
    "quoted newline": b'a,b,c\n1,"two\nlines",3\n4,5,6\n',
    "doubled quotes": b'a,b,c\n1,"say ""hi""",3\n',
    "quote inside a field": b'a,b,c\n1,2"x,3\n',
    "only commas": b"a,b,c\n,,\n",
    "empty quoted": b'a,b,c\n"",2,3\n',
    "padded cells": b"a,b,c\n 1 , 2 ,3\n",
}


@pytest.mark.parametrize("raw", list(_FAST_CASES.values()), ids=list(_FAST_CASES))
def test_fast_reader_agrees_with_csv_reader_or_steps_aside(raw):
    from data.validation import _read_records, _read_standard

    slow = _read_records(raw.decode("utf-8"), "x.csv")
    fast = _read_standard(raw)
    if fast is None:
        return  # csv.reader reads it, with its own messages
    assert not isinstance(slow, Problem)
    records, lines = slow
    cells, fast_lines = fast
    assert [list(map(str, row)) for row in cells.itertuples(index=False)] == records
    assert [int(n) for n in fast_lines] == lines


def test_fast_reader_steps_aside_for_rows_of_the_wrong_width():
    from data.validation import _read_standard

    for name in ("short row", "long row", "whitespace-only line", "quote inside a field"):
        assert _read_standard(_FAST_CASES[name]) is None, name


def test_short_row_is_reported_on_its_own_line(make_folder):
    folder = make_folder([GOOD_ROW, {**GOOD_ROW, "period": "Dec 2018 to Nov 2019"}])
    path = folder / "sample.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = ",".join(lines[2].split(",")[:3])  # the second data row loses its other cells
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_store(folder)
    assert any(p.file == "sample.csv" and p.line == 3 for p in err.value.problems), err.value.report()
    assert not any(p.line == 2 for p in err.value.problems), err.value.report()
