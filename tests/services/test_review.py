"""The ranked review queue: near-duplicate groups, known-hit ranking, what is left out."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.errors import AccessDenied
from sentinela.services import grading, review
from sentinela.services.context import ServiceContext
from sentinela.services.near_duplicates import cluster, near
from tests.services.workspace_helpers import add_user, ensure_retriage, seed_case


@pytest.fixture(autouse=True)
def _triage() -> None:
    ensure_retriage()


def test_groups_come_largest_first(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx, group_sizes=(1, 4, 2))
    queue = review.review_queue(ctx, "C-1")
    assert [g.size for g in queue.groups] == [4, 2, 1]
    assert [sorted(i.media_id for i in g.items) for g in queue.groups] == [
        sorted(seeded.groups[1]),
        sorted(seeded.groups[2]),
        seeded.groups[0],
    ]
    assert queue.total_items == 7 and queue.total_groups == 3
    assert [s.key for s in queue.shortcuts] == ["0", "1", "2", "3", "4"]
    assert queue.groups[0].items[0].exhibits == ("EXH-001",)
    with ctx.transaction() as session:
        last = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first()
    assert last is not None and (last.action, last.case_number) == ("review.queue_view", "C-1")


def test_paging(ctx: ServiceContext) -> None:
    seed_case(ctx, group_sizes=(1, 1, 1, 1, 1))
    opts = review.QueueOptions(groups_per_page=2)
    pages = [review.review_queue(ctx, "C-1", offset=o, options=opts) for o in (0, 2, 4, 6)]
    assert [len(p.groups) for p in pages] == [2, 2, 1, 0]


def test_known_hits_raise_the_rank(ctx: ServiceContext) -> None:
    """A single item from an exhibit full of known material outranks a pair from a clean one."""
    seed_case(ctx, group_sizes=(2,), seed=1)
    seed_case(ctx, "C-2", group_sizes=(1,), known=9, seed=2)
    clean = review.review_queue(ctx, "C-1").groups[0]
    hot = review.review_queue(ctx, "C-2").groups[0]
    assert clean.score == 2.0 and clean.known_share == 0.0
    assert hot.known_share == 0.9 and hot.score == pytest.approx(1.9)
    assert review.rank_groups({}, {}, 31) == []  # an empty case ranks nothing


def test_graded_and_known_items_leave_the_queue(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx, group_sizes=(2, 1), known=3)
    grading.grade_media(ctx, "C-1", seeded.groups[0], "1")
    assert [g.size for g in review.review_queue(ctx, "C-1").groups] == [1]
    bob_view = review.review_queue(ctx.with_actor("bob"), "C-1")
    assert [g.size for g in bob_view.groups] == [2, 1]
    assert {i.grades for i in bob_view.groups[0].items} == {1}
    grading.grade_media(ctx.with_actor("bob"), "C-1", seeded.groups[0], "1")  # consensus
    assert [g.size for g in review.review_queue(ctx.with_actor("bob"), "C-1").groups] == [1]


def test_need_to_know_and_roles(ctx: ServiceContext) -> None:
    seed_case(ctx, members=())
    with pytest.raises(AccessDenied):
        review.review_queue(ctx.with_actor("bob"), "C-1")
    with pytest.raises(AccessDenied):
        review.review_queue(ctx.with_actor("admin"), "C-1")  # admins need membership too
    add_user(ctx, "pat", ["prosecutor"])
    from sentinela.services import cases

    cases.add_member(ctx, "C-1", "pat")
    with pytest.raises(AccessDenied):
        review.review_queue(ctx.with_actor("pat"), "C-1")


def test_cluster_matches_naive_reference() -> None:
    rng = random.Random(3)
    items: list[tuple[int, str | None]] = []
    for _ in range(20):
        base = rng.getrandbits(256)
        for k in range(rng.randint(1, 4)):
            value = base
            for b in rng.sample(range(256), 4 * k):
                value ^= 1 << b
            items.append((len(items), f"{value:064x}"))
    items.append((len(items), None))
    items.append((len(items), "zz" * 32))
    groups = cluster(items, 31)
    hexes = dict(items)

    def dist(a: int, b: int) -> int:
        return bin(int(str(hexes[a]), 16) ^ int(str(hexes[b]), 16)).count("1")

    # every pair within the threshold shares a group; groups are connected components
    where = {m: i for i, g in enumerate(groups) for m in g}
    valid = [i for i, h in items if h is not None and h != "zz" * 32]
    for a in valid:
        for b in valid:
            if dist(a, b) <= 31:
                assert where[a] == where[b]
    assert sorted(m for g in groups for m in g) == [i for i, _ in items]
    assert near([(1, str(hexes[0]))], [str(hexes[0])], 0) == [1]
