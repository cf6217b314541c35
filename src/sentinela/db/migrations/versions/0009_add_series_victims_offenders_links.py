"""Add series, victims, identifications, offenders, links, case identifiers, access
requests and holder preferences and notifications (victim identification, issue 9).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("requester_unit", sa.String(length=200), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_ref", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_access_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_access_requests_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_access_requests_requester_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_requests_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_access_requests_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_access_requests_status"), ["status"], unique=False)

    op.create_table(
        "case_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_identifiers_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_case_identifiers_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_identifiers")),
        sa.UniqueConstraint(
            "case_id", "kind", "normalised", name=op.f("uq_case_identifiers_case_id")
        ),
    )
    with op.batch_alter_table("case_identifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_identifiers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_identifiers_normalised"), ["normalised"], unique=False
        )

    op.create_table(
        "holder_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("checked_by", sa.Integer(), nullable=False),
        sa.Column("checker_unit", sa.String(length=200), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_ref", sa.String(length=300), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_holder_notifications_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by"], ["users.id"], name=op.f("fk_holder_notifications_checked_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holder_notifications")),
    )
    with op.batch_alter_table("holder_notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_holder_notifications_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "holder_preferences",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("notify_on_check", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_holder_preferences_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_holder_preferences_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_holder_preferences")),
    )
    op.create_table(
        "offenders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("home_case_id", sa.Integer(), nullable=False),
        sa.Column("known_as", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_offenders_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["home_case_id"], ["cases.id"], name=op.f("fk_offenders_home_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offenders")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_offenders_pseudonym")),
    )
    with op.batch_alter_table("offenders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offenders_home_case_id"), ["home_case_id"], unique=False
        )

    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("home_case_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_series_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["home_case_id"], ["cases.id"], name=op.f("fk_series_home_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("name", name=op.f("uq_series_name")),
    )
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_series_home_case_id"), ["home_case_id"], unique=False)

    op.create_table(
        "victim_id_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_victim_id_links_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["linked_by"], ["users.id"], name=op.f("fk_victim_id_links_linked_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_id_links")),
        sa.UniqueConstraint(
            "subject_kind",
            "subject_id",
            "target_kind",
            "target_id",
            name=op.f("uq_victim_id_links_subject_kind"),
        ),
    )
    with op.batch_alter_table("victim_id_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_victim_id_links_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_victim_id_links_target", ["target_kind", "target_id"], unique=False
        )

    op.create_table(
        "victims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("home_case_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_victims_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["home_case_id"], ["cases.id"], name=op.f("fk_victims_home_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victims")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_victims_pseudonym")),
    )
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_victims_home_case_id"), ["home_case_id"], unique=False)

    op.create_table(
        "victim_identifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("lead_source", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_victim_identifications_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_victim_identifications_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_victim_identifications_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_identifications")),
        sa.UniqueConstraint("victim_id", name=op.f("uq_victim_identifications_victim_id")),
    )
    with op.batch_alter_table("victim_identifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_victim_identifications_identified_on"), ["identified_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_victim_identifications_unit"), ["unit"], unique=False)


def downgrade() -> None:
    op.drop_table("victim_identifications")
    op.drop_table("victims")
    op.drop_table("victim_id_links")
    op.drop_table("series")
    op.drop_table("offenders")
    op.drop_table("holder_preferences")
    op.drop_table("holder_notifications")
    op.drop_table("case_identifiers")
    op.drop_table("access_requests")
