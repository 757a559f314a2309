"""What a process serves: the published versions, loaded from the database when first asked for.

``Library.current()`` is the latest version's number, asked of the database at most once every
``poll_seconds``: a publish on any server reaches every worker of every server within that time plus
one load, with no signal or restart. Loaded versions are kept (the current one, and a few pinned or
draft ones, least recently used first out), each as two stores: everything, and the public view
without sensitive datasets (``data.marking``). A store never changes, so everything worked out from it
(charts, pages, checks) is cached with it, and a new version starts with an empty cache.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from data.diff import Comparison, compare
from data.files import MemoryFiles
from data.loader import DataStore, load_source
from data.marking import public_view, sensitive_datasets, with_marks
from data.schema import CONTROL_FILES
from data.snapshots import Snapshots
from data.versions import Draft, Presentation, Version, Versions

log = logging.getLogger(__name__)

#: How often a process asks the database whether a newer version was published: a cheap query (the
#: latest number), and with loading the new version (under a second) well within the 2 seconds allowed.
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Loaded:
    """One version or draft, as everyone may see it and as a cleared reader sees it."""

    full: DataStore
    public: DataStore

    def view(self, sensitive: bool) -> DataStore:
        return self.full if sensitive else self.public

    @classmethod
    def of(cls, full: DataStore) -> Loaded:
        return cls(full, public_view(full))


class NoSuchVersion(LookupError):
    """The version (or draft) asked for does not exist."""


class Library:
    """The versions one process serves, from one database."""

    def __init__(
        self,
        versions: Versions,
        poll_seconds: float = POLL_SECONDS,
        keep: int = 6,
        clock: Callable[[], float] = time.monotonic,
        snapshots: Snapshots | None = None,
    ):
        self.versions = versions
        #: Where versions, once loaded, are kept for the other workers of this server (None: not kept).
        self.snapshots = snapshots
        self.poll_seconds = poll_seconds
        self.keep = keep
        self._clock = clock
        self._lock = threading.RLock()
        self._loaded: OrderedDict[str, Loaded] = OrderedDict()
        self._current: int | None = None
        self._listing: list[Version] | None = None
        self._checked_at = float("-inf")
        #: Changes when the listing changes (a publish, or a version marked as presented): cached
        #: answers that show the listing carry it in their key.
        self.listing_token = 0
        self._database_away = False

    # Which version is current --------------------------------------------------------------------

    def current(self) -> int:
        """The latest version's number, asked again once ``poll_seconds`` have passed. One thread asks
        the database; the others answer with the version known meanwhile, rather than wait for it."""
        due = self._current is None or self._clock() - self._checked_at >= self.poll_seconds
        if due and self._lock.acquire(blocking=self._current is None):
            try:
                now = self._clock()
                if self._current is None or now - self._checked_at >= self.poll_seconds:
                    self._refresh(now)
            finally:
                self._lock.release()
        if self._current is None:
            raise NoSuchVersion("nothing is published yet")
        return self._current

    def _refresh(self, now: float) -> None:
        try:
            latest, marks = self.versions.state()
        except SQLAlchemyError as err:
            if self._current is None:
                raise
            # The database is away (restarting, or the network): keep serving the version known, and
            # ask again at the next poll.
            if not self._database_away:
                log.error(
                    "The database is not answering (%s): still serving version %s until it is back",
                    err.__class__.__name__,
                    self._current,
                )
            self._database_away = True
            self._checked_at = now
            return
        if self._database_away:
            log.info("The database is answering again")
            self._database_away = False
        token = hash((latest, marks))
        if latest != self._current or token != self.listing_token:
            if latest != self._current and self._current is not None:
                log.info("Version %s is now current (was %s)", latest, self._current)
            self._current = latest
            self._listing = None
            self.listing_token = token
        self._checked_at = now

    def refresh_now(self) -> int:
        """Ask the database at once (after this process published or marked something)."""
        with self._lock:
            self._refresh(self._clock())
        return self.current()

    def listing(self) -> list[Version]:
        """Every version, newest first (kept until the next change)."""
        self.current()
        with self._lock:
            if self._listing is None:
                self._listing = self.versions.listing()
            return self._listing

    def info(self, number: int) -> Version | None:
        """Version ``number`` (asking the database again if it is newer than the current one known)."""
        found = next((v for v in self.listing() if v.number == number), None)
        if found is None and number > (self._current or 0):
            self.refresh_now()
            found = next((v for v in self.listing() if v.number == number), None)
        return found

    def presented(self) -> list[Presentation]:
        """Every presentation to the board, latest meeting first."""
        return sorted(
            (p for v in self.listing() for p in v.presentations),
            key=lambda p: (p.presented_on, p.marked_at),
            reverse=True,
        )

    # Loading ---------------------------------------------------------------------------------------

    def store(self, number: int, sensitive: bool) -> DataStore:
        """Version ``number``'s data as a reader sees it: everything, or (``sensitive`` False) without
        its OFFICIAL-SENSITIVE datasets, counting as sensitive a dataset the current version marks so,
        whatever the version itself said (a mark given later protects the figures published before it).
        Raises NoSuchVersion; DataError if the version no longer reads."""
        key = f"v{number}"
        loaded = self._get(key, lambda: self._load_version(number))
        if number != self._current:
            loaded = self._marked(key, loaded)
        return loaded.view(sensitive)

    def as_published(self, number: int) -> DataStore:
        """Version ``number``'s data with every figure and the marks it was published with (for readers
        who may see everything)."""
        return self._get(f"v{number}", lambda: self._load_version(number)).full

    def draft_store(self, draft: Draft, sensitive: bool) -> DataStore:
        """A draft's data (only analysts see drafts): everything, or (``sensitive`` False) without what
        the draft or the current version marks OFFICIAL-SENSITIVE."""
        key = f"d{draft.id}"
        return self._marked(key, self._get(key, lambda: self._load_draft(draft))).view(sensitive)

    def current_marks(self) -> frozenset[str]:
        """The datasets the current version marks OFFICIAL-SENSITIVE."""
        current = self._current
        if current is None:
            return frozenset()
        return sensitive_datasets(self._get(f"v{current}", lambda: self._load_version(current)).full)

    def _marked(self, key: str, loaded: Loaded) -> Loaded:
        """``loaded`` with the current version's marks added to its own (kept, as versions are)."""
        marks = self.current_marks()
        if not marks - sensitive_datasets(loaded.full):
            return loaded
        return self._get(f"{key}+{','.join(sorted(marks))}", lambda: Loaded.of(with_marks(loaded.full, marks)))

    def prime(self, number: int, full: DataStore) -> None:
        """Keep ``full`` (already loaded and checked) as version ``number``."""
        with self._lock:
            self._loaded[f"v{number}"] = Loaded.of(full)

    def _get(self, key: str, load: Callable[[], Loaded]) -> Loaded:
        with self._lock:
            if key in self._loaded:
                self._loaded.move_to_end(key)
                return self._loaded[key]
        loaded = load()  # outside the lock: another request may load another version meanwhile
        with self._lock:
            self._loaded[key] = loaded
            self._loaded.move_to_end(key)
            current = f"v{self._current}"
            while len(self._loaded) > self.keep:
                oldest = next(k for k in self._loaded if k != current)
                self._loaded.pop(oldest)
            return loaded

    def _load_version(self, number: int) -> Loaded:
        files = self.versions.files(number)
        if not files:
            raise NoSuchVersion(f"there is no version {number}")
        started = time.perf_counter()

        def read() -> DataStore:
            return load_source(MemoryFiles(files, label=f"version {number}"), version=number)

        full = self.snapshots.load(number, read) if self.snapshots is not None else read()
        log.info("Loaded version %d in %.2f s", number, time.perf_counter() - started)
        return Loaded.of(full)

    def _load_draft(self, draft: Draft) -> Loaded:
        files = self.versions.draft_files(draft.id)
        if not files:
            raise NoSuchVersion(f"there is no draft {draft.id}")
        full = load_source(MemoryFiles(files, label="a draft"))
        return Loaded.of(full)


@dataclass(frozen=True)
class View:
    """Which data one request shows: bound by the web layer for each request (``bind_view``)."""

    store: DataStore
    #: The current version's number.
    current: int | None
    #: The version the address names (``?version=N``), when it names one.
    pinned: int | None = None
    draft: Draft | None = None
    #: The reader may see OFFICIAL-SENSITIVE figures.
    sensitive: bool = False
    library: Library | None = None
    #: The page address the request is for, and its query string ('?strand=Pursue').
    path: str = "/"
    search: str = ""

    @property
    def version(self) -> int | None:
        """The version shown (None for a draft or a folder)."""
        return self.store.version

    def info(self) -> Version | None:
        return self.library.info(self.version) if self.library is not None and self.version is not None else None

    def compared(self, old: int, new: int) -> Comparison:
        """What changed from version ``old`` to ``new``, as this reader may see them (kept with the newer
        version's data)."""
        assert self.library is not None
        if self.sensitive:  # everything, with the marks each version had (a change of mark is a change)
            older, newer = self.library.as_published(old), self.library.as_published(new)
        else:
            older, newer = self.library.store(old, False), self.library.store(new, False)
        return newer.memo.get_or_make(("compare", old, self.sensitive), lambda: compare(older, newer))

    def shown_changes(self, changed: tuple[str, ...]) -> list[str]:
        """The files a version changed that this reader may know of (the name of a sensitive dataset is
        not shown to those who may not see it)."""
        allowed = set(self.store.catalogue) | {c.removesuffix(".csv") for c in CONTROL_FILES}
        return [c for c in changed if c in allowed]


_view: contextvars.ContextVar[View | None] = contextvars.ContextVar("spr_view", default=None)


def bind_view(view: View | None) -> contextvars.Token:
    return _view.set(view)


def unbind_view(token: contextvars.Token) -> None:
    _view.reset(token)


def current_view() -> View | None:
    """The view of the request being answered (None outside a request, e.g. while checking drawings)."""
    return _view.get()
