"""Alembic's environment: migrations run on the connection ``data.database.migrate`` passes in."""

from alembic import context

from data.database import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes its connection
    raise RuntimeError("Run migrations through data.database.migrate (python -m data migrate)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
