"""Published versions, drafts and presentations, kept in the database (``data.database``).

A version is a complete set of data files, numbered from 1, never changed or deleted once published. A
publish claims the number after the version its draft was laid over, in one transaction: of two
analysts publishing at once, one wins and the other gets ``PublishConflict``; a crash in the middle
leaves no half version. Rolling back is publishing an earlier version's files again, as a new version.
"""

from __future__ import annotations

import hashlib
import logging
import secrets as _secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from data.database import blobs, draft_files, drafts, is_sqlite, presentations, secrets, version_files, versions
from data.files import FolderFiles

log = logging.getLogger(__name__)

#: Who the first version is published by, when the data folder is imported at the first start.
IMPORTER = "first start (imported from the data folder)"


def utc_now() -> datetime:
    """Now, in UTC, without a time zone (as the database keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True)
class Presentation:
    """A version marked as presented to the board."""

    version: int
    presented_on: date
    meeting: str
    marked_by: str
    marked_at: datetime


@dataclass(frozen=True)
class Version:
    """One published version: its number, who published it, when, why, and what it changed."""

    number: int
    published_at: datetime  # UTC
    published_by: str
    note: str
    #: The files that differ from the version before, without ``.csv`` ("rocu_outcomes", "publications").
    changed: tuple[str, ...]
    #: For a rollback, the version whose files it published again.
    republished_from: int | None = None
    presentations: tuple[Presentation, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A valid upload, laid over ``base_version``, not yet published (or published as ``published_as``)."""

    id: str
    base_version: int | None
    created_by: str
    created_at: datetime
    uploaded: str
    published_as: int | None = None


class PublishConflict(Exception):
    """Someone else published first (or this draft was already published); nothing was changed."""

    def __init__(self, message: str, current: int | None):
        super().__init__(message)
        self.current = current


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def changed_files(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> tuple[str, ...]:
    """The names (without ``.csv``) of files added, removed or changed between two sets, sorted."""
    names = set(before) | set(after)
    return tuple(sorted(n.removesuffix(".csv") for n in names if before.get(n) != after.get(n)))


class Versions:
    """The published versions, drafts and presentations in one database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # Reading -------------------------------------------------------------------------------------

    def latest(self) -> int | None:
        """The current version's number (None before anything is published). One small query."""
        with self.engine.connect() as c:
            return c.execute(select(func.max(versions.c.number))).scalar()

    def state(self) -> tuple[int | None, int]:
        """The current version's number and how many presentations are recorded, in one small query:
        what every process polls to see a publish (or a version marked as presented)."""
        latest = select(func.max(versions.c.number)).scalar_subquery()
        marks = select(func.count()).select_from(presentations).scalar_subquery()
        with self.engine.connect() as c:
            row = c.execute(select(latest, marks)).one()
        return row[0], int(row[1])

    def get(self, number: int) -> Version | None:
        found = self.listing(only=number)
        return found[0] if found else None

    def listing(self, only: int | None = None) -> list[Version]:
        """Every version, newest first, with the presentations of each."""
        query = select(versions).order_by(versions.c.number.desc())
        marks = select(presentations).order_by(presentations.c.presented_on, presentations.c.id)
        if only is not None:
            query = query.where(versions.c.number == only)
            marks = marks.where(presentations.c.version == only)
        with self.engine.connect() as c:
            rows = c.execute(query).mappings().all()
            shown: dict[int, list[Presentation]] = {}
            for m in c.execute(marks).mappings():
                shown.setdefault(m["version"], []).append(
                    Presentation(m["version"], m["presented_on"], m["meeting"], m["marked_by"], as_utc(m["marked_at"]))
                )
        return [
            Version(
                number=r["number"],
                published_at=as_utc(r["published_at"]),
                published_by=r["published_by"],
                note=r["note"],
                changed=tuple(n for n in r["changed"].split(",") if n),
                republished_from=r["republished_from"],
                presentations=tuple(shown.get(r["number"], ())),
            )
            for r in rows
        ]

    def files(self, number: int) -> dict[str, bytes]:
        """The files of a version, by name (empty for a version that does not exist)."""
        return self._contents(version_files, version_files.c.version == number)

    def presented(self) -> list[Presentation]:
        """Every presentation, latest meeting first."""
        return sorted(
            (p for v in self.listing() for p in v.presentations),
            key=lambda p: (p.presented_on, p.marked_at),
            reverse=True,
        )

    # Publishing ----------------------------------------------------------------------------------

    def publish(
        self,
        files: Mapping[str, bytes],
        by: str,
        note: str,
        base: int | None,
        *,
        draft: str | None = None,
        republished_from: int | None = None,
    ) -> Version:
        """Publish ``files`` as the version after ``base``, in one transaction; raise PublishConflict if
        ``base`` is no longer the current version (or ``draft`` was already published)."""
        number = (base or 0) + 1
        now = utc_now()
        try:
            with self.engine.begin() as c:
                self._take_write_lock(c)
                current = c.execute(select(func.max(versions.c.number))).scalar()
                if current != base:
                    raise PublishConflict(
                        f"Version {current} was published after this one was prepared (on version {base}); "
                        "nothing was published.",
                        current,
                    )
                before = self._files_in(c, base) if base is not None else {}
                self._store_blobs(c, files)
                c.execute(
                    insert(versions).values(
                        number=number,
                        published_at=now,
                        published_by=by,
                        note=note,
                        changed=",".join(changed_files(before, files)),
                        republished_from=republished_from,
                    )
                )
                c.execute(
                    insert(version_files),
                    [{"version": number, "name": n, "sha256": digest(b)} for n, b in sorted(files.items())],
                )
                if draft is not None:
                    done = c.execute(
                        update(drafts)
                        .where(drafts.c.id == draft, drafts.c.published_as.is_(None))
                        .values(published_as=number)
                    )
                    if done.rowcount != 1:
                        raise PublishConflict("This draft was already published; nothing was published.", current)
        except IntegrityError:
            # Another publish claimed the same number between our check and our insert.
            raise PublishConflict(
                f"Another version was published at the same moment as this one (on version {base}); "
                "nothing was published.",
                self.latest(),
            ) from None
        log.info("Published version %d by %s", number, by)
        published = self.get(number)
        assert published is not None
        return published

    def republish(self, number: int, by: str, note: str, base: int | None) -> Version:
        """Publish version ``number``'s files again as a new version (a rollback)."""
        files = self.files(number)
        if not files:
            raise KeyError(number)
        return self.publish(files, by, note, base, republished_from=number)

    def import_folder(self, folder: Path) -> Version | None:
        """Publish ``folder`` as version 1 when nothing is published yet; else (or when another server
        did it first) None."""
        if self.latest() is not None:
            return None
        files = FolderFiles(folder).read_all()
        try:
            return self.publish(files, IMPORTER, f"The data folder {folder.name}/ as it was at the first start.", None)
        except PublishConflict:
            return None

    # Drafts and presentations --------------------------------------------------------------------

    def save_draft(self, files: Mapping[str, bytes], base: int | None, by: str, uploaded: str) -> Draft:
        """Keep a valid upload (laid over ``base``) as a draft, in the database so that every server can
        draw it."""
        draft_id = _secrets.token_hex(16)
        now = utc_now()
        with self.engine.begin() as c:
            self._store_blobs(c, files)
            c.execute(
                insert(drafts).values(id=draft_id, base_version=base, created_by=by, created_at=now, uploaded=uploaded)
            )
            c.execute(
                insert(draft_files),
                [{"draft": draft_id, "name": n, "sha256": digest(b)} for n, b in sorted(files.items())],
            )
        return Draft(draft_id, base, by, as_utc(now), uploaded)

    def draft(self, draft_id: str) -> Draft | None:
        if not isinstance(draft_id, str) or len(draft_id) != 32:
            return None
        with self.engine.connect() as c:
            r = c.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().first()
        if r is None:
            return None
        return Draft(
            r["id"], r["base_version"], r["created_by"], as_utc(r["created_at"]), r["uploaded"], r["published_as"]
        )

    def draft_files(self, draft_id: str) -> dict[str, bytes]:
        """The files of a draft, by name (empty for a draft that does not exist)."""
        return self._contents(draft_files, draft_files.c.draft == draft_id)

    def _contents(self, listing, where) -> dict[str, bytes]:
        """Name → content of the files ``listing`` (version_files or draft_files) holds ``where``."""
        query = select(listing.c.name, blobs.c.content).join(blobs, blobs.c.sha256 == listing.c.sha256).where(where)
        with self.engine.connect() as c:
            return {name: bytes(content) for name, content in c.execute(query)}

    def mark_presented(self, number: int, on: date, meeting: str, by: str) -> Presentation:
        """Record that version ``number`` was presented to the board on ``on`` (KeyError: no such version)."""
        now = utc_now()
        with self.engine.begin() as c:
            if c.execute(select(versions.c.number).where(versions.c.number == number)).first() is None:
                raise KeyError(number)
            c.execute(
                insert(presentations).values(
                    version=number, presented_on=on, meeting=meeting, marked_by=by, marked_at=now
                )
            )
        return Presentation(number, on, meeting, by, as_utc(now))

    # Inside ----------------------------------------------------------------------------------------

    def _take_write_lock(self, c: Connection) -> None:
        """On SQLite, take the write lock before reading, so that the check and the insert see one state
        (a write first makes SQLite's transaction a writing one; others wait for it)."""
        if is_sqlite(self.engine):
            c.execute(delete(secrets).where(secrets.c.name == "-"))

    def _files_in(self, c: Connection, number: int) -> dict[str, bytes]:
        query = (
            select(version_files.c.name, blobs.c.content)
            .join(blobs, blobs.c.sha256 == version_files.c.sha256)
            .where(version_files.c.version == number)
        )
        return {name: bytes(content) for name, content in c.execute(query)}

    def _store_blobs(self, c: Connection, files: Mapping[str, bytes]) -> None:
        """Each file's content once, by its digest (one already stored is left as it is)."""
        rows = {digest(b): b for b in files.values()}
        if not rows:
            return
        make = sqlite_insert if is_sqlite(self.engine) else pg_insert
        statement = make(blobs).on_conflict_do_nothing(index_elements=["sha256"])
        c.execute(statement, [{"sha256": d, "size": len(b), "content": b} for d, b in rows.items()])
