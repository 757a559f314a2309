"""The database: its tables (one SQLAlchemy ``MetaData``), the engine, and its migrations (Alembic).

SQLite is the default: one file in the state folder, no server to install. PostgreSQL is used when
``SPR_DATABASE_URL`` names one (``postgresql+psycopg://user:password@host:port/db``). Every server and
worker sharing one database answers alike: nothing here is kept per process but the connection pool.

Tables:
- ``blobs``: file contents by their SHA-256, so a file unchanged between versions is stored once;
- ``versions`` and ``version_files``: every published version (immutable) and the files it is made of;
- ``drafts`` and ``draft_files``: valid uploads not yet published;
- ``presentations``: which version was presented to the board, and when;
- ``users``, ``audit`` and ``secrets``: accounts, the audit log, and the key that signs sessions.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
    }
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

versions = Table(
    "versions",
    metadata,
    # Numbers are given, not generated: a publish claims base + 1, so of two at once only one can win.
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("published_at", DateTime, nullable=False),  # UTC
    Column("published_by", String(200), nullable=False),
    Column("note", Text, nullable=False),
    # The datasets (file names without .csv) that differ from the version before, comma separated.
    Column("changed", Text, nullable=False),
    # For a rollback: the version whose files this one publishes again.
    Column("republished_from", Integer, nullable=True),
)

version_files = Table(
    "version_files",
    metadata,
    Column("version", Integer, ForeignKey("versions.number"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(32), primary_key=True),
    # The version the upload was laid over (None when nothing was published yet).
    Column("base_version", Integer, nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # What was uploaded, in words ("rocu_outcomes.csv, publications.csv").
    Column("uploaded", Text, nullable=False),
    # Set when it is published (the version it became), so it cannot be published twice.
    Column("published_as", Integer, nullable=True),
)

draft_files = Table(
    "draft_files",
    metadata,
    Column("draft", String(32), ForeignKey("drafts.id"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
)

presentations = Table(
    "presentations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", Integer, ForeignKey("versions.number"), nullable=False, index=True),
    Column("presented_on", Date, nullable=False),
    Column("meeting", String(300), nullable=False),
    Column("marked_by", String(200), nullable=False),
    Column("marked_at", DateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(100), primary_key=True),
    # None for a user known only through the identity provider's proxy (no password here).
    Column("password_hash", String(200), nullable=True),
    Column("role", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    # Failed sign-ins in a row, and until when the account is locked after too many.
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    # Raised when the role or password changes or the account is disabled: older sessions end.
    Column("epoch", Integer, nullable=False, default=0),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Column("address", String(100), nullable=False),
)

secrets = Table(
    "secrets",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", String(200), nullable=False),
)


def sqlite_url(folder: Path) -> str:
    """The default database: ``spr.sqlite3`` in ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'spr.sqlite3'}"


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per database address per process (its pool is not shared with forked workers)."""
    with _engines_lock:
        if url not in _engines:
            _engines[url] = _make_engine(url)
        return _engines[url]


def forget_engines() -> None:
    """Close every engine (for tests that remove their database)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # Readers and one writer at once (every worker reads while one publishes); keys enforced.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
    # A worker forked from the master must not use the master's connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (Alembic ``upgrade head``). Safe when several servers start at once:
    on PostgreSQL they take turns under an advisory lock; SQLite serialises writers itself."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if not is_sqlite(engine):
            connection.execute(text("SELECT pg_advisory_xact_lock(7353201)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
