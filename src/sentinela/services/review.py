"""The review queue: the new media of a case, near-duplicates grouped, likeliest leads first.

Ranking. Each PDQ near-duplicate group (computed here, on the server) scores

    score = group size x (1 + the largest share of known-categorised media among the
                          exhibits holding the group)

so large groups come first, and an item from an exhibit that is mostly known material counts
about as much as a pair from a clean exhibit. Ties go to the oldest item. Items the analyst
has already graded, and items with a national classification, are left out.

Videos are grouped too: videos linked by vPDQ's rule (see
:mod:`sentinela.services.video_links`) join one group, merged with the PDQ groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, Occurrence
from sentinela.db.workspace import Grade, NationalClassification
from sentinela.services.case_media import require_media_viewer
from sentinela.services.context import ServiceContext
from sentinela.services.grading import Shortcut, shortcuts
from sentinela.services.near_duplicates import DEFAULT_THRESHOLD, cluster
from sentinela.services.permissions import require_member
from sentinela.services.video_links import video_groups
from sentinela.video import MatchRule


@dataclass(frozen=True)
class QueueOptions:
    """How the queue is cut and grouped."""

    groups_per_page: int = 50
    pdq_threshold: int = DEFAULT_THRESHOLD
    min_pdq_quality: int = 50
    video_rule: MatchRule = field(default_factory=MatchRule)


@dataclass(frozen=True)
class QueueItem:
    """One new media item in the queue (no content: thumbnails are fetched separately)."""

    media_id: int
    mime: str
    width: int | None
    height: int | None
    size: int
    has_thumbnail: bool
    exhibits: tuple[str, ...]
    grades: int


@dataclass(frozen=True)
class QueueGroup:
    """A near-duplicate group (or a single item). ``group_id`` is its smallest media id."""

    group_id: int
    size: int
    known_share: float
    score: float
    items: tuple[QueueItem, ...]


@dataclass(frozen=True)
class ReviewQueue:
    """One page of a case's review queue."""

    case_number: str
    case_title: str
    scheme: str
    shortcuts: tuple[Shortcut, ...]
    total_items: int
    total_groups: int
    offset: int
    groups: tuple[QueueGroup, ...]


def _known_share(session: Session, case: Case) -> dict[int, float]:
    """Per exhibit of the case: the share of its distinct media that are known-categorised."""
    rows = session.execute(
        select(
            Occurrence.exhibit_id,
            func.count(distinct(Media.id)),
            func.count(distinct(Media.id)).filter(Media.triage_class == "known_categorised"),
        )
        .join(Media, Media.id == Occurrence.media_id)
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Exhibit.case_id == case.id)
        .group_by(Occurrence.exhibit_id)
    ).all()
    return {int(e): (int(k) / int(t) if t else 0.0) for e, t, k in rows}


@dataclass
class _Candidate:
    media_id: int
    mime: str
    width: int | None
    height: int | None
    size: int
    has_thumbnail: bool
    pdq: str | None
    exhibit_ids: set[int]
    labels: set[str]


def _new_items(
    session: Session, case: Case, actor_id: int, min_quality: int
) -> dict[int, _Candidate]:
    """The case's new media the actor has not graded, with the exhibits holding them."""
    graded_by_me = exists().where(Grade.media_id == Media.id, Grade.user_id == actor_id)
    classified = exists().where(NationalClassification.media_id == Media.id)
    rows = session.execute(
        select(
            Media.id,
            Media.mime,
            Media.width,
            Media.height,
            Media.size,
            Media.has_thumbnail,
            Media.pdq,
            Media.pdq_quality,
            Exhibit.id,
            Exhibit.label,
        )
        .join(Occurrence, Occurrence.media_id == Media.id)
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Exhibit.case_id == case.id, Media.triage_class == "new")
        .where(~graded_by_me, ~classified)
        .distinct()
    ).all()
    found: dict[int, _Candidate] = {}
    for mid, mime, width, height, size, thumb, pdq, quality, exhibit_id, label in rows:
        item = found.get(mid)
        if item is None:
            usable = pdq if (quality or 0) >= min_quality else None
            item = _Candidate(mid, mime, width, height, size, thumb, usable, set(), set())
            found[mid] = item
        item.exhibit_ids.add(exhibit_id)
        item.labels.add(label)
    return found


def _grade_counts(session: Session, media_ids: list[int]) -> dict[int, int]:
    if not media_ids:
        return {}
    rows = session.execute(
        select(Grade.media_id, func.count(distinct(Grade.user_id)))
        .where(Grade.media_id.in_(media_ids))
        .group_by(Grade.media_id)
    ).all()
    return {int(m): int(n) for m, n in rows}


def merge_groups(groups: list[list[int]], links: Sequence[Sequence[int]]) -> list[list[int]]:
    """``groups`` with every group that shares an id with one of ``links`` joined to it.

    ``links`` only join ids already in ``groups``; the result is in :func:`cluster`'s order.
    """
    if not links:
        return groups
    home = {i: k for k, g in enumerate(groups) for i in g}
    parent = list(range(len(groups)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        roots = sorted({find(home[i]) for i in link if i in home})
        for r in roots[1:]:
            parent[r] = roots[0]
    merged: dict[int, list[int]] = {}
    for k, g in enumerate(groups):
        merged.setdefault(find(k), []).extend(g)
    return sorted((sorted(g) for g in merged.values()), key=lambda g: g[0])


def rank_groups(
    candidates: dict[int, _Candidate],
    known_share: dict[int, float],
    threshold: int,
    linked_videos: Sequence[Sequence[int]] = (),
) -> list[tuple[float, float, list[int]]]:
    """Cluster and rank: ``(score, known share, media ids)``, best first.

    ``linked_videos`` are groups of linked videos (see :func:`video_groups`), merged in.
    """
    groups = cluster([(c.media_id, c.pdq) for c in candidates.values()], threshold)
    groups = merge_groups(groups, linked_videos)
    ranked = []
    for ids in groups:
        share = max(
            (known_share.get(e, 0.0) for i in ids for e in candidates[i].exhibit_ids),
            default=0.0,
        )
        ranked.append((len(ids) * (1.0 + share), share, ids))
    ranked.sort(key=lambda g: (-g[0], g[2][0]))
    return ranked


def review_queue(
    ctx: ServiceContext, case_number: str, *, offset: int = 0, options: QueueOptions | None = None
) -> ReviewQueue:
    """One page of the ranked review queue of a case (viewing it is audited).

    Raises:
        AccessDenied: not a member of the case, or not a role that may see media.
    """
    opts = options or QueueOptions()
    offset = max(0, offset)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_media_viewer(actor)
        candidates = _new_items(session, case, actor.id, opts.min_pdq_quality)
        videos = video_groups(session, sorted(candidates), opts.video_rule)
        ranked = rank_groups(candidates, _known_share(session, case), opts.pdq_threshold, videos)
        page = ranked[offset : offset + opts.groups_per_page]
        counts = _grade_counts(session, [i for _, _, ids in page for i in ids])
        groups = tuple(
            QueueGroup(
                ids[0],
                len(ids),
                round(share, 3),
                round(score, 3),
                tuple(_item(candidates[i], counts.get(i, 0)) for i in ids),
            )
            for score, share, ids in page
        )
        record(
            session,
            actor=actor.username,
            action="review.queue_view",
            object_type="case",
            object_id=case.number,
            case_number=case.number,
            clock=ctx.clock,
            details={"offset": offset, "groups": [g.group_id for g in groups]},
        )
        return ReviewQueue(
            case.number,
            case.title,
            case.scheme,
            shortcuts(case.scheme),
            len(candidates),
            len(ranked),
            offset,
            groups,
        )


def _item(c: _Candidate, grades: int) -> QueueItem:
    return QueueItem(
        c.media_id,
        c.mime,
        c.width,
        c.height,
        c.size,
        c.has_thumbnail,
        tuple(sorted(c.labels)),
        grades,
    )
