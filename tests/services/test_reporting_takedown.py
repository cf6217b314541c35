"""The whole police-first flow against a real "reported host" on 127.0.0.1 and a fake clock:
report -> preserve -> decide -> notice -> re-check -> resend -> escalate -> removal."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.clock import FakeClock
from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.reporting import Capture, CaptureObject, Report
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services.audit import verify_audit
from sentinela.services.context import ServiceContext, open_context
from sentinela.services.exposure import open_vault
from sentinela.services.reporting_intake import ReportForm, submit_public_report
from sentinela.services.takedown_capture import probe_body
from sentinela.services.takedown_decisions import DecisionInput, decide
from sentinela.services.takedown_preservation import preserve
from sentinela.services.takedown_queue import takedown_queue
from sentinela.services.takedown_rechecks import recheck_now
from sentinela.services.takedown_report import report_file
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.services.takedown_worker import tick
from tests.reporting.helpers import HostServer, body, host_server, png, runtime, smtp_sink
from tests.services.reporting_helpers import INVESTIGATOR, OPERATOR, actions, add_takedown_users

HOURS = timedelta(hours=1)


def _body(source: Path | Message) -> str:
    message = (
        email.message_from_bytes(source.read_bytes(), policy=email.policy.default)
        if isinstance(source, Path)
        else source
    )
    part = message.get_body(("plain",))  # type: ignore[attr-defined]
    return str(part.get_content())


@pytest.fixture
def host() -> Iterator[HostServer]:
    with host_server() as server:
        yield server


@pytest.fixture
def td(ctx: ServiceContext, tmp_path: Path) -> TakedownRuntime:
    """A runtime over the database of ``ctx`` (SQLite and PostgreSQL)."""
    add_takedown_users(ctx)
    return runtime(ctx.settings, outbox=tmp_path / "outbox")


@pytest.fixture
def td_lite(sqlite_ctx: ServiceContext, tmp_path: Path) -> TakedownRuntime:
    """The same on SQLite only, for tests that are not about storage."""
    add_takedown_users(sqlite_ctx)
    return runtime(sqlite_ctx.settings, outbox=tmp_path / "outbox")


def _report(ctx: ServiceContext, rt: TakedownRuntime, *urls: str) -> list[int]:
    receipt = submit_public_report(ctx, ReportForm(urls=list(urls)), rt.config)
    return [u.report_id for u in receipt.urls]


def test_police_first_flow(
    ctx: ServiceContext, clock: FakeClock, td: TakedownRuntime, host: HostServer, tmp_path: Path
) -> None:
    image = png(1)
    host.routes["/gallery"] = body(b'<html><img src="/a.png"><img src="b.png"></html>')
    host.routes["/a.png"] = body(image, "image/png")
    host.routes["/b.png"] = body(png(2), "image/png")
    [rid] = _report(ctx, td, host.url("/gallery"))
    police = ctx.with_actor(INVESTIGATOR)

    # 1. the worker preserves at once: page + linked images, in the vault, manifest audited
    first = tick(ctx, td)
    assert first.captures == {"preserved": 1} and first.notices.sent == []
    with ctx.transaction() as session:
        report = session.get_one(Report, rid)
        assert report.preserved_at is not None and report.status == "awaiting_decision"
        assert (report.hosting_name, report.country) == ("Loopback Hosting", "PT")
        assert report.abuse_contact == "abuse@loopback.test"
        capture = session.execute(select(Capture)).scalar_one()
        objects = session.execute(select(CaptureObject)).scalars().all()
    assert [o.role for o in objects] == ["page", "linked_image", "linked_image"]
    assert objects[1].sha256 == hashlib.sha256(image).hexdigest() and objects[1].pdq
    vault = open_vault(ctx.settings)
    assert vault.get(objects[1].sha256) == image
    raw = (vault.root / objects[1].vault_relpath).read_bytes()
    assert image not in raw  # encrypted at rest
    manifest = json.loads(capture.manifest)
    assert manifest["headers"] and manifest["resolved"] == ["127.0.0.1"]
    assert manifest["hosting"]["abuse"] == "abuse@loopback.test"
    assert hashlib.sha256(capture.manifest.encode()).hexdigest() == capture.manifest_sha256
    preserve_events = [e for e in actions(ctx) if e == "takedown.preserve"]
    assert preserve_events == ["takedown.preserve"]

    # 2. nothing reaches the host before the decision
    clock.advance(2 * HOURS)
    assert tick(ctx, td).notices.sent == []
    assert not (tmp_path / "outbox").exists()

    # 3. the officer decides: take down now
    view = decide(police, rid, DecisionInput("take_down", reason="CSAM confirmed"))
    assert view.report_status == "notice_pending"
    second = tick(ctx, td)
    assert len(second.notices.sent) == 1
    eml = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(eml) == 1
    text = _body(eml[0])
    assert host.url("/gallery") in text and "Notificação" in text  # PT host: Portuguese
    doc = json.loads(next((tmp_path / "outbox").glob("*.json")).read_text())
    assert doc["items"][0]["reference"] == f"TD-{rid}" and doc["kind"] == "notice"

    # 4. still up at the re-check; after resend_after the notice goes again, then escalates
    for _ in range(3):
        clock.advance(48 * HOURS)
        tick(ctx, td)
    with ctx.transaction() as session:
        report = session.get_one(Report, rid)
        assert report.notices_sent == 4 and report.notice_escalated_at is not None
    kinds = [
        json.loads(p.read_text())["kind"] for p in sorted((tmp_path / "outbox").glob("*.json"))
    ]
    assert kinds == ["notice", "resend", "resend", "escalation"]
    last = email.message_from_bytes(
        sorted((tmp_path / "outbox").glob("*.eml"))[-1].read_bytes(), policy=email.policy.default
    )
    assert last["To"] == "legal@loopback.test" and "ESCALAMENTO" in _body(last)

    # 5. the host removes it: the next re-check confirms, stage times are complete
    del host.routes["/gallery"]
    clock.advance(24 * HOURS)
    done = tick(ctx, td)
    assert done.rechecks == {"removed": 1}
    page = report_file(police, rid)
    assert page.report.status == "removed"
    stages = page.stages
    assert (
        stages.reported < stages.preserved < stages.decided < stages.first_notice < stages.removed
    )  # type: ignore[operator]
    assert [n.kind for n in page.notices] == ["notice", "resend", "resend", "escalation"]
    assert page.rechecks[-1].outcome == "removed"
    assert tick(ctx, td).idle
    assert verify_audit(ctx.with_actor(INVESTIGATOR)).ok


def test_a_changed_body_counts_as_removed(
    sqlite_ctx: ServiceContext, clock: FakeClock, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    host.routes["/img"] = body(png(3), "image/png")
    [rid] = _report(ctx, td, host.url("/img"))
    tick(ctx, td)
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    tick(ctx, td)
    host.routes["/img"] = body(b"<p>This content was removed.</p>")
    seen = recheck_now(ctx.with_actor(OPERATOR), rid, td)
    assert seen.outcome == "removed" and "no longer matches" in seen.detail


def test_a_server_error_is_not_a_removal(
    sqlite_ctx: ServiceContext, clock: FakeClock, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    host.routes["/img"] = body(png(4), "image/png")
    [rid] = _report(ctx, td, host.url("/img"))
    tick(ctx, td)
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    tick(ctx, td)
    host.routes["/img"] = body(b"oops", "text/plain", 503)
    assert recheck_now(ctx.with_actor(OPERATOR), rid, td).outcome == "error"
    with ctx.transaction() as session:
        assert session.get_one(Report, rid).status == "notified"


def test_notices_wait_for_preservation(
    ctx: ServiceContext, clock: FakeClock, td: TakedownRuntime, host: HostServer
) -> None:
    """Decided before any capture succeeded: the notice waits, the capture runs first."""
    [rid] = _report(ctx, td, host.url("/late"))
    tick(ctx, td)  # 404: absent, nothing preserved
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    host.routes["/late"] = body(png(5), "image/png")
    run = tick(ctx, td)
    assert run.notices.not_preserved == [rid] and run.notices.sent == []
    clock.advance(HOURS)
    run = tick(ctx, td)
    assert run.captures == {"preserved": 1} and len(run.notices.sent) == 1
    order = [a for a in actions(ctx) if a in ("takedown.preserve", "takedown.notice_sent")]
    assert order[-2:] == ["takedown.preserve", "takedown.notice_sent"]


def test_content_gone_before_the_notice_closes_the_report(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    [rid] = _report(ctx, td, host.url("/gone"))
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    run = tick(ctx, td)
    assert run.captures == {"absent": 1} and run.notices.sent == []
    with ctx.transaction() as session:
        report = session.get_one(Report, rid)
        assert (report.status, report.first_notice_at) == ("removed", None)


def test_notices_are_grouped_per_abuse_contact_and_sent_by_smtp(
    sqlite_ctx: ServiceContext, clock: FakeClock, host: HostServer, tmp_path: Path
) -> None:
    ctx = sqlite_ctx
    add_takedown_users(ctx)
    with smtp_sink() as sink:
        rt = runtime(ctx.settings, smtp_port=sink.port)
        for i in range(3):
            host.routes[f"/i{i}"] = body(png(10 + i), "image/png")
        ids = _report(ctx, rt, *(host.url(f"/i{i}") for i in range(3)))
        tick(ctx, rt)
        for rid in ids:
            decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
        run = tick(ctx, rt)
    assert len(run.notices.sent) == 1
    assert sink.recipients == [["abuse@loopback.test"]]
    message = sink.messages[0]
    parts = {p.get_content_type(): p for p in message.walk()}
    assert "application/json" in parts
    doc = json.loads(parts["application/json"].get_payload(decode=True))
    assert [i["reference"] for i in doc["items"]] == [f"TD-{r}" for r in ids]
    assert message["Subject"].startswith("Notificação")


def test_smtp_failure_is_not_recorded_as_sent(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx = sqlite_ctx
    host.routes["/x"] = body(png(20), "image/png")
    with smtp_sink() as sink:
        port = sink.port
    rt = runtime(ctx.settings, smtp_port=port)  # the sink is closed: connection refused
    [rid] = _report(ctx, rt, host.url("/x"))
    tick(ctx, rt)
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    run = tick(ctx, rt)
    assert run.notices.sent == [] and run.notices.failed
    with ctx.transaction() as session:
        report = session.get_one(Report, rid)
        assert (report.status, report.notices_sent) == ("notice_pending", 0)
    assert "takedown.notice_failed" in actions(ctx)


def test_html_with_thousands_of_images_is_capped(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    links = "".join(f'<img src="/p{i}.png">' for i in range(5000)).encode()
    host.routes["/many"] = body(b"<html>" + links + b"</html>")
    for i in range(10):
        host.routes[f"/p{i}.png"] = body(png(100 + i), "image/png")
    [rid] = _report(ctx, td, host.url("/many"))
    view = preserve(ctx.with_actor(OPERATOR), rid, td)
    assert view.outcome == "preserved"
    assert view.objects == 1 + td.config.fetch.max_linked_images
    with ctx.transaction() as session:
        manifest = json.loads(session.get_one(Capture, view.id).manifest)
    assert manifest["linked_images"] == {
        "found": 5000,
        "fetched": 5,
        "capped": True,
        "errors": [],
    }
    assert len([h for h in host.hits if h.endswith(".png")]) == 5


def test_a_private_url_is_refused_and_not_retried(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    [rid] = _report(ctx, td, "http://10.20.30.40/secret")
    run = tick(ctx, td)
    assert run.captures == {"refused": 1}
    with ctx.transaction() as session:
        assert session.get_one(Report, rid).next_capture_at is None
    assert tick(ctx, td).captures == {}


def test_only_police_decide_and_operators_see_no_contacts(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    receipt = submit_public_report(
        ctx,
        ReportForm(urls=["http://203.0.113.7/x"], contact_name="Ana", contact_email="a@b.pt"),
        td.config,
    )
    rid = receipt.urls[0].report_id
    with pytest.raises(AccessDenied):
        decide(ctx.with_actor(OPERATOR), rid, DecisionInput("take_down"))
    with pytest.raises(AccessDenied):
        takedown_queue(ctx.with_actor("admin"))
    operator_view = report_file(ctx.with_actor(OPERATOR), rid)
    assert operator_view.submissions[0].contact_email is None and not operator_view.can_decide
    police_view = report_file(ctx.with_actor(INVESTIGATOR), rid)
    assert police_view.submissions[0].contact_email == "a@b.pt" and police_view.can_decide


def test_decision_rules(
    sqlite_ctx: ServiceContext, clock: FakeClock, td_lite: TakedownRuntime
) -> None:
    ctx = sqlite_ctx
    td = td_lite
    [rid] = _report(ctx, td, "http://203.0.113.9/a")
    police = ctx.with_actor(INVESTIGATOR)
    with pytest.raises(InvalidInputError, match="date in the future"):
        decide(police, rid, DecisionInput("hold", reason="r", investigation_ref="INQ-1"))
    with pytest.raises(InvalidInputError, match="reason and an investigation"):
        decide(police, rid, DecisionInput("hold", hold_until=clock.now + 24 * HOURS))
    with pytest.raises(InvalidInputError, match="country or agency"):
        decide(police, rid, DecisionInput("refer_abroad"))
    with pytest.raises(InvalidInputError, match="must be one of"):
        decide(police, rid, DecisionInput("ignore"))
    held = decide(
        police,
        rid,
        DecisionInput(
            "hold", reason="ongoing", investigation_ref="INQ-7", hold_until=clock.now + 48 * HOURS
        ),
    )
    assert held.report_status == "held"
    referred = decide(police, rid, DecisionInput("refer_abroad", refer_to="NL police"))
    assert referred.report_status == "referred_abroad"
    with pytest.raises(InvalidInputError, match="cannot be decided"):
        decide(police, rid, DecisionInput("take_down"))


def test_captures_are_matched_against_the_national_store(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime, host: HostServer
) -> None:
    ctx, td = sqlite_ctx, td_lite
    exact, similar = png(30), png(31)
    with ctx.transaction() as session:
        now = ctx.clock()
        hs = HashSet(
            name="agency",
            source="test",
            version="1",
            scheme="uk",
            kind="categorised",
            format="plain",
            imported_at=now,
            imported_by="admin",
        )
        session.add(hs)
        session.flush()
        for hash_type, digest in (
            ("sha256", hashlib.sha256(exact).hexdigest()),
            ("pdq", probe_body(similar).pdq),
        ):
            session.add(
                KnownHash(
                    hash_set_id=hs.id,
                    hash_type=hash_type,
                    digest=digest,
                    category_scheme="uk",
                    category_code="A",
                    added_at=now,
                    updated_at=now,
                )
            )
    host.routes["/p"] = body(b'<img src="/e.png"><img src="/s.png"><img src="/o.png">')
    host.routes["/e.png"] = body(exact, "image/png")
    host.routes["/s.png"] = body(similar, "image/png")
    host.routes["/o.png"] = body(png(32), "image/png")
    [rid] = _report(ctx, td, host.url("/p"))
    view = preserve(ctx.with_actor(OPERATOR), rid, td)
    assert (view.objects, view.matched) == (4, 2)
    evidence = {
        o.url.rsplit("/", 1)[1]: o.matches
        for o in report_file(ctx.with_actor(OPERATOR), rid).evidence
    }
    assert evidence["e.png"] == [
        {
            "source": "hash_set",
            "name": "agency",
            "hash_type": "sha256",
            "category": "uk:A",
            "distance": 0,
        }
    ]
    assert [(m["hash_type"], m["distance"]) for m in evidence["s.png"]] == [("pdq", 0)]
    assert evidence["o.png"] == [] and evidence["p"] == []


def test_the_worker_resumes_after_a_restart(
    sqlite_ctx: ServiceContext, td_lite: TakedownRuntime, host: HostServer, clock: FakeClock
) -> None:
    """Every job is a row: a new process (context and runtime) picks up what is due, once."""
    ctx = sqlite_ctx
    host.routes["/r.png"] = body(png(40), "image/png")
    [rid] = _report(ctx, td_lite, host.url("/r.png"))
    tick(ctx, td_lite)
    decide(ctx.with_actor(INVESTIGATOR), rid, DecisionInput("take_down"))
    ctx.close()
    restarted = open_context(ctx.settings, clock=clock)
    try:
        fresh = runtime(restarted.settings, outbox=td_lite.outbox)
        assert len(tick(restarted, fresh).notices.sent) == 1
        assert tick(restarted, fresh).idle
    finally:
        restarted.close()
