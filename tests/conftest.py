"""Shared fixtures: the one data folder every test uses, a Flask test client, and builders of small data folders."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from data import schema
from data.loader import DataStore, load_store

ROOT = Path(__file__).resolve().parent.parent
#: The one data fixture: a frozen copy of the 2021 data (tests/data/README.md). The app, the servers
#: the tests start and every loader call read it, never data/tables.
DATA_DIR = ROOT / "tests" / "data" / "spr_2021"
os.environ["SPR_DATA_DIR"] = str(DATA_DIR)
#: Every database the tests make is in a throwaway folder, never the project's state/ folder.
STATE_ROOT = Path(tempfile.mkdtemp(prefix="spr-test-state-"))
os.environ["SPR_STATE_DIR"] = str(STATE_ROOT / "app")
os.environ.pop("SPR_DATABASE_URL", None)

#: Every dashboard page and its heading.
PAGES = {
    "/": "Overview",
    "/counter-terrorism": "Counter terrorism",
    "/public-order": "Public order",
    "/organised-crime": "Serious and organised crime",
    "/venetic": "Operation Venetic (EncroChat)",
    "/county-lines": "County lines",
    "/referral-trends": "Prevent referral trends",
    "/about": "About the data",
}

#: Debian's Chromium (the tests never download a browser), with the flags it needs as root here.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url():
    """The app served by gunicorn on a free loopback port, for one test module."""
    from tests.live_server import running_app

    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def store() -> DataStore:
    """The test data, loaded and validated once."""
    return load_store(DATA_DIR)


@pytest.fixture(scope="session")
def dash_app():
    """The app as gunicorn builds it (``wsgi``), on the test data."""
    import app

    return app.create_app()


@pytest.fixture()
def client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture()
def serving(dash_app) -> Callable[[bool], DataStore]:
    """The data the app answers an anonymous reader (or, with ``True``, a cleared one) from now."""
    library = dash_app.server.extensions["spr"].library

    def now(sensitive: bool = False) -> DataStore:
        return library.store(library.current(), sensitive)

    return now


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the test data folder."""
    target = tmp_path / "tables"
    shutil.copytree(DATA_DIR, target)
    return target


GOOD_ROW = {
    "measure": "Arrested",
    "category": "Criminal justice outcomes",
    "breakdown": "",
    "period": "Dec 2019 to Nov 2020",
    "period_start": "2019-12-01",
    "period_end": "2020-11-30",
    "force": "West Midlands region",
    "strand": "",
    "value": "560",
    "value_text": "",
    "unit": "people",
    "qualifier": "exact",
    "derived": "no",
    "series_break": "",
    "publication": "paper-1",
    "source": "para 88",
    "source_type": "paper",
    "note": "",
}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


#: The publications of a folder built by ``make_folder``: two board papers a year apart and a release.
PUBLICATIONS = [
    {
        "id": "paper-1",
        "title": "Sample paper",
        "short_title": "Sample paper",
        "publisher": "A force",
        "board": "A board",
        "meeting": "Item 1",
        "date": "2021-01",
        "link": "Board papers",
    },
    {
        "id": "paper-2",
        "title": "Sample paper",
        "short_title": "Sample paper",
        "publisher": "A force",
        "board": "A board",
        "meeting": "Item 2",
        "date": "2022-01-18",
        "link": "Board papers",
    },
    {
        "id": "release-1",
        "title": "A public release",
        "short_title": "Release",
        "publisher": "A department",
        "date": "2021-03-31",
        "link": "https://example.org/release",
    },
]


@pytest.fixture()
def make_folder(tmp_path: Path) -> Callable[..., Path]:
    """Build a one-dataset folder 'sample' from row dicts (defaults: GOOD_ROW), with ``PUBLICATIONS``
    (or the ``publications`` given)."""

    def build(
        rows: list[dict] | None = None,
        name: str = "sample",
        publications: list[dict] | None = None,
        marking: str = "",
    ) -> Path:
        folder = tmp_path / "folder"
        folder.mkdir(exist_ok=True)
        write_csv(
            folder / schema.CATALOGUE_FILE,
            list(schema.CATALOGUE_COLUMN_NAMES),
            [[name, "Sample", "Serious and organised crime", "A small test dataset.", marking]],
        )
        pubs = PUBLICATIONS if publications is None else publications
        pub_header = list(schema.PUBLICATION_COLUMN_NAMES)
        write_csv(folder / schema.PUBLICATIONS_FILE, pub_header, [[p.get(c, "") for c in pub_header] for p in pubs])
        rows = rows if rows is not None else [GOOD_ROW]
        header = list(schema.COLUMN_NAMES)
        write_csv(folder / f"{name}.csv", header, [[r.get(c, "") for c in header] for r in rows])
        return folder

    return build


def one(frame: pd.DataFrame, **where: str) -> pd.Series:
    """The single row of ``frame`` matching every column=value in ``where``."""
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col].astype(str) == val
    found = frame[mask]
    assert len(found) == 1, f"expected one row for {where}, found {len(found)}"
    return found.iloc[0]
