"""Add public reports, submissions, partner hotlines, decisions, evidence captures, notices,
rechecks and ISP preservation requests (notice-and-takedown, issue 8).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hotline_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_partners")),
        sa.UniqueConstraint("key_prefix", name=op.f("uq_hotline_partners_key_prefix")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_hotline_partners_key_sha256")),
        sa.UniqueConstraint("name", name=op.f("uq_hotline_partners_name")),
    )
    op.create_table(
        "takedown_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("abuse_contact", sa.String(length=200), nullable=False),
        sa.Column("hosting_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("transport", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("delivery_ref", sa.String(length=300), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_notices")),
    )
    with op.batch_alter_table("takedown_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_notices_abuse_contact"), ["abuse_contact"], unique=False
        )

    op.create_table(
        "takedown_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("first_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("preserved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("capture_attempts", sa.Integer(), nullable=False),
        sa.Column("next_capture_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notices_sent", sa.Integer(), nullable=False),
        sa.Column("last_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_recheck_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ips", sa.Text(), nullable=False),
        sa.Column("hosting_name", sa.String(length=200), nullable=False),
        sa.Column("abuse_contact", sa.String(length=200), nullable=True),
        sa.Column("escalation_contact", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("content_pdq", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_reports")),
        sa.UniqueConstraint("url_sha256", name=op.f("uq_takedown_reports_url_sha256")),
    )
    with op.batch_alter_table("takedown_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_reports_content_sha256"), ["content_sha256"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takedown_reports_deadline_at"), ["deadline_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_takedown_reports_host"), ["host"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_takedown_reports_next_capture_at"), ["next_capture_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takedown_reports_next_notice_at"), ["next_notice_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takedown_reports_next_recheck_at"), ["next_recheck_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_takedown_reports_status"), ["status"], unique=False)

    op.create_table(
        "isp_preservation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("isp", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("legal_deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_isp_preservation_requests_report_id_takedown_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_isp_preservation_requests")),
    )
    with op.batch_alter_table("isp_preservation_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_isp_preservation_requests_data_expires_at"),
            ["data_expires_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_isp_preservation_requests_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "report_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("partner_reference", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["hotline_partners.id"],
            name=op.f("fk_report_submissions_partner_id_hotline_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submissions")),
        sa.UniqueConstraint("receipt_sha256", name=op.f("uq_report_submissions_receipt_sha256")),
    )
    with op.batch_alter_table("report_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_submissions_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "takedown_captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("requested_url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("objects", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("captured_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_takedown_captures_report_id_takedown_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_captures")),
    )
    with op.batch_alter_table("takedown_captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_captures_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "takedown_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("investigation_ref", sa.String(length=100), nullable=False),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refer_to", sa.String(length=200), nullable=False),
        sa.Column("by_default", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_takedown_decisions_report_id_takedown_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_decisions")),
    )
    with op.batch_alter_table("takedown_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_decisions_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "takedown_notice_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["takedown_notices.id"],
            name=op.f("fk_takedown_notice_reports_notice_id_takedown_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_takedown_notice_reports_report_id_takedown_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_notice_reports")),
        sa.UniqueConstraint(
            "notice_id", "report_id", name=op.f("uq_takedown_notice_reports_notice_id")
        ),
    )
    with op.batch_alter_table("takedown_notice_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_notice_reports_notice_id"), ["notice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takedown_notice_reports_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "takedown_rechecks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_takedown_rechecks_report_id_takedown_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_rechecks")),
    )
    with op.batch_alter_table("takedown_rechecks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_rechecks_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "report_submission_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("url_given", sa.Text(), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["takedown_reports.id"],
            name=op.f("fk_report_submission_urls_report_id_takedown_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["report_submissions.id"],
            name=op.f("fk_report_submission_urls_submission_id_report_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submission_urls")),
        sa.UniqueConstraint(
            "submission_id", "report_id", name=op.f("uq_report_submission_urls_submission_id")
        ),
    )
    with op.batch_alter_table("report_submission_urls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_submission_urls_report_id"), ["report_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_submission_urls_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "takedown_capture_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("sha1", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdq", sa.String(length=64), nullable=True),
        sa.Column("pdq_quality", sa.Integer(), nullable=True),
        sa.Column("vault_relpath", sa.Text(), nullable=False),
        sa.Column("matches", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["takedown_captures.id"],
            name=op.f("fk_takedown_capture_objects_capture_id_takedown_captures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takedown_capture_objects")),
    )
    with op.batch_alter_table("takedown_capture_objects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_takedown_capture_objects_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_takedown_capture_objects_sha256"), ["sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("takedown_capture_objects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_capture_objects_sha256"))
        batch_op.drop_index(batch_op.f("ix_takedown_capture_objects_capture_id"))

    op.drop_table("takedown_capture_objects")
    with op.batch_alter_table("report_submission_urls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_submission_urls_submission_id"))
        batch_op.drop_index(batch_op.f("ix_report_submission_urls_report_id"))

    op.drop_table("report_submission_urls")
    with op.batch_alter_table("takedown_rechecks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_rechecks_report_id"))

    op.drop_table("takedown_rechecks")
    with op.batch_alter_table("takedown_notice_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_notice_reports_report_id"))
        batch_op.drop_index(batch_op.f("ix_takedown_notice_reports_notice_id"))

    op.drop_table("takedown_notice_reports")
    with op.batch_alter_table("takedown_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_decisions_report_id"))

    op.drop_table("takedown_decisions")
    with op.batch_alter_table("takedown_captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_captures_report_id"))

    op.drop_table("takedown_captures")
    with op.batch_alter_table("report_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_submissions_partner_id"))

    op.drop_table("report_submissions")
    with op.batch_alter_table("isp_preservation_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_isp_preservation_requests_report_id"))
        batch_op.drop_index(batch_op.f("ix_isp_preservation_requests_data_expires_at"))

    op.drop_table("isp_preservation_requests")
    with op.batch_alter_table("takedown_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_reports_status"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_next_recheck_at"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_next_notice_at"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_next_capture_at"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_host"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_deadline_at"))
        batch_op.drop_index(batch_op.f("ix_takedown_reports_content_sha256"))

    op.drop_table("takedown_reports")
    with op.batch_alter_table("takedown_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_takedown_notices_abuse_contact"))

    op.drop_table("takedown_notices")
    op.drop_table("hotline_partners")
