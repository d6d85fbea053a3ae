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
    assert version == "0006"
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


def test_per_owner_ids_keep_every_stored_key_and_share_on_sqlite(tmp_path):
    """The migration to per-owner ids rebuilds the SQLite table by a copy: no search key or share may be lost."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate(engine, "0003")
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO companies (id, name, urn, created_at) VALUES (1, 'A', 'urn:a', '2026-01-01'),"
            " (2, 'B', 'urn:b', '2026-01-01')"
        )
        c.exec_driver_sql(
            "INSERT INTO footprints (seq, id, owner_id, status, valid_from, valid_to, document, stored_at)"
            " VALUES (1, 'f-1', 1, 'Active', '2025-01-01', '2026-01-01', '{}', '2026-01-01')"
        )
        c.exec_driver_sql("INSERT INTO footprint_keys VALUES (1, 'p', 'urn:gtin:1')")
        c.exec_driver_sql("INSERT INTO shares VALUES (1, 2)")
    migrate(engine)
    with engine.begin() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM footprint_keys").scalar() == 1
        assert c.exec_driver_sql("SELECT count(*) FROM shares").scalar() == 1
        c.exec_driver_sql(
            "INSERT INTO footprints (seq, id, owner_id, status, valid_from, valid_to, document, stored_at)"
            " VALUES (2, 'f-1', 2, 'Active', '2025-01-01', '2026-01-01', '{}', '2026-01-01')"
        )
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
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
