"""The shipped Alembic migrations build exactly the schema the SQLAlchemy models declare, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from coreduce.exchange.store.db import MIGRATIONS_DIR, Base, make_engine, migrate


def test_migrations_match_the_models_and_are_idempotent(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # a second start-up upgrades nothing
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert diff == []
    assert version == "0004"
    assert set(inspect(engine).get_table_names()) >= {
        "companies",
        "clients",
        "access_tokens",
        "footprints",
        "footprint_keys",
        "shares",
        "events",
        "audit_log",
        "outbox",
        "users",
        "web_sessions",
    }
    engine.dispose()


def test_downgrade_removes_every_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    migrate(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
