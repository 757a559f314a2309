"""Load every data file once per process into one tidy, validated frame.

``load_store(directory)`` reads the catalogue and every dataset file, checks
them all against ``data.schema`` and returns a ``DataStore``; if anything is
wrong it raises ``DataError`` listing every problem (never only the first).
``get_store()`` is the per-process cache the app uses; ``reload_store()``
swaps in new data only when the new data is valid.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema
from data.validation import (
    DataError,
    Problem,
    check_catalogue,
    check_table,
    check_totals,
    parse_date,
    read_table,
)

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "tables"


@dataclass(frozen=True)
class DatasetInfo:
    """Catalogue entry for one dataset, with facts computed from its rows."""

    name: str
    title: str
    topic: str
    description: str
    rows: int
    sources: tuple[str, ...]
    updated: date


class ResultCache:
    """A small least-recently-used cache, owned by one DataStore (so new data starts empty).

    Every worker fills its own copy from the same data, so all workers answer alike.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> object | None:
        """The cached value, or None; does not compute or store anything."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class DataStore:
    """All datasets, validated. ``frame`` has ``schema.FRAME_COLUMNS``.

    ``value`` is float (NaN where not stated); ``period_start``/``period_end``
    are datetimes (NaT where not known); the ``schema.CATEGORICAL_COLUMNS``
    are pandas categoricals; the other columns are strings ('' when blank).
    """

    directory: Path
    frame: pd.DataFrame
    catalogue: dict[str, DatasetInfo]
    warnings: tuple[Problem, ...] = field(default=())
    #: Results worked out from this data (e.g. charts per filter state); dropped with the data.
    memo: ResultCache = field(default_factory=lambda: ResultCache(), compare=False, hash=False, repr=False)

    @property
    def names(self) -> list[str]:
        return list(self.catalogue)

    def dataset(self, name: str) -> pd.DataFrame:
        """The rows of one dataset (raises KeyError for an unknown name).

        Where its rows lie in ``frame`` is found once per store, so this costs the same for ten rows
        or a million; the frame returned is the caller's own (copy on write).
        """
        if name not in self.catalogue:
            raise KeyError(name)
        return self.frame.iloc[self._dataset_rows.get(name, slice(0, 0))].reset_index(drop=True)

    @functools.cached_property
    def _dataset_rows(self) -> dict[str, slice | np.ndarray]:
        """Each dataset's row positions in ``frame``: a slice where they are together (as ``load_store``
        puts them), else their positions."""
        out: dict[str, slice | np.ndarray] = {}
        for name, at in self.frame.groupby("dataset", observed=True, sort=False).indices.items():
            together = at[-1] - at[0] + 1 == len(at)  # observed: every group has rows
            out[str(name)] = slice(int(at[0]), int(at[-1]) + 1) if together else at
        return out

    def periods(self, name: str | None = None) -> list[str]:
        """Period labels in time order (by start date, then end date, then label)."""
        rows = self.frame if name is None else self.dataset(name)
        spans = rows[["period", "period_start", "period_end"]].drop_duplicates("period")
        spans = spans.sort_values(["period_start", "period_end", "period"], na_position="last")
        return spans["period"].tolist()


def _sources_in_order(values: pd.Series) -> tuple[str, ...]:
    return tuple(pd.unique(values))


def _combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Every dataset's rows in one frame (``schema.FRAME_COLUMNS``), a column at a time, letting go of
    each dataset's copy of a column once it is joined (so the rows are not held twice over)."""
    columns: dict[str, pd.Series] = {}
    for col in schema.FRAME_COLUMNS:
        column = pd.concat([f.pop(col) for f in frames], ignore_index=True)
        columns[col] = column.astype("category") if col in schema.CATEGORICAL_COLUMNS else column
    return pd.DataFrame(columns, copy=False)


def _give_back_memory() -> None:
    """Return memory freed while reading to the operating system. glibc keeps freed small blocks for
    reuse, so without this a process (and every worker forked from it) holds on to the reading's
    leftovers. Does nothing where the C library has no ``malloc_trim``."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def load_store(directory: Path | str) -> DataStore:
    """Read and validate every file in ``directory``; raise DataError listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, None, "data directory does not exist")])

    catalogue_path = directory / schema.CATALOGUE_FILE
    if not catalogue_path.is_file():
        raise DataError([Problem(schema.CATALOGUE_FILE, None, None, "catalogue file is missing")])
    cat_table, cat_problems = read_table(catalogue_path, schema.CATALOGUE_COLUMN_NAMES)
    problems += cat_problems
    if cat_table is None:
        raise DataError(problems)
    problems += check_catalogue(cat_table)
    cat = cat_table.frame

    listed = set(cat["name"])
    present = {p.stem for p in directory.glob("*.csv") if p.name != schema.CATALOGUE_FILE}
    for stray in sorted(present - listed):
        problems.append(Problem(f"{stray}.csv", None, None, f"file is not listed in {schema.CATALOGUE_FILE}"))

    frames: list[pd.DataFrame] = []
    infos: dict[str, DatasetInfo] = {}
    for idx, entry in cat.iterrows():
        name = entry["name"]
        path = directory / f"{name}.csv"
        if not path.is_file():
            problems.append(
                Problem(
                    schema.CATALOGUE_FILE,
                    int(cat_table.lines[idx]),
                    "name",
                    f"dataset {name!r} is listed but {name}.csv does not exist",
                )
            )
            continue
        table, read_problems = read_table(path, schema.COLUMN_NAMES)
        problems += read_problems
        if table is None:
            continue
        typed, row_problems = check_table(table)
        problems += row_problems
        problems += check_totals(name, table, typed)
        typed.insert(0, "dataset", name)
        frames.append(typed)
        infos[name] = DatasetInfo(
            name=name,
            title=entry["title"],
            topic=entry["topic"],
            description=entry["description"],
            rows=len(typed),
            sources=_sources_in_order(typed["source"]),
            updated=parse_date(entry["updated"]) or date.min,
        )
        del table, typed
        _give_back_memory()

    if any(p.severity == "error" for p in problems):
        raise DataError(problems)

    frame = _combine(frames)
    del frames
    _give_back_memory()
    warnings = tuple(p for p in problems if p.severity == "warning")
    for w in warnings:
        log.warning("%s", w)
    log.info("Loaded %d rows from %d datasets in %s", len(frame), len(infos), directory)
    return DataStore(directory=directory, frame=frame, catalogue=infos, warnings=warnings)


_lock = threading.Lock()
_store: DataStore | None = None


def get_store(directory: Path | str | None = None) -> DataStore:
    """The process's data, loaded on first call (from ``directory`` or the configured one)."""
    global _store
    with _lock:
        if _store is None:
            _store = load_store(directory if directory is not None else _configured_dir())
        return _store


def reload_store(directory: Path | str | None = None) -> DataStore:
    """Load again; on invalid data log the report and keep serving the last good data."""
    global _store
    target = directory if directory is not None else _configured_dir()
    try:
        fresh = load_store(target)
    except DataError as err:
        log.error("New data rejected; keeping the last good data.\n%s", err.report())
        if _store is None:
            raise
        return _store
    with _lock:
        _store = fresh
    return fresh


def reset_store() -> None:
    """Forget the cached data (for tests)."""
    global _store
    with _lock:
        _store = None


def _configured_dir() -> Path:
    from settings import get_settings  # settings has no dash imports

    return get_settings().data_dir
