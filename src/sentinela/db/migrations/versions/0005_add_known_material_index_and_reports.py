"""Add known-material triage state and change log, entry provenance by version, and the
columns the PDQ index catches up by (issue 4).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PDQ_ONLY: dict[str, Any] = {
    "sqlite_where": sa.text("hash_type = 'pdq'"),
    "postgresql_where": sa.text("hash_type = 'pdq'"),
}


def upgrade() -> None:
    with op.batch_alter_table("hash_set_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sa.String(length=16), nullable=False, server_default="snapshot")
        )
        batch_op.add_column(
            sa.Column("records", sa.BigInteger(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("known_hashes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdq_quality", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("changed_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_known_hashes_version_id_hash_set_versions"),
            "hash_set_versions",
            ["version_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_known_hashes_changed_version_id_hash_set_versions"),
            "hash_set_versions",
            ["changed_version_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_known_hashes_changed_version_id"), ["changed_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_known_hashes_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            "ix_known_hashes_source_record", ["hash_set_id", "source_record"], unique=False
        )
    # Partial indexes, created outside the batch (SQLite batch mode does not carry them).
    op.create_index(
        "ix_known_hashes_pdq_id", "known_hashes", ["hash_type", "id"], unique=False, **_PDQ_ONLY
    )
    op.create_index(
        "ix_known_hashes_pdq_updated_at",
        "known_hashes",
        ["hash_type", "updated_at"],
        unique=False,
        **_PDQ_ONLY,
    )

    op.create_table(
        "triage_states",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_triage_states_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", name=op.f("pk_triage_states")),
    )
    op.create_table(
        "triage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("old_class", sa.String(length=24), nullable=False),
        sa.Column("new_class", sa.String(length=24), nullable=False),
        sa.Column("old_status", sa.Text(), nullable=False),
        sa.Column("new_status", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_triage_changes_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_changes")),
    )
    with op.batch_alter_table("triage_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_triage_changes_changed_at"), ["changed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_triage_changes_media_id"), ["media_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triage_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triage_changes_media_id"))
        batch_op.drop_index(batch_op.f("ix_triage_changes_changed_at"))
    op.drop_table("triage_changes")
    op.drop_table("triage_states")

    op.drop_index("ix_known_hashes_pdq_updated_at", table_name="known_hashes")
    op.drop_index("ix_known_hashes_pdq_id", table_name="known_hashes")
    with op.batch_alter_table("known_hashes", schema=None) as batch_op:
        batch_op.drop_index("ix_known_hashes_source_record")
        batch_op.drop_index(batch_op.f("ix_known_hashes_changed_version_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_known_hashes_changed_version_id_hash_set_versions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_known_hashes_version_id_hash_set_versions"), type_="foreignkey"
        )
        batch_op.drop_column("changed_version_id")
        batch_op.drop_column("version_id")
        batch_op.drop_column("pdq_quality")

    with op.batch_alter_table("hash_set_versions", schema=None) as batch_op:
        batch_op.drop_column("records")
        batch_op.drop_column("mode")
