"""Helpers shared by the section modules."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data.loader import DataStore


def page_rows(store: DataStore, datasets: Sequence[str]) -> pd.DataFrame:
    """All rows of a section's datasets."""
    return store.frame[store.frame["dataset"].isin(list(datasets))]
