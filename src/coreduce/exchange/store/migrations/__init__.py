"""Alembic migrations of the exchange database (run by ``coreduce.exchange.store.db.migrate``)."""
