"""Add video fingerprints (vPDQ) and keyframe strips (video ingest, issue 11).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 06:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "video_fingerprints",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("vpdq", sa.Text(), nullable=False),
        sa.Column("frame_count", sa.Integer(), nullable=False),
        sa.Column("keyframe_count", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("declared_duration_s", sa.Float(), nullable=True),
        sa.Column("frame_rate", sa.Float(), nullable=True),
        sa.Column("container", sa.String(length=100), nullable=True),
        sa.Column("codec", sa.String(length=64), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=64), nullable=True),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_video_fingerprints_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", name=op.f("pk_video_fingerprints")),
    )
    op.create_table(
        "video_keyframes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("frame_number", sa.Integer(), nullable=False),
        sa.Column("timestamp", sa.Float(), nullable=False),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("jpeg_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_video_keyframes_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_keyframes")),
        sa.UniqueConstraint(
            "media_id", "position", name=op.f("uq_video_keyframes_media_id_position")
        ),
    )


def downgrade() -> None:
    op.drop_table("video_keyframes")
    op.drop_table("video_fingerprints")
