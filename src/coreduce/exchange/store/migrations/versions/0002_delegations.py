"""Delegations: a company lets another company's clients publish footprints in its name.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from coreduce.exchange.store.db import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("delegator_id", sa.Integer(), sa.ForeignKey("companies.id"), primary_key=True),
        sa.Column("delegate_id", sa.Integer(), sa.ForeignKey("companies.id"), primary_key=True),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_delegations_delegate", "delegations", ["delegate_id", "delegator_id"])


def downgrade() -> None:
    op.drop_table("delegations")
