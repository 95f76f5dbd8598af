"""Database plumbing shared by every area: UTC timestamps, SQLite pragmas, health check."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from shopfloor.extensions import db

# SQLite stores Numeric as a float; at our scale (3 decimals, < 10^11) that is exact enough.
warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def configure_sqlite(engine: Engine) -> None:
    """Turn on foreign keys, WAL and a busy timeout for every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def check_database() -> str | None:
    """None when the database answers a trivial query, else a short reason for the health page."""
    try:
        db.session.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"{type(exc).__name__}: {first_line}"[:200]


def migrate_to_head() -> None:
    """Create the schema or upgrade it to the newest migration (needs an app context)."""
    from flask_migrate import upgrade

    upgrade()


def schema_problem() -> str | None:
    """None when the database is reachable and fully migrated, else what to do about it."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app

    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - reported to the operator
        return f"Cannot reach the database: {type(exc).__name__}: {exc}".splitlines()[0]
    migrate_config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(migrate_config).get_heads())
    if current != heads:
        return "The database schema is not up to date; run `shopfloor init` first."
    return None


def new_unique_code(model, kind: str) -> str:
    """A fresh code (see shopfloor.codes) not yet used by ``model``."""
    from sqlalchemy import select

    from shopfloor.codes import new_code

    while True:
        code = new_code(kind)
        if db.session.scalar(select(model.id).where(model.code == code)) is None:
            return code


def empty_postgres_database(url: str) -> str:
    """Create the named PostgreSQL database if missing and empty its public schema.

    For test runs and benchmarks only: everything in the database is dropped. Returns the
    URL with the psycopg driver spelled out.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": parsed.database})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return parsed.render_as_string(hide_password=False)


def one_of(column: str, values, name: str | None = None):
    """A CHECK constraint keeping ``column`` to ``values`` (strings or StrEnum members)."""
    from sqlalchemy import CheckConstraint

    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or column)
