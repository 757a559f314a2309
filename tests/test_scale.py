"""The data-scale benchmark's SYNTHETIC data: it validates, every chart builds from it, and no chart draws it."""

from __future__ import annotations

import pytest

from bench.synthetic import NOTE, SCALED, write_folder
from data.loader import load_store
from data.queries import ALL, Filters
from data.validation import DataError
from sections import SECTIONS
from tests.conftest import DATA_DIR

ROWS = 1_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic")
    write_folder(path, ROWS, source=DATA_DIR)
    return path


@pytest.fixture(scope="module")
def synthetic(folder):
    return load_store(folder)


def test_folder_validates_with_the_rows_asked_for(synthetic, store):
    assert len(synthetic.frame) == ROWS
    generated = synthetic.frame[synthetic.frame["category"] == "Synthetic"]
    assert len(generated) == ROWS - len(store.frame)
    assert set(generated["dataset"].astype(str)) == set(SCALED)
    assert set(generated["note"]) == {NOTE}
    assert all("synthetic" in synthetic.catalogue[name].title for name in SCALED)


def test_generated_totals_add_up_and_are_checked(folder, tmp_path):
    copy = tmp_path / "data"
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    venetic = copy / "operation_venetic.csv"
    lines = venetic.read_text(encoding="utf-8").splitlines()
    total = next(i for i, line in enumerate(lines) if ",Total," in line and "Synthetic measure" in line)
    cells = lines[total].split(",")
    cells[8] = str(int(cells[8]) + 1)  # the value column
    lines[total] = ",".join(cells)
    venetic.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_store(copy)
    (problem,) = caught.value.problems
    assert problem.line == total + 1 and "does not equal ROCUWM lead + ROCUWM support" in problem.message


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(strand="Pursue"), Filters(force="Staffordshire"), Filters(period="2020/21", strand="Prevent")],
    ids=["all", "strand", "force", "period-strand"],
)
def test_every_chart_builds_and_none_draws_synthetic_rows(synthetic, filters):
    for section in SECTIONS:
        for chart in section.build(synthetic, filters):
            assert "Synthetic" not in set(chart.rows["category"].astype(str)), (section.slug, chart.key)


def test_benchmark_filter_states_are_distinct_and_filtered():
    from bench.data_scale import filter_states

    states = filter_states(30)
    assert len({tuple(s.values()) for s in states}) == 30
    assert all(set(s.values()) != {ALL} for s in states)
