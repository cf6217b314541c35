"""Grading, consensus, the national classification and adjudication, on both databases."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.media import Media
from sentinela.db.workspace import Adjudication, Grade, NationalClassification
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services import adjudication, cases, grading
from sentinela.services.context import ServiceContext
from sentinela.services.national import NATIONAL_SET
from tests.services.workspace_helpers import add_user, ensure_retriage, hold_media, seed_case


@pytest.fixture(autouse=True)
def _triage() -> None:
    ensure_retriage()


def _count(ctx: ServiceContext, model: type) -> int:
    with ctx.transaction() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_code_not_in_scheme_is_refused_and_nothing_written(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    before = _count(ctx, AuditEvent)
    with pytest.raises(InvalidInputError, match="unknown category code"):
        grading.grade_media(ctx, "C-1", seeded.groups[0], "9")
    with pytest.raises(InvalidInputError):
        grading.grade_media(ctx, "C-1", seeded.groups[0], "A")  # a UK code, not Project VIC
    assert _count(ctx, Grade) == 0 and _count(ctx, AuditEvent) == before


def test_two_agreeing_grades_make_the_national_classification(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    first = grading.grade_media(ctx, "C-1", seeded.groups[0], "1")
    assert {r.status for r in first.results} == {"pending"}
    second = grading.grade_media(ctx.with_actor("bob"), "C-1", seeded.groups[0], "1")
    assert {r.status for r in second.results} == {"classified"}
    assert second.retriaged >= len(seeded.groups[0])
    with ctx.transaction() as session:
        national = session.execute(select(NationalClassification)).scalars().all()
        assert {(n.media_id, n.code, n.method) for n in national} == {
            (m, "1", "consensus") for m in seeded.groups[0]
        }
        hs = session.execute(select(HashSet).where(HashSet.name == NATIONAL_SET)).scalar_one()
        assert (hs.kind, hs.scheme, hs.entries) == ("categorised", "project_vic_us", 6)
        types = session.execute(
            select(KnownHash.hash_type, func.count()).group_by(KnownHash.hash_type)
        ).all()
        assert dict(types) == {"sha256": 3, "pdq": 3}
        classes = session.execute(
            select(Media.triage_class).where(Media.id.in_(seeded.groups[0]))
        ).scalars()
        assert set(classes) == {"known_categorised"}


def test_consensus_reaches_other_cases(ctx: ServiceContext) -> None:
    """The same media in a second case, and a near-duplicate there, become known too."""
    seeded = seed_case(ctx)
    other = seed_case(ctx, "C-2", group_sizes=(1,), seed=8)
    hold_media(ctx, "C-2", [seeded.groups[0][0]])
    grading.grade_media(ctx, "C-1", [seeded.groups[0][0]], "2")
    grading.grade_media(ctx.with_actor("bob"), "C-1", [seeded.groups[0][0]], "2")
    with ctx.transaction() as session:
        near = session.get(Media, seeded.groups[0][1])
        assert near is not None and near.triage_class == "known_categorised"  # PDQ reach
        unrelated = session.get(Media, other.groups[0][0])
        assert unrelated is not None and unrelated.triage_class == "new"


def test_disagreement_goes_to_the_case_lead(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    add_user(ctx, "carol", ["examiner"])
    item = [seeded.groups[1][0]]
    grading.grade_media(ctx, "C-1", item, "1")
    outcome = grading.grade_media(ctx.with_actor("bob"), "C-1", item, "3")
    assert outcome.results[0].status == "adjudication"
    with pytest.raises(AccessDenied):  # bob leads no case
        adjudication.adjudication_queue(ctx.with_actor("bob"))
    queue = adjudication.adjudication_queue(ctx)
    (open_item,) = queue.items
    assert open_item.media_id == item[0]
    assert {(g.username, g.code) for g in open_item.grades} == {("alice", "1"), ("bob", "3")}
    with pytest.raises(AccessDenied, match="another supervisor"):
        adjudication.decide(ctx, open_item.id, "1")  # alice graded it herself
    cases.add_member(ctx, "C-1", "carol", "lead")
    carol = ctx.with_actor("carol")
    with pytest.raises(InvalidInputError):
        adjudication.decide(carol, open_item.id, "7")
    decided = adjudication.decide(carol, open_item.id, "3", note="second look")
    assert (decided.status, decided.decided_code) == ("decided", "3")
    with pytest.raises(InvalidInputError, match="already decided"):
        adjudication.decide(carol, open_item.id, "3")
    with ctx.transaction() as session:
        nc = session.execute(select(NationalClassification)).scalar_one()
        assert (nc.media_id, nc.code, nc.method) == (item[0], "3", "adjudication")
    assert adjudication.adjudication_queue(carol).items == ()
    with pytest.raises(AccessDenied):  # an unknown id gets the same answer
        adjudication.decide(carol, 9999, "1")


def test_group_grading_and_rules(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    rule = grading.ConsensusRule(agreeing_grades=1)
    outcome = grading.grade_media(ctx, "C-1", seeded.groups[0], "4", rule=rule)
    assert [r.media_id for r in outcome.results] == sorted(seeded.groups[0])
    assert {r.status for r in outcome.results} == {"classified"}
    with ctx.transaction() as session:
        sizes = set(session.execute(select(Grade.group_size)).scalars())
    assert sizes == {3}
    with pytest.raises(InvalidInputError):
        grading.ConsensusRule(agreeing_grades=0)
    with pytest.raises(InvalidInputError):
        grading.grade_media(ctx, "C-1", [], "1")


def test_foreign_media_and_roles(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    other = seed_case(ctx, "C-2", group_sizes=(1,), members=(), seed=9)
    foreign = other.groups[0][0]
    with pytest.raises(AccessDenied) as exists:
        grading.grade_media(ctx.with_actor("bob"), "C-1", [foreign], "1")
    with pytest.raises(AccessDenied) as missing:
        grading.grade_media(ctx.with_actor("bob"), "C-1", [foreign + 1000], "1")
    assert str(exists.value).replace(str(foreign), "N") == str(missing.value).replace(
        str(foreign + 1000), "N"
    )
    with pytest.raises(AccessDenied):  # bob is not a member of C-2
        grading.grade_media(ctx.with_actor("bob"), "C-2", [foreign], "1")
    add_user(ctx, "ivan", ["investigator"])
    cases.add_member(ctx, "C-1", "ivan")
    with pytest.raises(AccessDenied, match="roles"):
        grading.grade_media(ctx.with_actor("ivan"), "C-1", seeded.groups[0], "1")


def test_two_grades_at_the_same_moment_are_both_kept(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx)
    item = [seeded.groups[1][0]]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def grade(who: str) -> None:
        try:
            barrier.wait(timeout=10)
            grading.grade_media(ctx.with_actor(who), "C-1", item, "2")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=grade, args=(u,)) for u in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with ctx.transaction() as session:
        users = set(
            session.execute(select(Grade.user_id).where(Grade.media_id == item[0])).scalars()
        )
        assert len(users) == 2
        nc = session.execute(select(NationalClassification)).scalar_one()
        assert (nc.media_id, nc.code) == (item[0], "2")
        assert session.execute(select(func.count(Adjudication.id))).scalar_one() == 0


def test_shortcuts_follow_the_scheme() -> None:
    vic = grading.shortcuts("project_vic_us")
    assert [(s.code, s.key) for s in vic] == [(str(i), str(i)) for i in range(5)]
    uk = grading.shortcuts("uk")
    assert [s.key for s in uk] == [s.code.lower() for s in uk]
    industry = grading.shortcuts("industry")
    assert [s.key for s in industry] == [str(i + 1) for i in range(len(industry))]
    with pytest.raises(InvalidInputError):
        grading.shortcuts("no_such_scheme")
