"""The data folder the dashboard ships (data/tables) is valid and draws: no figures are asserted here, so a
paper added to it breaks no test. The transcription itself is tested on the frozen copy (tests/data/)."""

from __future__ import annotations

from data import schema
from data.loader import DEFAULT_DATA_DIR, load_store
from data.queries import Filters
from sections import SECTIONS, section_charts


def test_the_shipped_data_is_valid_and_every_chart_draws():
    store = load_store(DEFAULT_DATA_DIR)
    assert store.names and store.publications
    for section in SECTIONS:
        for chart in section_charts(section, store, Filters()):
            assert not chart.failed, (section.slug, chart.key)


def test_every_shipped_row_names_a_catalogued_publication():
    store = load_store(DEFAULT_DATA_DIR)
    assert set(store.frame["publication"].astype(str)) <= set(store.publications)
    for info in store.catalogue.values():
        assert info.publications and info.as_at == store.publications[info.publications[0]].date
    assert (DEFAULT_DATA_DIR / schema.PUBLICATIONS_FILE).is_file()
