"""Loaded versions kept on this server's disk, so that a version is read and checked once per server,
not once per worker.

Reading and checking a version's files takes about a second; after a publish every worker of a
server needs the new version at the same moment. The first to ask loads it and writes the loaded
data to ``<folder>/v<N>-<release>.pickle`` (atomically, under a lock); the others wait on the lock
and read the file in milliseconds. ``release`` is a digest of the code that reads versions and of the
library versions, so a new release of the dashboard reads and checks every version again.

The folder is the server's own state folder (``SPR_STATE_DIR``): only the server writes to it, which
is why these files may be pickles (never anything from the database or an upload).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from data.loader import DataStore

log = logging.getLogger(__name__)

_DATA = Path(__file__).resolve().parent


@functools.cache
def release() -> str:
    """A digest of the code that turns files into a DataStore, and of Python's, pandas' and numpy's
    versions."""
    digest = hashlib.sha256(f"{sys.version}|{pd.__version__}|{np.__version__}".encode())
    for path in sorted(_DATA.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _state(store: DataStore) -> dict:
    return {f.name: getattr(store, f.name) for f in dataclasses.fields(store) if f.name != "memo"}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Snapshots:
    """Loaded versions in ``folder`` (made if missing)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, number: int) -> Path:
        return self.folder / f"v{number}-{release()}.pickle"

    def _read(self, path: Path) -> DataStore | None:
        try:
            with open(path, "rb") as handle:
                return DataStore(**pickle.load(handle))
        except FileNotFoundError:
            return None
        except Exception:  # a damaged file: read again from the database
            log.warning("Ignored an unreadable snapshot %s", path.name)
            return None

    def load(self, number: int, read: Callable[[], DataStore]) -> DataStore:
        """Version ``number``: from its snapshot, or ``read()`` (once per server) and kept."""
        path = self._path(number)
        found = self._read(path)
        if found is not None:
            return found
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with _locked(self.folder / f"v{number}.lock"):
                found = self._read(path)  # another worker wrote it while this one waited
                if found is not None:
                    return found
                store = read()
                with tempfile.NamedTemporaryFile(dir=self.folder, prefix=f".v{number}-", delete=False) as tmp:
                    pickle.dump(_state(store), tmp, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp.name, path)
                self._prune(number)
                return store
        except OSError as err:  # a folder this server may not write: every worker reads for itself
            log.warning("Could not keep version %d in %s: %s", number, self.folder, err)
            return read()

    def _prune(self, number: int) -> None:
        """Remove this version's snapshots from other releases."""
        for old in self.folder.glob(f"v{number}-*.pickle"):
            if old.name != self._path(number).name:
                old.unlink(missing_ok=True)
