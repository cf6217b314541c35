"""What the store says about a media item, turned into the records exporters write.

This is the one place that decides, for exports and feeds, an item's category, series and
victim/offender flags, so a VICS case export, a CASE/UCO graph and an ICSE feed never
disagree about the same item:

* **category**: the national classification (consensus or adjudication) when there is one,
  else the category of a known hash set the item matched; mapped into the wanted scheme only
  through a reviewed table (:meth:`SchemeCatalogue.map_category`), never guessed;
* **series, victim identified, offender identified**: the victim-identification links (a
  series, victim or offender linked to the media item; a victim counts as identified once its
  identification is recorded), else the flags of a matched known hash;
* **distributed**: the flag of a matched known hash;
* **vpdq**: a video's vPDQ fingerprint (:class:`~sentinela.db.video.VideoFingerprint`), with
  its ``vpdq`` digest, for the formats that carry it.

Nothing here checks permissions or writes: the calling service has done the first and owns
the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import KnownHash, MediaMatch
from sentinela.db.media import Media
from sentinela.db.media import Occurrence as OccurrenceRow
from sentinela.db.victim_id import Offender, Series, Victim, VictimIdLink
from sentinela.db.video import VideoFingerprint
from sentinela.db.workspace import NationalClassification
from sentinela.errors import FormatError, InvalidHashError
from sentinela.formats.records import (
    Category,
    HashRecord,
    Occurrence,
    normalise_digest,
    vpdq_digest,
)
from sentinela.hashsets.schemes import SchemeCatalogue
from sentinela.video.vpdq_format import read_vpdq, write_vpdq

CHUNK = 500
T = TypeVar("T")
MEDIA_TYPES = frozenset({"image", "video"})


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """Series and flags of one media item (``None`` = not known)."""

    series: str | None = None
    victim_identified: bool | None = None
    offender_identified: bool | None = None
    distributed: bool | None = None
    known_categories: tuple[Category, ...] = ()


def iso(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 with ``Z``; ``None`` stays ``None``."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``size`` (keeps ``IN`` clauses bounded)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _linked(session: Session, kind: str, ids: list[int]) -> list[tuple[int, int]]:
    rows = session.execute(
        select(VictimIdLink.target_id, VictimIdLink.subject_id)
        .where(
            VictimIdLink.subject_kind == kind,
            VictimIdLink.target_kind == "media",
            VictimIdLink.target_id.in_(ids),
        )
        .order_by(VictimIdLink.id)
    ).all()
    return [(int(target), int(subject)) for target, subject in rows]


def media_facts(session: Session, ids: list[int]) -> dict[int, MediaFacts]:
    """Series, flags and known categories of the media ``ids`` (one bounded chunk)."""
    series: dict[int, str] = {}
    series_links = _linked(session, "series", ids)
    names = dict(
        session.execute(
            select(Series.id, Series.name).where(Series.id.in_({s for _, s in series_links}))
        ).all()
    )
    for media_id, series_id in series_links:
        series.setdefault(media_id, names[series_id])
    victims: dict[int, bool] = {}
    victim_links = _linked(session, "victim", ids)
    identified = {
        v.id: v.identification is not None
        for v in session.execute(
            select(Victim).where(Victim.id.in_({s for _, s in victim_links}))
        ).scalars()
    }
    for media_id, victim_id in victim_links:
        victims[media_id] = victims.get(media_id, False) or identified[victim_id]
    offenders: dict[int, bool] = {}
    offender_links = _linked(session, "offender", ids)
    known_as = dict(
        session.execute(
            select(Offender.id, Offender.known_as).where(
                Offender.id.in_({s for _, s in offender_links})
            )
        ).all()
    )
    for media_id, offender_id in offender_links:
        offenders[media_id] = offenders.get(media_id, False) or bool(known_as[offender_id])
    matched: dict[int, list[KnownHash]] = {}
    for media_id, known in session.execute(
        select(MediaMatch.media_id, KnownHash)
        .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
        .where(MediaMatch.media_id.in_(ids), KnownHash.removed_at.is_(None))
        .order_by(KnownHash.id)
    ).all():
        matched.setdefault(int(media_id), []).append(known)
    facts = {}
    for media_id in ids:
        rows = matched.get(media_id, [])
        facts[media_id] = MediaFacts(
            series=series.get(media_id) or _first(r.series for r in rows),
            victim_identified=victims.get(media_id, _first(r.victim_identified for r in rows)),
            offender_identified=offenders.get(
                media_id, _first(r.offender_identified for r in rows)
            ),
            distributed=_first(r.distributed for r in rows),
            known_categories=tuple(
                Category(r.category_scheme, r.category_code)
                for r in rows
                if r.category_scheme and r.category_code
            ),
        )
    return facts


def _first(values: Iterable[T | None]) -> T | None:
    return next((v for v in values if v is not None), None)


def category_in(
    catalogue: SchemeCatalogue,
    scheme: str,
    national: Category | None,
    known: tuple[Category, ...],
) -> tuple[Category | None, Category | None]:
    """The item's category in ``scheme``, and the category that could not be mapped.

    Returns:
        ``(category, unmapped)``: the national classification (else the first matched known
        category) mapped into ``scheme``; when the chosen category has no reviewed mapping,
        ``(None, that category)``.
    """
    chosen = national or (known[0] if known else None)
    if chosen is None:
        return None, None
    for candidate in (national, *known):
        if candidate is None:
            continue
        mapped = catalogue.map_category(candidate, scheme)
        if mapped is not None:
            return mapped, None
    return None, chosen


def digests_of(media: Media) -> dict[str, str]:
    """The media item's digests; a malformed stored PDQ is left out rather than exported."""
    digests = {"md5": media.md5, "sha1": media.sha1, "sha256": media.sha256}
    if media.pdq:
        try:
            digests["pdq"] = normalise_digest("pdq", media.pdq)
        except InvalidHashError:
            pass
    return digests


def videos_of(session: Session, ids: list[int]) -> dict[int, str]:
    """The canonical vPDQ text of the fingerprinted videos among media ``ids``.

    A fingerprint that no longer parses is left out rather than exported.
    """
    found: dict[int, str] = {}
    rows = session.execute(
        select(VideoFingerprint.media_id, VideoFingerprint.vpdq).where(
            VideoFingerprint.media_id.in_(ids), VideoFingerprint.frame_count > 0
        )
    )
    for media_id, text in rows:
        try:
            found[int(media_id)] = write_vpdq(read_vpdq(str(text)))
        except FormatError:
            continue
    return found


def occurrences_of(
    session: Session, ids: list[int], labels: dict[int, str]
) -> dict[int, list[Occurrence]]:
    """The occurrences of media ``ids`` in the exhibits ``labels`` (exhibit id -> label)."""
    found: dict[int, list[Occurrence]] = {}
    rows = session.execute(
        select(OccurrenceRow)
        .where(OccurrenceRow.media_id.in_(ids), OccurrenceRow.exhibit_id.in_(list(labels)))
        .order_by(OccurrenceRow.exhibit_id, OccurrenceRow.id)
    ).scalars()
    for row in rows:
        found.setdefault(row.media_id, []).append(
            Occurrence(
                file_path=row.path,
                file_name=PurePosixPath(row.path).name or None,
                source_id=labels[row.exhibit_id],
                created=iso(row.crtime),
                written=iso(row.mtime),
                accessed=iso(row.atime),
                deleted=row.deleted,
            )
        )
    return found


def national_of(session: Session, ids: list[int]) -> dict[int, NationalClassification]:
    """The national classifications of media ``ids``."""
    rows = session.execute(
        select(NationalClassification).where(NationalClassification.media_id.in_(ids))
    ).scalars()
    return {row.media_id: row for row in rows}


def media_record(
    media: Media,
    *,
    category: Category | None,
    facts: MediaFacts,
    occurrences: list[Occurrence] | tuple[Occurrence, ...] = (),
    updated_at: datetime | None = None,
    digests: dict[str, str] | None = None,
    vpdq: str | None = None,
) -> HashRecord:
    """The exchange record of one media item (``vpdq``: its canonical fingerprint text)."""
    baseline = None
    if category is not None and category.scheme == "interpol_baseline":
        baseline = category.code == "baseline"
    values = dict(digests) if digests is not None else digests_of(media)
    if vpdq is not None:
        values["vpdq"] = vpdq_digest(vpdq)
    return HashRecord(
        digests=values,
        position=f"media {media.id}",
        category=category,
        series=facts.series,
        victim_identified=facts.victim_identified,
        offender_identified=facts.offender_identified,
        baseline=baseline,
        distributed=facts.distributed,
        size=media.size,
        mime=media.mime or None,
        media_type=media.family if media.family in MEDIA_TYPES else None,
        source_id=str(media.id),
        updated_at=iso(updated_at),
        occurrences=tuple(occurrences),
        vpdq=vpdq,
    )
