"""Add the national media store: media, metadata, occurrences, entry errors, ingest jobs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:27:46.073730
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("executor", sa.String(length=32), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("files_done", sa.BigInteger(), nullable=False),
        sa.Column("files_skipped", sa.BigInteger(), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("media_new", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.BigInteger(), nullable=False),
        sa.Column("elapsed_seconds", sa.Double(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_ingest_jobs_exhibit_id_exhibits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_jobs")),
    )
    with op.batch_alter_table("ingest_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_jobs_exhibit_id"), ["exhibit_id"], unique=False)

    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sha1", sa.String(length=40), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("pdq", sa.String(length=64), nullable=True),
        sa.Column("pdq_quality", sa.Integer(), nullable=True),
        sa.Column("pdq_method", sa.String(length=32), nullable=True),
        sa.Column("vault_stored", sa.Boolean(), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_exhibit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_exhibit_id"], ["exhibits.id"], name=op.f("fk_media_first_exhibit_id_exhibits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_sha256")),
    )
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_md5"), ["md5"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_pdq"), ["pdq"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_sha1"), ["sha1"], unique=False)

    op.create_table(
        "entry_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("path_key", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_entry_errors_exhibit_id_exhibits")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["ingest_jobs.id"], name=op.f("fk_entry_errors_job_id_ingest_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_entry_errors_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_errors")),
        sa.UniqueConstraint(
            "exhibit_id", "path_key", "code", name=op.f("uq_entry_errors_exhibit_id")
        ),
    )
    with op.batch_alter_table("entry_errors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_errors_exhibit_id"), ["exhibit_id"], unique=False
        )

    op.create_table(
        "media_metadata",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("camera_make", sa.String(length=200), nullable=True),
        sa.Column("camera_model", sa.String(length=200), nullable=True),
        sa.Column("camera_serial", sa.String(length=200), nullable=True),
        sa.Column("taken_at", sa.String(length=64), nullable=True),
        sa.Column("gps_lat", sa.Float(), nullable=True),
        sa.Column("gps_lon", sa.Float(), nullable=True),
        sa.Column("gps_alt", sa.Float(), nullable=True),
        sa.Column("software", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_metadata_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", name=op.f("pk_media_metadata")),
    )
    with op.batch_alter_table("media_metadata", schema=None) as batch_op:
        batch_op.create_index(
            "ix_media_metadata_camera",
            ["camera_make", "camera_model", "camera_serial"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_media_metadata_camera_serial"), ["camera_serial"], unique=False
        )

    op.create_table(
        "occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("path_key", sa.String(length=64), nullable=False),
        sa.Column("parent_container", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("extension_mismatch", sa.Boolean(), nullable=False),
        sa.Column("mtime", sa.DateTime(timezone=True), nullable=True),
        sa.Column("atime", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ctime", sa.DateTime(timezone=True), nullable=True),
        sa.Column("crtime", sa.DateTime(timezone=True), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_occurrences_exhibit_id_exhibits")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["ingest_jobs.id"], name=op.f("fk_occurrences_job_id_ingest_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_occurrences_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrences")),
        sa.UniqueConstraint("exhibit_id", "path_key", name=op.f("uq_occurrences_exhibit_id")),
    )
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occurrences_exhibit_id"), ["exhibit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_occurrences_media_id"), ["media_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occurrences_media_id"))
        batch_op.drop_index(batch_op.f("ix_occurrences_exhibit_id"))

    op.drop_table("occurrences")
    with op.batch_alter_table("media_metadata", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_metadata_camera_serial"))
        batch_op.drop_index("ix_media_metadata_camera")

    op.drop_table("media_metadata")
    with op.batch_alter_table("entry_errors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_errors_exhibit_id"))

    op.drop_table("entry_errors")
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_sha1"))
        batch_op.drop_index(batch_op.f("ix_media_pdq"))
        batch_op.drop_index(batch_op.f("ix_media_md5"))

    op.drop_table("media")
    with op.batch_alter_table("ingest_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_jobs_exhibit_id"))

    op.drop_table("ingest_jobs")
