"""Add industry sharing: provider tiers, providers, API keys, signed hash-list releases and
their entries, hash revocations, provider feedback and daily usage counters (issue 7).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every table this revision creates, in creation order (dropped in reverse).
TABLES = (
    "provider_tiers",
    "hash_list_entries",
    "hash_list_releases",
    "providers",
    "provider_api_keys",
    "provider_feedback",
    "provider_usage",
    "hash_revocations",
)


def upgrade() -> None:
    op.create_table(
        "provider_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hash_sets", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("hash_types", sa.Text(), nullable=False),
        sa.Column("baseline_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_tiers")),
        sa.UniqueConstraint("name", name=op.f("uq_provider_tiers_name")),
    )
    op.create_table(
        "hash_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tier_id", sa.Integer(), nullable=False),
        sa.Column("hash_type", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("category_scheme", sa.String(length=64), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        sa.Column("added_version", sa.Integer(), nullable=False),
        sa.Column("removed_version", sa.Integer(), nullable=True),
        sa.Column("removed_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["tier_id"],
            ["provider_tiers.id"],
            name=op.f("fk_hash_list_entries_tier_id_provider_tiers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_list_entries")),
    )
    with op.batch_alter_table("hash_list_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hash_list_entries_added", ["tier_id", "added_version"], unique=False
        )
        batch_op.create_index(
            "ix_hash_list_entries_digest", ["tier_id", "hash_type", "digest"], unique=False
        )
        batch_op.create_index(
            "ix_hash_list_entries_live", ["tier_id", "removed_version"], unique=False
        )

    op.create_table(
        "hash_list_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tier_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("entry_count", sa.BigInteger(), nullable=False),
        sa.Column("added", sa.BigInteger(), nullable=False),
        sa.Column("removed", sa.BigInteger(), nullable=False),
        sa.Column("state_digest", sa.String(length=64), nullable=False),
        sa.Column("signing_key_id", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["tier_id"],
            ["provider_tiers.id"],
            name=op.f("fk_hash_list_releases_tier_id_provider_tiers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_list_releases")),
        sa.UniqueConstraint("tier_id", "version", name=op.f("uq_hash_list_releases_tier_id")),
    )
    with op.batch_alter_table("hash_list_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hash_list_releases_tier_id"), ["tier_id"], unique=False
        )

    op.create_table(
        "providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("tier_id", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tier_id"], ["provider_tiers.id"], name=op.f("fk_providers_tier_id_provider_tiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("name", name=op.f("uq_providers_name")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_providers_tier_id"), ["tier_id"], unique=False)

    op.create_table(
        "provider_api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("replaced_by", sa.String(length=16), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_provider_api_keys_provider_id_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_api_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_provider_api_keys_key_id")),
    )
    with op.batch_alter_table("provider_api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_api_keys_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "provider_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("hash_type", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("opinion", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_provider_feedback_provider_id_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_feedback")),
    )
    with op.batch_alter_table("provider_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_feedback_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_provider_feedback_status"), ["status"], unique=False)

    op.create_table(
        "provider_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("match_requests", sa.BigInteger(), nullable=False),
        sa.Column("hashes_examined", sa.BigInteger(), nullable=False),
        sa.Column("hashes_matched", sa.BigInteger(), nullable=False),
        sa.Column("local_examined", sa.BigInteger(), nullable=False),
        sa.Column("local_matched", sa.BigInteger(), nullable=False),
        sa.Column("downloads", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_provider_usage_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_usage")),
        sa.UniqueConstraint("provider_id", "day", name=op.f("uq_provider_usage_provider_id")),
    )
    with op.batch_alter_table("provider_usage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_usage_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "hash_revocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_type", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=64), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["provider_feedback.id"],
            name=op.f("fk_hash_revocations_feedback_id_provider_feedback"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_revocations")),
        sa.UniqueConstraint("hash_type", "digest", name=op.f("uq_hash_revocations_hash_type")),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
