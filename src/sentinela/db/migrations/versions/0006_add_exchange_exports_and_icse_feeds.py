"""Add exchange: export records, feed destinations, feeds with their items, case imports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "exchange_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("target_dir", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("content_files", sa.Integer(), nullable=False),
        sa.Column("authorisation", sa.Text(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_exchange_exports_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_exports")),
    )
    with op.batch_alter_table("exchange_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_exports_case_id"), ["case_id"], unique=False)

    op.create_table(
        "feed_destinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        _when("reviewed_at"),
        sa.Column("packages_dir", sa.Text(), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_destinations")),
        sa.UniqueConstraint("name", name=op.f("uq_feed_destinations_name")),
    )

    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("previous_manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("package_dir", sa.Text(), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("state_digest", sa.String(length=64), nullable=False),
        sa.Column("state_count", sa.BigInteger(), nullable=False),
        sa.Column("new_count", sa.BigInteger(), nullable=False),
        sa.Column("updated_count", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn_count", sa.BigInteger(), nullable=False),
        _when("resolved_at", nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["feed_destinations.id"],
            name=op.f("fk_feeds_destination_id_feed_destinations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("destination_id", "sequence", name=op.f("uq_feeds_destination_id")),
    )
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feeds_destination_id"), ["destination_id"], unique=False
        )

    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_feed_items_feed_id_feeds")
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_feed_items_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_items")),
        sa.UniqueConstraint("feed_id", "item_key", name=op.f("uq_feed_items_feed_id")),
    )
    with op.batch_alter_table("feed_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_items_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index("ix_feed_items_item_key", ["item_key"], unique=False)

    op.create_table(
        "case_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash_set_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.Column("foreign_case_id", sa.String(length=200), nullable=True),
        sa.Column("foreign_case_number", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("source_application", sa.String(length=200), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("occurrences", sa.BigInteger(), nullable=False),
        sa.Column("mapped", sa.BigInteger(), nullable=False),
        sa.Column("unmapped", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        _when("imported_at"),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["hash_set_id"], ["hash_sets.id"], name=op.f("fk_case_imports_hash_set_id_hash_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_imports")),
    )
    with op.batch_alter_table("case_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_imports_hash_set_id"), ["hash_set_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_imports_hash_set_id"))
    op.drop_table("case_imports")
    with op.batch_alter_table("feed_items", schema=None) as batch_op:
        batch_op.drop_index("ix_feed_items_item_key")
        batch_op.drop_index(batch_op.f("ix_feed_items_feed_id"))
    op.drop_table("feed_items")
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feeds_destination_id"))
    op.drop_table("feeds")
    op.drop_table("feed_destinations")
    with op.batch_alter_table("exchange_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_exports_case_id"))
    op.drop_table("exchange_exports")
