"""Shared fixtures: the real data, a Flask test client, and builders of small data folders."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from data import schema
from data.loader import DEFAULT_DATA_DIR, DataStore, load_store

ROOT = Path(__file__).resolve().parent.parent

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
    """The shipped data, loaded and validated once."""
    return load_store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def dash_app():
    """The app as gunicorn would import it (built from the shipped data)."""
    import app as app_module

    return app_module.app


@pytest.fixture()
def client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "tables"
    shutil.copytree(DEFAULT_DATA_DIR, target)
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
    "source": "para 88",
    "source_type": "paper",
    "note": "",
}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture()
def make_folder(tmp_path: Path) -> Callable[..., Path]:
    """Build a one-dataset folder 'sample' from row dicts (defaults: GOOD_ROW)."""

    def build(rows: list[dict] | None = None, name: str = "sample") -> Path:
        folder = tmp_path / "folder"
        folder.mkdir(exist_ok=True)
        write_csv(
            folder / schema.CATALOGUE_FILE,
            list(schema.CATALOGUE_COLUMN_NAMES),
            [[name, "Sample", "Serious and organised crime", "A small test dataset.", "2021-01-31"]],
        )
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
