"""Handling marks: which figures a reader may see.

A dataset is ``OFFICIAL`` (anyone may see it, where the deployment is public) or ``OFFICIAL-SENSITIVE``
(only signed-in users whose role allows it). ``public_view`` is the data with every sensitive dataset
taken out: everything an anonymous reader is shown (pages, tables, API, exports, slides, checks,
caches) is drawn from it, so a sensitive figure cannot reach them by any route.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from data import schema
from data.loader import DataStore


def sensitive_datasets(store: DataStore) -> frozenset[str]:
    return frozenset(name for name, info in store.catalogue.items() if info.sensitive)


def marking_of(store: DataStore, datasets: object = None) -> str:
    """The highest mark of ``datasets`` (names; default every dataset in ``store``)."""
    names = store.catalogue if datasets is None else datasets
    sensitive = sensitive_datasets(store)
    return schema.OFFICIAL_SENSITIVE if any(n in sensitive for n in names) else schema.OFFICIAL


def datasets_of(rows: pd.DataFrame | None, fallback) -> list[str]:
    """The datasets figures ``rows`` come from (their ``dataset`` column), or ``fallback`` (names) when
    the rows do not say."""
    if rows is not None and not rows.empty and "dataset" in rows:
        return sorted(set(rows["dataset"].astype(str)))
    return list(fallback)


def rows_marking(rows: pd.DataFrame) -> str:
    """The highest mark of the datasets these rows come from (rows carry their ``dataset``)."""
    from data.loader import get_store

    if rows is None or rows.empty or "dataset" not in rows:
        return schema.OFFICIAL
    return marking_of(get_store(), set(rows["dataset"].astype(str)))


def with_marks(store: DataStore, names: frozenset[str]) -> DataStore:
    """``store`` with the datasets ``names`` (those it holds) marked OFFICIAL-SENSITIVE, as a mark given
    later applies to the figures published before it; the same object when that changes nothing."""
    raise_ = {n for n in names if n in store.catalogue and not store.catalogue[n].sensitive}
    if not raise_:
        return store
    catalogue = {
        n: dataclasses.replace(info, marking=schema.OFFICIAL_SENSITIVE) if n in raise_ else info
        for n, info in store.catalogue.items()
    }
    return dataclasses.replace(store, catalogue=catalogue, memo=type(store.memo)())


def public_view(store: DataStore) -> DataStore:
    """``store`` without its sensitive datasets, and without any publication only they name. The same
    object when nothing in it is sensitive."""
    hidden = sensitive_datasets(store)
    if not hidden:
        return store
    keep = ~store.frame["dataset"].isin(list(hidden))
    frame = store.frame[keep].reset_index(drop=True)
    for col in schema.CATEGORICAL_COLUMNS:  # no hidden value stays behind as an unused category
        if col in frame and isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].cat.remove_unused_categories()
    history = store.history
    if history is not None and not history.empty:
        history = history[~history["dataset"].isin(list(hidden))].reset_index(drop=True)
    named = set(frame["publication"].astype(str))
    if history is not None and not history.empty:
        named |= set(history["publication"].astype(str))
    only_hidden = set(store.frame.loc[~keep, "publication"].astype(str)) - named
    hidden_files = {f"{name}.csv" for name in hidden}
    return DataStore(
        origin=store.origin,
        frame=frame,
        catalogue={n: info for n, info in store.catalogue.items() if n not in hidden},
        publications={p: pub for p, pub in store.publications.items() if p not in only_hidden},
        history=history,
        warnings=tuple(w for w in store.warnings if w.file not in hidden_files),
        version=store.version,
        withheld=hidden,
    )
