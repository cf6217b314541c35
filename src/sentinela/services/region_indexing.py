"""Building the region index from the vault, and topping it up with new media.

The database is the source of truth for which media exist; the vault holds their pixels
(the original when it was stored, else the thumbnail). Each image still missing from the index
is decrypted in memory, decoded safely, and its ORB keypoints are added; nothing is written to
disk but the index itself (:mod:`sentinela.visual.region_index`). Images that cannot be decoded
are counted and skipped, never fatal: one corrupt item must not stop a national rebuild.

Building reads the pixels of every item without showing them to anyone, so it is a system
task: administrators run it (``sentinela victim-id index-regions``), and it is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from sentinela.audit import record
from sentinela.db.media import Media
from sentinela.errors import NotFoundError, UnsupportedMediaError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role
from sentinela.services.visual_search import load_region_index, region_index_dir, stored_pixels
from sentinela.visual.features import INDEX_FEATURES, Features, extract, upright_grey
from sentinela.visual.region_index import MIN_IVF_ROWS, RegionIndex


@dataclass(frozen=True)
class IndexingReport:
    """What one run of :func:`index_regions` did."""

    added_images: int
    added_keypoints: int
    without_keypoints: int
    undecodable: int
    indexed_images: int
    kind: str


def index_regions(
    ctx: ServiceContext, *, rebuild: bool = False, n_features: int = INDEX_FEATURES
) -> IndexingReport:
    """Add every stored image not yet in the region index (or rebuild it), then save it.

    Args:
        ctx: acting as an administrator.
        rebuild: start from an empty index (after changing ``n_features``, for example).
        n_features: keypoints kept per image.

    Raises:
        AccessDenied: the actor is not an administrator.
    """
    directory = region_index_dir(ctx.settings)
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        rows = list(
            session.execute(
                select(Media)
                .where(Media.family == "image", or_(Media.vault_stored, Media.has_thumbnail))
                .order_by(Media.id)
            ).scalars()
        )
        session.expunge_all()
    index = None if rebuild else load_region_index(directory)
    done = index.media_ids() if index is not None else set()
    items: list[tuple[int, Features]] = []
    empty = broken = 0
    for media in rows:
        if media.id in done:
            continue
        try:
            grey, _ = upright_grey(stored_pixels(ctx.settings, media))
        except (UnsupportedMediaError, NotFoundError):
            broken += 1
            continue
        found = extract(grey, n_features=n_features)
        if len(found):
            items.append((media.id, found))
        else:
            empty += 1
    if index is None:
        index = RegionIndex.build(items)
    elif index.kind == "flat" and len(index) + sum(len(f) for _, f in items) >= MIN_IVF_ROWS:
        # Grown past what an exhaustive index serves well: rebuild as an inverted file.
        return index_regions(ctx, rebuild=True, n_features=n_features)
    else:
        index.add(items)
    index.save(directory)
    report = IndexingReport(
        len(items),
        sum(len(f) for _, f in items),
        empty,
        broken,
        len(index.media_ids()),
        index.kind,
    )
    with ctx.transaction() as session:
        record(
            session,
            actor=ctx.actor(session).username,
            action="visual.index_regions",
            object_type="index",
            object_id="regions",
            clock=ctx.clock,
            details={
                "added_images": report.added_images,
                "added_keypoints": report.added_keypoints,
                "undecodable": broken,
                "rebuild": rebuild,
            },
        )
    return report
