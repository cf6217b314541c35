"""Add known video fingerprints and vPDQ match shares (video triage, issue 11).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 06:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_videos",
        sa.Column("known_hash_id", sa.Integer(), nullable=False),
        sa.Column("vpdq", sa.Text(), nullable=False),
        sa.Column("frame_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["known_hash_id"],
            ["known_hashes.id"],
            name=op.f("fk_known_videos_known_hash_id_known_hashes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("known_hash_id", name=op.f("pk_known_videos")),
    )
    with op.batch_alter_table("media_matches") as batch:
        batch.add_column(sa.Column("query_percent", sa.Float(), nullable=True))
        batch.add_column(sa.Column("index_percent", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("media_matches") as batch:
        batch.drop_column("index_percent")
        batch.drop_column("query_percent")
    op.drop_table("known_videos")
