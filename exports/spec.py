"""An export as a job: what to make (``ExportSpec``), how it turned out (``Done``, ``Failed``, ``Pending``),
and making it from the data (``make``). The same spec is made in the web process (``make run``) or by
an export worker (``make cluster``); nothing here knows which.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from data.loader import DataStore
from data.queries import Filters
from exports.board_pack import make_pack
from exports.render import IMAGE_SIZES, ExportError, chart_image
from sections import BY_SLUG, SECTIONS, section_charts

CHART, PACK = "chart", "pack"
#: How long a job may run before its worker gives up on it (and restarts that worker's browser).
TIME_LIMITS = {CHART: 60, PACK: 300}


@dataclass(frozen=True)
class ExportSpec:
    """One chart image or one board pack, from one version as one kind of reader sees it."""

    kind: str
    version: int | None
    sensitive: bool
    fmt: str
    #: A pack's sections (every section: the whole dashboard); a chart's one section.
    sections: tuple[str, ...]
    chart: str = ""
    size: str = ""
    period: str = "all"
    strand: str = "all"
    force: str = "all"
    #: The day a pack is dated, and its cover's version lines: part of what the file says.
    day: str = ""
    cover: tuple[str, ...] = ()

    @property
    def filters(self) -> Filters:
        return Filters(period=self.period, strand=self.strand, force=self.force)

    @property
    def whole(self) -> bool:
        return self.kind == PACK and len(self.sections) > 1

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ExportSpec:
        data = dict(data)
        data["sections"] = tuple(data.get("sections", ()))
        data["cover"] = tuple(data.get("cover", ()))
        return cls(**data)


@dataclass(frozen=True)
class Done:
    body: bytes


@dataclass(frozen=True)
class Failed:
    """The export could not be made; ``message`` is fit to show a reader."""

    message: str
    #: A 404 (nothing to export) rather than a 503 (the server could not make it).
    missing: bool = False


@dataclass(frozen=True)
class Pending:
    """Queued or being made: ``drawn`` pictures so far, ``seconds`` since it was asked for."""

    state: str
    drawn: int = 0
    seconds: float = 0.0


Outcome = Done | Failed | Pending


class Exporter(Protocol):
    """Makes exports, here or on a queue; ``wait`` is how long the caller will wait for the file.
    ``shared``: every server sees the same jobs (a queue on Redis), so progress can be asked anywhere."""

    shared: bool
    pack_wait: float
    chart_wait: float

    def result(self, spec: ExportSpec, store: DataStore, wait: float) -> Outcome: ...


class NothingToExport(ExportError):
    """No such chart, or it has no figures under these filters."""


def make(spec: ExportSpec, store: DataStore, progress: Callable[[int], None] | None = None) -> bytes:
    """The file ``spec`` asks for, drawn from ``store`` (the version and view it names). Raises
    ExportError with a reader's message; NothingToExport when there is nothing to draw."""
    filters = spec.filters
    if spec.kind == CHART:
        (slug,) = spec.sections
        found = [c for c in section_charts(BY_SLUG[slug], store, filters) if c.key == spec.chart]
        if not found:
            raise NothingToExport("No such chart.")
        (item,) = found
        if item.is_empty:
            raise NothingToExport(f"This chart has no figures under these filters. {item.empty_message}")
        return chart_image(item, spec.fmt, store.publications, IMAGE_SIZES[spec.size])
    sections = SECTIONS if spec.whole else tuple(BY_SLUG[s] for s in spec.sections)
    return make_pack(store, sections, filters, spec.fmt, datetime.now(UTC), spec.whole, progress=progress)
