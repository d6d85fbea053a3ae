"""Footprint ids unique per owner: publishing an id another company stored answers as for a new id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# SQLite names no constraint: the batch copy names the reflected ones by this convention so that one can be dropped
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique(old: str, new: str, new_columns: list[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":  # rebuilt by a copy (run with foreign keys off: see store.db.migrate)
        with op.batch_alter_table("footprints", recreate="always", naming_convention=SQLITE_NAMES) as batch:
            batch.drop_constraint(old, type_="unique")
            batch.create_unique_constraint(new, new_columns)
    else:
        op.drop_constraint(old, "footprints", type_="unique")
        op.create_unique_constraint(new, "footprints", new_columns)


def upgrade() -> None:
    old = "uq_footprints_id" if op.get_bind().dialect.name == "sqlite" else "footprints_id_key"
    _unique(old, "uq_footprints_owner_id", ["owner_id", "id"])
    op.create_index("ix_footprints_id", "footprints", ["id"])


def downgrade() -> None:
    op.drop_index("ix_footprints_id", "footprints")
    new = "uq_footprints_id" if op.get_bind().dialect.name == "sqlite" else "footprints_id_key"
    _unique("uq_footprints_owner_id", new, ["id"])
