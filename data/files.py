"""Where a set of data files comes from: a folder on disk, or files held in memory (a published version
read from the database, or an analyst's upload).

The loader reads every source the same way (``FileSource``), so a version in the database, a folder and
an upload are checked by the same rules and give the same problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from data.validation import Problem, too_large


class FileSource(Protocol):
    """A set of named files (``datasets.csv``, ``publications.csv``, ``<dataset>.csv``)."""

    #: Where the files are, in words, for the log ("data/tables", "version 3").
    label: str

    def names(self) -> list[str]:
        """The CSV file names present, sorted."""
        ...

    def get(self, name: str) -> tuple[bytes | None, list[Problem]]:
        """The file's bytes, or None (absent, or refused with the problems saying why)."""
        ...


@dataclass(frozen=True)
class FolderFiles:
    """The CSV files in one folder. A link leading outside the folder is refused, not followed."""

    directory: Path

    @property
    def label(self) -> str:
        return str(self.directory)

    def names(self) -> list[str]:
        return sorted(p.name for p in self.directory.glob("*.csv"))

    def get(self, name: str) -> tuple[bytes | None, list[Problem]]:
        path = self.directory / name
        if not path.is_file():
            return None, []
        if not path.resolve().is_relative_to(self.directory.resolve()):
            return None, [
                Problem(name, None, None, "file is a link to a place outside the data folder; it was not read")
            ]
        big = too_large(name, path.stat().st_size)
        if big is not None:
            return None, [big]
        return path.read_bytes(), []

    def read_all(self) -> dict[str, bytes]:
        """Every CSV file's bytes (for storing the folder as a version); refused files are left out."""
        out: dict[str, bytes] = {}
        for name in self.names():
            raw, _ = self.get(name)
            if raw is not None:
                out[name] = raw
        return out


@dataclass(frozen=True)
class MemoryFiles:
    """Files held in memory, by name."""

    files: Mapping[str, bytes]
    label: str = "uploaded files"
    #: Problems found while the files were gathered (an unreadable workbook sheet), reported with the rest.
    problems: tuple[Problem, ...] = field(default=())

    def names(self) -> list[str]:
        return sorted(n for n in self.files if n.endswith(".csv"))

    def get(self, name: str) -> tuple[bytes | None, list[Problem]]:
        raw = self.files.get(name)
        if raw is None:
            return None, []
        big = too_large(name, len(raw))
        return (None, [big]) if big is not None else (raw, [])


def overlay(base: Mapping[str, bytes], changes: Mapping[str, bytes], removed: Iterable[str] = ()) -> dict[str, bytes]:
    """``base`` with the files in ``changes`` replacing or adding to it, and ``removed`` left out."""
    out = {n: b for n, b in base.items() if n not in set(removed)}
    out.update(changes)
    return out
