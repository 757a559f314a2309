"""Load every data file once per process into one tidy, validated frame.

``load_store(directory)`` reads the catalogue and every dataset file, checks
them all against ``data.schema`` and returns a ``DataStore``; if anything is
wrong it raises ``DataError`` listing every problem (never only the first).
``get_store()`` is the per-process cache the app uses; ``load_or_report()`` and
``use_store()`` let the app swap in new data only when it is valid (and draws).
"""

from __future__ import annotations

import contextlib
import contextvars
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
from data.files import FileSource, FolderFiles
from data.formatting import format_value
from data.publications import (
    PubDate,
    Publication,
    check_named,
    check_publications,
    copied_without_its_publication,
    unreadable_stated_changes,
)
from data.validation import (
    DataError,
    Problem,
    RawTable,
    check_catalogue,
    check_period_dates,
    check_restatements,
    check_table,
    check_totals,
    read_csv_bytes,
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
    #: The publications its figures come from, latest first.
    publications: tuple[str, ...]
    #: The date of its latest publication: the figures are as at this date.
    as_at: PubDate
    #: Its handling mark (``schema.MARKINGS``).
    marking: str = schema.OFFICIAL

    @property
    def sensitive(self) -> bool:
        return self.marking == schema.OFFICIAL_SENSITIVE

    @property
    def updated(self) -> date:
        """The day its latest figures were published (a month or a year counts as its last day)."""
        return self.as_at.last_day


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

    def held(self) -> list[Hashable]:
        """The keys held now, least recently used first."""
        with self._lock:
            return list(self._items)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class DataStore:
    """All datasets, validated. ``frame`` has ``schema.FRAME_COLUMNS``: one row per figure, as its latest
    publication states it (``revised_from`` says what an earlier publication gave, where it differs).

    ``value`` is float (NaN where not stated); ``period_start``/``period_end`` are datetimes (NaT where
    not known; a blank end is filled from the row's publication date); the
    ``schema.CATEGORICAL_COLUMNS`` are pandas categoricals; the other columns are strings ('' when
    blank). ``history`` holds the earlier statements of restated figures.
    """

    #: Where the files came from, in words (a folder, "version 3", a draft).
    origin: str
    frame: pd.DataFrame
    catalogue: dict[str, DatasetInfo]
    publications: dict[str, Publication] = field(default_factory=dict)
    history: pd.DataFrame | None = None
    warnings: tuple[Problem, ...] = field(default=())
    #: The published version these figures are (None: a folder or a draft, not published).
    version: int | None = None
    #: Datasets this reader may not see (``data.marking.public_view``): not in the catalogue, and
    #: ``dataset()`` gives none of their rows, so every page still draws.
    withheld: frozenset[str] = frozenset()
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
        if name in self.withheld:
            return self.frame.iloc[0:0].reset_index(drop=True)
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
        """Period labels in time order (``data.queries.ordered_periods``)."""
        from data.queries import ordered_periods

        return ordered_periods(self.frame if name is None else self.dataset(name))


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


def _read(
    source: FileSource, name: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[RawTable | None, list[Problem]]:
    """The file ``name`` of ``source`` as a table of strings (None when absent or unreadable)."""
    raw, problems = source.get(name)
    if raw is None:
        return None, problems
    table, read_problems = read_csv_bytes(name, raw, columns, optional)
    return table, problems + read_problems


def _fill_period_ends(typed: pd.DataFrame, publications: dict[str, Publication]) -> pd.DataFrame:
    """A blank period end is the date of the first publication that states a figure for that period (the
    figure is as at, or to, that date). So "At January 2021" is January 2021 in every paper that gives a
    figure for it, and a later paper restating it needs no dates typed in."""
    dates = pd.to_datetime(
        typed["publication"].map(lambda p: publications[p].date.last_day if p in publications else None)
    )
    blank = typed["period_end"].isna() & dates.notna()
    first = dates[blank].groupby(typed.loc[blank, "period"]).min()
    out = typed.copy(deep=False)
    if not first.empty:
        out["period_end"] = typed["period_end"].fillna(pd.to_datetime(typed["period"].map(first)))
    return out


def _resolve(typed: pd.DataFrame, when: pd.Series, publications: dict[str, Publication]):
    """The latest statement of each figure, with ``revised_from`` where an earlier publication gave
    another figure; and the earlier statements. ``when`` is each row's publication date."""
    keys = list(schema.KEY_COLUMNS)
    typed = typed.copy(deep=False)
    typed["revised_from"] = ""
    repeated = typed.duplicated(keys, keep=False)
    if not repeated.any():
        return typed, typed.iloc[0:0]
    drop: list = []
    for _, group in typed[repeated].groupby(keys, sort=False, dropna=False):
        ordered = group.index[when[group.index].argsort(kind="stable")]
        latest, prev = typed.loc[ordered[-1]], typed.loc[ordered[-2]]
        drop += list(ordered[:-1])
        same_value = latest["value"] == prev["value"] or (pd.isna(latest["value"]) and pd.isna(prev["value"]))
        if not (same_value and latest["qualifier"] == prev["qualifier"] and latest["value_text"] == prev["value_text"]):
            before = format_value(prev["value"], str(prev["unit"]), str(prev["qualifier"]), prev["value_text"])
            name = publications[prev["publication"]].name if prev["publication"] in publications else ""
            typed.at[ordered[-1], "revised_from"] = f"revised from {before} ({name})"
    return typed.drop(index=drop), typed.loc[drop]


def load_store(directory: Path | str) -> DataStore:
    """Read and validate every file in the folder ``directory``; raise DataError listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, None, "data directory does not exist")])
    return load_source(FolderFiles(directory))


def load_source(source: FileSource, version: int | None = None) -> DataStore:
    """Read and validate every file of ``source``; raise DataError listing every problem. ``version`` is
    the published version the files are (None for a folder or a draft)."""
    problems: list[Problem] = list(getattr(source, "problems", ()))
    present_names = source.names()

    publications: dict[str, Publication] = {}
    undated: set[str] = set()
    catalogued = False
    if schema.PUBLICATIONS_FILE not in present_names:
        problems.append(Problem(schema.PUBLICATIONS_FILE, None, None, "publication catalogue file is missing"))
    else:
        pub_table, read_problems = _read(source, schema.PUBLICATIONS_FILE, schema.PUBLICATION_COLUMN_NAMES)
        problems += read_problems
        if pub_table is not None:
            publications, undated, pub_problems = check_publications(pub_table)
            problems += pub_problems
            catalogued = True

    if schema.CATALOGUE_FILE not in present_names:
        raise DataError([*problems, Problem(schema.CATALOGUE_FILE, None, None, "catalogue file is missing")])
    cat_table, cat_problems = _read(
        source, schema.CATALOGUE_FILE, schema.CATALOGUE_COLUMN_NAMES, schema.CATALOGUE_OPTIONAL
    )
    problems += cat_problems
    if cat_table is None:
        raise DataError(problems)
    problems += check_catalogue(cat_table)
    cat = cat_table.frame

    listed = set(cat["name"])
    present = {n.removesuffix(".csv") for n in present_names if n not in schema.CONTROL_FILES}
    for stray in sorted(present - listed):
        problems.append(Problem(f"{stray}.csv", None, None, f"file is not listed in {schema.CATALOGUE_FILE}"))

    frames: list[pd.DataFrame] = []
    earlier: list[pd.DataFrame] = []
    infos: dict[str, DatasetInfo] = {}
    for idx, entry in cat.iterrows():
        name = entry["name"]
        if f"{name}.csv" not in present_names:
            problems.append(
                Problem(
                    schema.CATALOGUE_FILE,
                    int(cat_table.lines[idx]),
                    "name",
                    f"dataset {name!r} is listed but {name}.csv does not exist",
                )
            )
            continue
        table, read_problems = _read(source, f"{name}.csv", schema.COLUMN_NAMES)
        problems += read_problems
        if table is None:
            continue
        typed, row_problems = check_table(table)
        problems += row_problems
        if catalogued:  # without the catalogue every row would fail here, hiding the catalogue's own problem
            problems += check_named(table, typed, publications, undated)
        typed = _fill_period_ends(typed, publications)
        problems += check_period_dates(table, typed)
        known = typed["publication"].isin(list(publications))
        when = typed["publication"].map(lambda p: publications[p].date.last_day if p in publications else date.min)
        names = typed["publication"].map(lambda p: publications[p].name if p in publications else repr(p))
        problems += check_restatements(table, typed[known], when[known], names[known])
        current, superseded = _resolve(typed, when, publications)
        # Each publication's totals equal its own parts (a later paper may restate a total alone).
        for _, own in current.groupby("publication", sort=False):
            problems += check_totals(name, table, own)
        problems += copied_without_its_publication(table, typed, publications)
        problems += unreadable_stated_changes(table, typed)
        current.insert(0, "dataset", name)
        superseded.insert(0, "dataset", name)
        frames.append(current)
        earlier.append(superseded)
        pubs = sorted(
            (p for p in dict.fromkeys(current["publication"]) if p in publications),
            key=lambda p: publications[p].date.last_day,
            reverse=True,
        )
        infos[name] = DatasetInfo(
            name=name,
            title=entry["title"],
            topic=entry["topic"],
            description=entry["description"],
            rows=len(current),
            sources=_sources_in_order(current["source"]),
            publications=tuple(pubs),
            as_at=publications[pubs[0]].date if pubs else PubDate(1),
            marking=entry["marking"] or schema.OFFICIAL,
        )
        del table, typed
        _give_back_memory()

    if any(p.severity == "error" for p in problems):
        raise DataError(problems)

    frame = _combine(frames)
    history = _combine(earlier)
    del frames, earlier
    _give_back_memory()
    warnings = tuple(p for p in problems if p.severity == "warning")
    for w in warnings:
        log.warning("%s", w)
    log.info("Loaded %d rows from %d datasets in %s", len(frame), len(infos), source.label)
    return DataStore(
        origin=source.label,
        version=version,
        frame=frame,
        catalogue=infos,
        publications=publications,
        history=history,
        warnings=warnings,
    )


_lock = threading.Lock()
_store: DataStore | None = None
#: The data one request is answered from (its version, and what its reader may see), bound by the web
#: layer for the length of the request; ``get_store`` returns it before the process's own.
_bound: contextvars.ContextVar[DataStore | None] = contextvars.ContextVar("spr_store", default=None)


def bind_store(store: DataStore | None) -> contextvars.Token:
    """Answer from ``store`` until ``unbind_store`` (the web layer does this around each request)."""
    return _bound.set(store)


def unbind_store(token: contextvars.Token) -> None:
    _bound.reset(token)


def get_store(directory: Path | str | None = None) -> DataStore:
    """The data to answer from: the request's (``bind_store``), else the process's, loaded on first call
    (from ``directory`` or the configured folder)."""
    bound = _bound.get()
    if bound is not None and directory is None:
        return bound
    global _store
    with _lock:
        if _store is None:
            _store = load_store(directory if directory is not None else _configured_dir())
        return _store


def load_or_report(directory: Path | str | None = None) -> DataStore | None:
    """The data in ``directory`` (default: the configured folder), or None with the full report logged."""
    target = directory if directory is not None else _configured_dir()
    try:
        return load_store(target)
    except DataError as err:
        log.error("New data rejected; keeping the last good data.\n%s", err.report())
        return None


def use_store(store: DataStore | None) -> DataStore | None:
    """Serve ``store`` from now on (None: load again on the next ``get_store``); returns the one before."""
    global _store
    with _lock:
        before, _store = _store, store
    return before


def reset_store() -> None:
    """Forget the cached data (for tests)."""
    use_store(None)


def _configured_dir() -> Path:
    from settings import get_settings  # settings has no dash imports

    return get_settings().data_dir
