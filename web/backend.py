"""What every request needs besides the page code: the settings, the database, the published versions
and the accounts. Made once per process by the app factory and kept on the Flask app
(``app.extensions["spr"]``); ``backend()`` finds it for the request being answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from data.database import engine_for, migrate, secrets
from data.published import Library
from data.snapshots import Snapshots
from data.versions import Versions
from settings import Settings
from web.accounts import Accounts

EXTENSION = "spr"
#: The folder in SPR_STATE_DIR where loaded versions are kept for the other workers (``data.snapshots``).
SNAPSHOTS = "loaded-versions"


@dataclass
class Backend:
    settings: Settings
    engine: Engine
    versions: Versions
    library: Library
    accounts: Accounts

    @classmethod
    def open(cls, settings: Settings, migrate_first: bool = True) -> Backend:
        """Connect to the configured database (made, and migrated, if need be)."""
        if not settings.database_url:
            settings.state_dir.mkdir(parents=True, exist_ok=True)
        engine = engine_for(settings.database)
        if migrate_first:
            migrate(engine)
        versions = Versions(engine)
        library = Library(versions, snapshots=Snapshots(settings.state_dir / SNAPSHOTS))
        return cls(settings, engine, versions, library, Accounts(engine))

    def secret(self, name: str, make) -> str:
        """A secret kept in the database (the same for every server), made by ``make()`` the first time."""
        with self.engine.connect() as c:
            value = c.execute(select(secrets.c.value).where(secrets.c.name == name)).scalar()
        if value is not None:
            return value
        try:
            with self.engine.begin() as c:
                c.execute(insert(secrets).values(name=name, value=make()))
        except IntegrityError:
            pass  # another server made it first; use theirs
        with self.engine.connect() as c:
            return c.execute(select(secrets.c.value).where(secrets.c.name == name)).scalar_one()

    def install(self, server: Flask) -> None:
        server.extensions[EXTENSION] = self


def backend() -> Backend:
    """The backend of the app answering the current request."""
    return current_app.extensions[EXTENSION]
