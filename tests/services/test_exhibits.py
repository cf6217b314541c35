"""Exhibits: registration, container hashes, E01 verification, custody and re-verification."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.exhibits import Exhibit
from sentinela.errors import (
    AccessDenied,
    AlreadyExistsError,
    EvidenceError,
    InvalidInputError,
)
from sentinela.services import cases, exhibits
from sentinela.services.context import ServiceContext

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"
E01_ACQUISITION_MD5 = "5b8ccbe7efaa626df57caed5e2a51c34"


@pytest.fixture
def case(ctx: ServiceContext) -> str:
    cases.create_case(ctx, "C-1", title="Test case", unit="Unit A")
    return "C-1"


def _counts(ctx: ServiceContext) -> tuple[int, int]:
    with ctx.transaction() as session:
        n_exhibits = session.execute(select(func.count()).select_from(Exhibit)).scalar_one()
        n_events = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return n_exhibits, n_events


def test_e01_records_and_verifies_acquisition_hash(ctx: ServiceContext, case: str) -> None:
    view = exhibits.add_exhibit(
        ctx,
        case,
        DATA / "EXH-001.E01",
        label="EXH-001",
        seized_from="suspect laptop",
        seized_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert view.kind == "e01"
    assert view.acquisition_md5 == E01_ACQUISITION_MD5
    assert view.acquisition_verified is True
    assert len(view.sha256) == 64 and len(view.md5) == 32
    assert [c.action for c in view.custody] == ["seized", "received"]


def test_raw_and_folder_kinds_and_listing(ctx: ServiceContext, case: str, tmp_path: Path) -> None:
    folder = tmp_path / "seized-folder"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"alpha")
    raw = exhibits.add_exhibit(ctx, case, DATA / "EXH-001.dd", label="EXH-002")
    fold = exhibits.add_exhibit(ctx, case, folder, label="EXH-003")
    assert raw.kind == "raw" and fold.kind == "folder"
    assert [e.label for e in exhibits.list_exhibits(ctx, case)] == ["EXH-002", "EXH-003"]


def test_verify_reports_match_then_mismatch(ctx: ServiceContext, case: str, tmp_path: Path) -> None:
    copy = tmp_path / "evidence" / "image.dd"
    copy.parent.mkdir()
    shutil.copyfile(DATA / "EXH-001.dd", copy)
    exhibits.add_exhibit(ctx, case, copy, label="EXH-001")
    before = sorted(p.name for p in copy.parent.iterdir())
    assert exhibits.verify_exhibit(ctx, case, "EXH-001").matches
    with copy.open("r+b") as fh:  # the exhibit is altered behind our back
        fh.seek(600)
        fh.write(b"\xff")
    outcome = exhibits.verify_exhibit(ctx, case, "EXH-001")
    assert not outcome.matches
    assert any(d.startswith("sha256") for d in outcome.differences)
    assert sorted(p.name for p in copy.parent.iterdir()) == before  # nothing written beside it
    with ctx.transaction() as session:
        actions = session.execute(
            select(AuditEvent.action, AuditEvent.details).where(
                AuditEvent.action == "exhibit.verify"
            )
        ).all()
    assert [json.loads(d)["result"] for _, d in actions] == ["match", "mismatch"]
    assert exhibits.show_exhibit(ctx, case, "EXH-001").last_verification == "mismatch"


def test_custody_events_are_listed_and_audited(ctx: ServiceContext, case: str) -> None:
    exhibits.add_exhibit(ctx, case, DATA / "EXH-001.dd", label="EXH-001")
    exhibits.add_custody_event(ctx, case, "EXH-001", action="transferred", note="to lab 2")
    with pytest.raises(InvalidInputError):
        exhibits.add_custody_event(ctx, case, "EXH-001", action="lost")
    view = exhibits.show_exhibit(ctx, case, "EXH-001")
    assert [c.action for c in view.custody][-1] == "transferred"
    assert view.custody[-1].actor == "alice" and view.custody[-1].note == "to lab 2"


def test_non_member_cannot_add_or_see(ctx: ServiceContext, case: str) -> None:
    bob = ctx.with_actor("bob")
    with pytest.raises(AccessDenied):
        exhibits.add_exhibit(bob, case, DATA / "EXH-001.dd", label="EXH-001")
    with pytest.raises(AccessDenied):
        exhibits.list_exhibits(bob, case)


@pytest.mark.parametrize(
    "make_path",
    [
        pytest.param(lambda tmp: tmp / "does-not-exist.E01", id="missing"),
        pytest.param(lambda tmp: DATA / "EXH-001-media-mismatch.E01", id="media-mismatch"),
        pytest.param(lambda tmp: _truncated(tmp, DATA / "EXH-001.E01", 8000), id="truncated-e01"),
    ],
)
def test_bad_evidence_leaves_nothing(
    ctx: ServiceContext, case: str, tmp_path: Path, make_path: object
) -> None:
    path = make_path(tmp_path)  # type: ignore[operator]
    before = _counts(ctx)
    with pytest.raises(EvidenceError):
        exhibits.add_exhibit(ctx, case, path, label="EXH-009")
    assert _counts(ctx) == before


def test_duplicate_label_leaves_nothing(ctx: ServiceContext, case: str) -> None:
    exhibits.add_exhibit(ctx, case, DATA / "EXH-001.dd", label="EXH-001")
    before = _counts(ctx)
    with pytest.raises(AlreadyExistsError):
        exhibits.add_exhibit(ctx, case, DATA / "EXH-001.E01", label="EXH-001")
    assert _counts(ctx) == before


def _truncated(tmp: Path, source: Path, size: int) -> Path:
    out = tmp / "truncated.E01"
    out.write_bytes(source.read_bytes()[:size])
    return out
