"""Initial schema: companies, clients, access tokens, footprints with filter keys and shares, events, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from coreduce.exchange.store.db import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("urn", sa.String(255), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "clients",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("secret_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_clients_company_id", "clients", ["company_id"])
    op.create_table(
        "access_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.client_id"), nullable=False),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_access_tokens_client_id", "access_tokens", ["client_id"])
    op.create_table(
        "footprints",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_to", UtcDateTime(), nullable=False),
        sa.Column("geography", sa.String(64), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("stored_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_footprints_owner_seq", "footprints", ["owner_id", "seq"])
    op.create_table(
        "footprint_keys",
        sa.Column("footprint_seq", sa.Integer(), sa.ForeignKey("footprints.seq", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(1), primary_key=True),
        sa.Column("value", sa.String(512), primary_key=True),
    )
    op.create_index("ix_footprint_keys_lookup", "footprint_keys", ["kind", "value", "footprint_seq"])
    op.create_table(
        "shares",
        sa.Column("footprint_seq", sa.Integer(), sa.ForeignKey("footprints.seq", ondelete="CASCADE"), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), primary_key=True),
    )
    op.create_index("ix_shares_company", "shares", ["company_id", "footprint_seq"])
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(256), nullable=False),
        sa.Column("source", sa.String(2048), nullable=False),
        sa.Column("type", sa.String(128), nullable=False),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.UniqueConstraint("company_id", "source", "event_id", name="uq_events_source_id"),
    )
    op.create_index("ix_events_company_id", "events", ["company_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=True),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    for table in ("audit_log", "events", "shares", "footprint_keys", "footprints", "access_tokens", "clients"):
        op.drop_table(table)
    op.drop_table("companies")
