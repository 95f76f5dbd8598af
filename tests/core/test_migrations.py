"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from shopfloor import create_app
from shopfloor.extensions import db
from tests.conftest import app_config


def schema_differences(engine) -> list:
    from shopfloor.migrations.env_support import include_object

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        return compare_metadata(context, db.metadata)


def test_migrated_database_matches_the_models_exactly(app):
    # The session's database was built by the migrations (see the app fixture).
    assert schema_differences(db.engine) == []


@pytest.fixture
def scratch_database_url(database_url, is_postgres, tmp_path):
    """An empty database beside the run's own one."""
    if not is_postgres:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    url = make_url(database_url)
    scratch = url.set(database=f"{url.database}_scratch")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_downgrade_upgrade_round_trip(scratch_database_url):
    from flask_migrate import downgrade, upgrade

    scratch_app = create_app(app_config(scratch_database_url))
    with scratch_app.app_context():
        upgrade()
        assert schema_differences(db.engine) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "user_account" in inspect(db.engine).get_table_names()
        assert schema_differences(db.engine) == []
        db.engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app, is_postgres):
    if is_postgres:
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
