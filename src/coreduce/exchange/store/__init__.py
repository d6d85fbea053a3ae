"""The exchange database: tables, engine, Alembic migrations and the repositories that read and write them."""
