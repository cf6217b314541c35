"""Videos matched against each other: across the country (need-to-know), and in the queue."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.errors import AccessDenied
from sentinela.services import review, video_links, visual_search
from sentinela.services.context import ServiceContext
from sentinela.video import MatchRule, compare_videos, fingerprint_video
from tests.services.victim_id_helpers import World, make_world, open_case
from tests.services.video_link_helpers import add_video, copy_of, frames
from tests.services.workspace_helpers import seed_case
from tests.video.helpers import make_video, transcode


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "vera", "A-2", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    original = frames(1, 10)
    w.media["original"] = add_video(ctx, "A-1", "original", original)
    w.media["trimmed"] = add_video(ctx, "A-2", "trimmed", copy_of(original, 2, 8, 6, seed=1))
    w.media["hidden"] = add_video(ctx, "B-1", "hidden", copy_of(original, 0, 9, 10, seed=2))
    w.media["unrelated"] = add_video(ctx, "A-2", "unrelated", frames(2, 10))
    w.media["empty"] = add_video(ctx, "A-2", "empty", [])
    return w


def test_a_trimmed_copy_in_another_case_is_found(world: World) -> None:
    found = video_links.similar_videos(world.as_("vera"), "A-1", world.media["original"])
    assert found.fingerprinted and found.indexed_videos == 3  # the empty one is not indexed
    assert [(h.media_id, h.case_number) for h in found.hits] == [(world.media["trimmed"], "A-2")]
    hit = found.hits[0]
    assert (hit.query_percent, hit.index_percent) == (60.0, 100.0)  # found from either side
    assert (found.hidden.count, found.hidden.units) == (1, ("Unit B",))
    back = video_links.similar_videos(world.as_("vera"), "A-2", world.media["trimmed"])
    assert [h.media_id for h in back.hits] == [world.media["original"]]
    with world.ctx.transaction() as session:
        last = session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first()
    assert last is not None and (last.action, last.case_number) == ("visual.vpdq_search", "A-2")


def test_unrelated_and_unfingerprinted_videos_find_nothing(world: World) -> None:
    vera = world.as_("vera")
    assert video_links.similar_videos(vera, "A-2", world.media["unrelated"]).hits == ()
    empty = video_links.similar_videos(vera, "A-2", world.media["empty"])
    assert (empty.fingerprinted, empty.hits, empty.hidden.count) == (False, (), 0)


def test_a_non_member_sees_only_the_count(world: World) -> None:
    found = video_links.similar_videos(world.as_("viktor"), "B-1", world.media["hidden"])
    assert found.hits == ()
    assert (found.hidden.count, found.hidden.units) == (2, ("Unit A",))
    with pytest.raises(AccessDenied):
        video_links.similar_videos(world.as_("viktor"), "A-1", world.media["original"])
    with pytest.raises(AccessDenied):  # the case does not hold the item
        video_links.similar_videos(world.as_("vera"), "A-1", world.media["trimmed"])


def test_the_similar_page_lists_videos_for_a_video(world: World) -> None:
    found = visual_search.similar_media(world.as_("vera"), "A-1", world.media["original"])
    assert found.hits == ()  # the videos have no PDQ of their own
    assert [v.media_id for v in found.videos] == [world.media["trimmed"]]
    assert (found.hidden.count, found.hidden.units) == (1, ("Unit B",))


def test_fast_index_agrees_with_brute_force(ctx: ServiceContext) -> None:
    rng = random.Random(11)
    open_case(make_world(ctx), "vera", "A-1", "Unit A")
    sources = [frames(100 + s, rng.randint(3, 12)) for s in range(6)]
    ids = [add_video(ctx, "A-1", f"src-{k}", f) for k, f in enumerate(sources)]
    prints = dict(zip(ids, sources, strict=True))
    for n in range(14):
        src = rng.choice(sources)
        start = rng.randrange(len(src))
        copy = copy_of(src, start, rng.randint(start + 1, len(src)), rng.choice((4, 20, 40)), n)
        if rng.random() < 0.3:
            copy += frames(500 + n, rng.randint(1, 6))
        prints[add_video(ctx, "A-1", f"copy-{n}", copy)] = copy
    rule = MatchRule()
    total = 0
    with ctx.transaction() as session:
        for media_id, query in prints.items():
            fast, _ = video_links.video_matches(session, media_id, rule)
            brute, _ = video_links.video_matches(session, media_id, rule, index_type="vpdq_brute")
            assert fast == brute
            relaxed = MatchRule(query_percent=0.0)
            naive = {}
            for other, target in prints.items():
                m = compare_videos(query, target, relaxed, target_id=other)
                if other != media_id and m is not None and video_links.linked(rule, m):
                    naive[other] = m
            assert fast == naive
            total += len(fast)
        groups = video_links.video_groups(session, list(prints))
        brute_groups = video_links.video_groups(session, list(prints), index_type="vpdq_brute")
    assert total >= 6 and groups == brute_groups and groups


def test_real_videos_resized_and_trimmed(world: World) -> None:
    original = make_video(width=192, height=144, seconds=6)
    copy = transcode(original, width=128, height=96, skip_frames=20, keep_frames=30)
    other = make_video(width=192, height=144, seconds=6, seed=3)
    ctx = world.ctx
    query = add_video(ctx, "A-1", "real", fingerprint_video(original, want_keyframes=False).frames)
    copied = add_video(
        ctx, "A-2", "real-copy", fingerprint_video(copy, want_keyframes=False).frames
    )
    add_video(ctx, "A-2", "real-other", fingerprint_video(other, want_keyframes=False).frames)
    found = video_links.similar_videos(world.as_("vera"), "A-1", query)
    assert [h.media_id for h in found.hits] == [copied]


def test_the_review_queue_groups_linked_videos(ctx: ServiceContext) -> None:
    seeded = seed_case(ctx, group_sizes=(3, 1, 2))
    before = [sorted(i.media_id for i in g.items) for g in review.review_queue(ctx, "C-1").groups]
    source = frames(1, 10)
    a = add_video(ctx, "C-1", "a", source)
    b = add_video(ctx, "C-1", "b", copy_of(source, 1, 7, 8))
    c = add_video(ctx, "C-1", "c", copy_of(source, 3, 10, 8, seed=4))
    lone = add_video(ctx, "C-1", "lone", frames(2, 10))
    queue = review.review_queue(ctx, "C-1")
    groups = [sorted(i.media_id for i in g.items) for g in queue.groups]
    assert [a, b, c] in groups and [lone] in groups
    assert [g for g in groups if not {a, b, c, lone} & set(g)] == before
    assert queue.total_items == len(seeded.all_media) + 4
    assert review.merge_groups([[1], [2], [3, 4]], [[2, 4], [9]]) == [[1], [2, 3, 4]]
