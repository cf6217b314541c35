"""Receiving reports: validation, deduplication by URL, receipts, partner keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.reporting import Report, Submission
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.reporting.config import TakedownConfig
from sentinela.reporting.errors import PartnerKeyRejected
from sentinela.services import reporting_partners as partners
from sentinela.services.context import ServiceContext
from sentinela.services.reporting_intake import (
    ReportForm,
    public_status,
    receipt_status,
    submit_partner_report,
    submit_public_report,
)
from sentinela.services.takedown_decisions import DecisionInput, decide
from tests.services.reporting_helpers import INVESTIGATOR, add_takedown_users, events

CONFIG = TakedownConfig()


def test_a_public_report_opens_one_report_per_distinct_url(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    receipt = submit_public_report(
        ctx.with_actor(None),
        ReportForm(
            urls=["http://Example.test/a#x", "", "http://example.test/a", "https://other.test/b"],
            description="seen on a forum",
        ),
        CONFIG,
    )
    assert [(u.url, u.duplicate) for u in receipt.urls] == [
        ("http://example.test/a", False),
        ("https://other.test/b", False),
    ]
    with ctx.transaction() as session:
        reports = session.execute(select(Report).order_by(Report.id)).scalars().all()
        assert [r.host for r in reports] == ["example.test", "other.test"]
        assert all(r.deadline_at == r.first_reported_at + timedelta(hours=72) for r in reports)
        assert all(r.next_capture_at == r.first_reported_at for r in reports)
        submission = session.execute(select(Submission)).scalar_one()
        assert receipt.code not in submission.receipt_sha256  # only the hash is kept
    [(actor, action, details)] = events(ctx, "report.")
    assert (actor, action, details["anonymous"]) == ("public", "report.submit", True)


def test_a_url_reported_again_is_deduplicated(ctx: ServiceContext) -> None:
    first = submit_public_report(ctx, ReportForm(urls=["http://dup.test/x"]), CONFIG)
    again = submit_public_report(ctx, ReportForm(urls=["HTTP://DUP.test/x"]), CONFIG)
    assert again.urls[0].duplicate and again.urls[0].report_id == first.urls[0].report_id
    with ctx.transaction() as session:
        assert session.execute(select(Report.submissions)).scalar_one() == 2


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (ReportForm(urls=[]), "at least one URL"),
        (ReportForm(urls=["   "]), "at least one URL"),
        (ReportForm(urls=["javascript:alert(1)"]), "URL 1"),
        (ReportForm(urls=["http://a.test/", "ftp://b.test/"]), "URL 2"),
        (ReportForm(urls=[f"http://a.test/{i}" for i in range(21)]), "at most 20"),
        (ReportForm(urls=["http://a.test/"], description="x" * 5001), "description"),
        (ReportForm(urls=["http://a.test/"], contact_email="not an email"), "e-mail"),
        (ReportForm(urls=["http://a.test/"], language="fr"), "language"),
    ],
)
def test_bad_submissions_are_refused(
    sqlite_ctx: ServiceContext, form: ReportForm, message: str
) -> None:
    ctx = sqlite_ctx
    with pytest.raises(InvalidInputError, match=message):
        submit_public_report(ctx, form, CONFIG)
    with ctx.transaction() as session:
        assert session.execute(select(Report)).first() is None


def test_receipt_status_says_only_the_stage(sqlite_ctx: ServiceContext) -> None:
    ctx = sqlite_ctx
    add_takedown_users(ctx)
    receipt = submit_public_report(
        ctx, ReportForm(urls=["http://s.test/1", "http://s.test/2"]), CONFIG
    )
    assert receipt_status(ctx, receipt.code).status == "received"
    assert receipt_status(ctx, receipt.code.lower().replace("-", " ")).status == "received"
    police = ctx.with_actor(INVESTIGATOR)
    decide(police, receipt.urls[0].report_id, DecisionInput("not_illegal"))
    assert receipt_status(ctx, receipt.code).status == "in_progress"
    decide(police, receipt.urls[1].report_id, DecisionInput("refer_abroad", refer_to="NL"))
    assert receipt_status(ctx, receipt.code).status == "closed"
    with pytest.raises(NotFoundError):
        receipt_status(ctx, "0000-0000-0000-0000")
    with pytest.raises(InvalidInputError):
        receipt_status(ctx, "<script>")


def test_public_status_words() -> None:
    assert public_status([]) == "received"
    assert public_status(["awaiting_decision", "held"]) == "in_progress"
    assert public_status(["removed", "not_illegal"]) == "closed"


def test_partner_reports_need_a_valid_key_and_carry_priority(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    admin = ctx.with_actor("admin")
    new = partners.add_partner(admin, "Hotline NL", "nl")
    assert new.key.startswith("sntp_") and new.partner.country == "NL"
    with pytest.raises(AlreadyExistsError):
        partners.add_partner(admin, "Hotline NL")
    with pytest.raises(AccessDenied):
        partners.add_partner(ctx, "Other")  # alice is not an administrator
    form = ReportForm(urls=["http://p.test/1"], priority="urgent", reference="NL-77")
    for bad in (None, "", "sntp_nope", new.key + "x"):
        with pytest.raises(PartnerKeyRejected):
            submit_partner_report(ctx, bad, form, CONFIG)
    receipt = submit_partner_report(ctx, new.key, form, CONFIG)
    with ctx.transaction() as session:
        report = session.get_one(Report, receipt.urls[0].report_id)
        assert report.deadline_at - report.first_reported_at == timedelta(hours=4)
        submission = session.execute(select(Submission)).scalar_one()
        assert (submission.channel, submission.partner_reference) == ("partner", "NL-77")
    assert events(ctx, "report.")[-1][0] == "partner:Hotline NL"
    # a duplicate from a partner raises the priority of an existing public report
    public = submit_public_report(ctx, ReportForm(urls=["http://p.test/2"]), CONFIG)
    again = submit_partner_report(
        ctx, new.key, ReportForm(urls=["http://p.test/2"], priority="high"), CONFIG
    )
    assert again.urls[0].duplicate and again.urls[0].report_id == public.urls[0].report_id
    with ctx.transaction() as session:
        assert session.get_one(Report, public.urls[0].report_id).priority == "high"
    rotated = partners.rotate_key(admin, "Hotline NL")
    with pytest.raises(PartnerKeyRejected):
        submit_partner_report(ctx, new.key, form, CONFIG)
    submit_partner_report(ctx, rotated.key, form, CONFIG)
    partners.set_active(admin, "Hotline NL", False)
    with pytest.raises(PartnerKeyRejected):
        submit_partner_report(ctx, rotated.key, form, CONFIG)
    assert [p.name for p in partners.list_partners(admin)] == ["Hotline NL"]
