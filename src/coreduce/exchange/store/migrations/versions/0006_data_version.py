"""A change counter of the footprint tables (``data_version``), kept by triggers, for caches of read answers.

Every insert, update or delete of ``footprints``, ``footprint_keys`` or ``shares`` adds one to the single row of
``data_version`` inside the writing transaction (SQLite: a row trigger per table and operation; PostgreSQL: a
statement trigger per table calling ``coreduce_bump_data_version()``), whichever code path or process writes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("footprints", "footprint_keys", "shares")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE data_version SET n = n + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO data_version (id, n) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION coreduce_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION coreduce_bump_data_version()"
            )
        return
    for table in TABLES:
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER {table}_data_version_{operation.lower()} AFTER {operation} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
        op.execute("DROP FUNCTION coreduce_bump_data_version()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_data_version_{operation.lower()}")
    op.drop_table("data_version")
