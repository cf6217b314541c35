"""Add hash sets with versions, known hashes, media matches and the media triage class.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:31:45.906454
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hash_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("trust", sa.String(length=32), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("pdq_threshold", sa.Integer(), nullable=False),
        sa.Column("pdq_min_quality", sa.Integer(), nullable=False),
        sa.Column("entries", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_sets")),
        sa.UniqueConstraint("name", name=op.f("uq_hash_sets_name")),
    )
    op.create_table(
        "hash_set_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_set_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("added", sa.BigInteger(), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["hash_set_id"],
            ["hash_sets.id"],
            name=op.f("fk_hash_set_versions_hash_set_id_hash_sets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hash_set_versions")),
    )
    with op.batch_alter_table("hash_set_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hash_set_versions_hash_set_id"), ["hash_set_id"], unique=False
        )

    op.create_table(
        "known_hashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_set_id", sa.Integer(), nullable=False),
        sa.Column("hash_type", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("category_scheme", sa.String(length=64), nullable=True),
        sa.Column("category_code", sa.String(length=32), nullable=True),
        sa.Column("series", sa.String(length=200), nullable=True),
        sa.Column("victim_identified", sa.Boolean(), nullable=True),
        sa.Column("offender_identified", sa.Boolean(), nullable=True),
        sa.Column("baseline", sa.Boolean(), nullable=True),
        sa.Column("distributed", sa.Boolean(), nullable=True),
        sa.Column("source_record", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hash_set_id"], ["hash_sets.id"], name=op.f("fk_known_hashes_hash_set_id_hash_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_hashes")),
        sa.UniqueConstraint(
            "hash_set_id", "hash_type", "digest", name=op.f("uq_known_hashes_hash_set_id")
        ),
    )
    with op.batch_alter_table("known_hashes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_known_hashes_hash_set_id"), ["hash_set_id"], unique=False
        )
        batch_op.create_index("ix_known_hashes_lookup", ["hash_type", "digest"], unique=False)

    op.create_table(
        "media_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("known_hash_id", sa.Integer(), nullable=False),
        sa.Column("hash_type", sa.String(length=16), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["known_hash_id"],
            ["known_hashes.id"],
            name=op.f("fk_media_matches_known_hash_id_known_hashes"),
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_media_matches_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_matches")),
        sa.UniqueConstraint("media_id", "known_hash_id", name=op.f("uq_media_matches_media_id")),
    )
    with op.batch_alter_table("media_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_matches_known_hash_id"), ["known_hash_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_media_matches_media_id"), ["media_id"], unique=False)

    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("triage_class", sa.String(length=24), nullable=False, server_default="new")
        )
        batch_op.add_column(sa.Column("pdq_full", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("triage_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_media_triage_class"), ["triage_class"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_triage_class"))
        batch_op.drop_column("triage_at")
        batch_op.drop_column("triage_class")
        batch_op.drop_column("pdq_full")

    with op.batch_alter_table("media_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_matches_media_id"))
        batch_op.drop_index(batch_op.f("ix_media_matches_known_hash_id"))

    op.drop_table("media_matches")
    with op.batch_alter_table("known_hashes", schema=None) as batch_op:
        batch_op.drop_index("ix_known_hashes_lookup")
        batch_op.drop_index(batch_op.f("ix_known_hashes_hash_set_id"))

    op.drop_table("known_hashes")
    with op.batch_alter_table("hash_set_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hash_set_versions_hash_set_id"))

    op.drop_table("hash_set_versions")
    op.drop_table("hash_sets")
