"""Media ingested, distinct media, the share known at ingest, and the share never shown.

"Known at ingest" is decided from the hash-set entries' own lifetimes, not from the media's
current triage class: a file counts as known at ingest when, at the instant it was ingested,
the store held a live entry that the file's content matches. That makes the figure the same
whenever it is recomputed, and it handles entries that come and go: a hash removed from a set
before a file was ingested does not make that file known; one removed afterwards does not
undo it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import Media, Occurrence
from sentinela.db.workspace import ExposureEvent
from sentinela.stats.arithmetic import share
from sentinela.stats.catalogue import Change, Definition, Metric, in_window
from sentinela.stats.period import Scope
from sentinela.stats.results import ChartSpec, Column, Figure, MetricResult, Table

TOTAL = "(all units)"


def _known_at_ingest(kind: str, scope: Scope) -> Any:
    """SQL: the occurrence's media matched an entry of a ``kind`` set that was live when the
    occurrence was ingested (and the match was recorded by the as-of instant)."""
    found = Occurrence.found_at
    return exists().where(
        MediaMatch.media_id == Occurrence.media_id,
        MediaMatch.matched_at <= scope.as_of,
        KnownHash.id == MediaMatch.known_hash_id,
        HashSet.id == KnownHash.hash_set_id,
        HashSet.kind == kind,
        KnownHash.added_at <= found,
        or_(KnownHash.removed_at.is_(None), KnownHash.removed_at > found),
        or_(HashSet.removed_at.is_(None), HashSet.removed_at > found),
    )


def ingested_files(scope: Scope) -> Select[Any]:
    """One row per file ingested in the scope: id, media, unit, and its flags at ingest."""
    categorised = _known_at_ingest("categorised", scope)
    benign = _known_at_ingest("benign", scope)
    query = (
        select(
            Occurrence.id.label("occurrence_id"),
            Occurrence.media_id.label("media_id"),
            Case.unit.label("unit"),
            case((categorised, 1), else_=0).label("categorised"),
            case((and_(~categorised, benign), 1), else_=0).label("benign"),
            case((in_window(Media.first_seen_at, scope), 1), else_=0).label("first_seen"),
        )
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .join(Case, Case.id == Exhibit.case_id)
        .join(Media, Media.id == Occurrence.media_id)
        .where(in_window(Occurrence.found_at, scope))
    )
    if scope.unit is not None:
        query = query.where(Case.unit == scope.unit)
    return query


class MediaIngested(Metric):
    """Files ingested, distinct media, media new to the store, and the share known at ingest."""

    name = "media_ingested"
    definition = Definition(
        title="Media ingested and known at ingest",
        family="ingest",
        version=1,
        counts="Files: every occurrence (a file at one path in one exhibit) ingested. "
        "Distinct media: different contents (SHA-256) among those files. New to the store: "
        "distinct media first seen anywhere in the country during the period. Known at "
        "ingest: files whose content matched (exactly or by PDQ, as recorded by the matcher) "
        "an entry of a categorised set, else of a benign set, that was live when the file "
        "was ingested: entry added at or before that instant, and neither the entry nor its "
        "set removed by then. National classifications count as a categorised set. The "
        "share known at ingest is known files / files: the material nobody had to look at.",
        date_basis="The time the file was ingested (the occurrence's found_at). For "
        "'known at ingest', the entry's added and removed times are compared with it.",
        deduplication="Files are not deduplicated (ten copies are ten files); distinct media "
        "count each SHA-256 once. A file matching both a categorised and a benign entry is "
        "categorised.",
        unit="The unit of the case that holds the exhibit.",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=(
            "An entry removed from a set and later added again keeps its first added time and "
            "loses the gap (hash-set entries keep no history), so files ingested during the "
            "gap count as known.",
        ),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        files = ingested_files(scope).subquery()
        known = files.c.categorised + files.c.benign
        aggregates = (
            func.count(files.c.occurrence_id),
            func.count(distinct(files.c.media_id)),
            func.count(distinct(case((files.c.first_seen == 1, files.c.media_id)))),
            func.coalesce(func.sum(files.c.categorised), 0),
            func.coalesce(func.sum(files.c.benign), 0),
            func.count(distinct(case((known == 1, files.c.media_id)))),
        )
        per_unit = session.execute(
            select(files.c.unit, *aggregates).group_by(files.c.unit).order_by(files.c.unit)
        ).all()
        total = session.execute(select(*aggregates)).one()

        def row(unit: str, values: Any) -> tuple[Any, ...]:
            n, media, new, cat, ben, known_media = (int(v) for v in values)
            return (unit, n, media, new, cat, ben, n - cat - ben, share(cat + ben, n), known_media)

        rows = tuple(row(str(r[0]), r[1:]) for r in per_unit)
        t = row(TOTAL, total)
        return self.result(
            scope,
            [
                Figure("files", "Files ingested", t[1]),
                Figure("distinct_media", "Distinct media", t[2]),
                Figure("new_to_store", "New to the national store", t[3]),
                Figure("share_known", "Share known at ingest", t[7], "share"),
                Figure(
                    "share_known_media", "Share of distinct media known", share(t[8], t[2]), "share"
                ),
            ],
            [
                Table(
                    "by_unit",
                    "Files ingested by unit, and what was known at ingest",
                    (
                        Column("unit", "Unit", "text"),
                        Column("files", "Files"),
                        Column("distinct_media", "Distinct media"),
                        Column("new_to_store", "New to the store"),
                        Column("known_categorised", "Known categorised at ingest"),
                        Column("known_benign", "Known benign at ingest"),
                        Column("new_at_ingest", "Not known at ingest"),
                        Column("share_known", "Share known at ingest", "share"),
                        Column("distinct_media_known", "Distinct media known at ingest"),
                    ),
                    (*rows, t) if rows else (),
                    ChartSpec(
                        "hbar",
                        "unit",
                        ("known_categorised", "known_benign", "new_at_ingest"),
                        "files",
                    ),
                    has_total=bool(rows),
                ),
            ],
        )


class MediaNeverShown(Metric):
    """Distinct media ingested in the period that no one was ever shown."""

    name = "media_never_shown"
    definition = Definition(
        title="Media never shown to a person",
        family="ingest",
        version=1,
        counts="Distinct media with at least one file ingested in the period; 'shown' are "
        "those with at least one entry in the exposure ledger (blurred preview or revealed, "
        "to anyone, in any case, at any time up to the as-of instant); 'never shown' are "
        "the rest. 'Revealed' counts media revealed in the clear at least once.",
        date_basis="Ingest time of the files (occurrence found_at) places a media item in "
        "the period; exposure is counted up to the as-of instant, also after the period.",
        deduplication="Each media item (SHA-256) counts once however many files or displays "
        "it has.",
        unit="The unit of the case holding the file; a media item held by two units counts "
        "once in each unit and once in the total.",
        history=(Change(1, "2026-11-29", "First definition."),),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        files = ingested_files(scope).subquery()
        shown = exists().where(
            ExposureEvent.media_id == files.c.media_id, ExposureEvent.shown_at <= scope.as_of
        )
        revealed = exists().where(
            ExposureEvent.media_id == files.c.media_id,
            ExposureEvent.shown_at <= scope.as_of,
            ExposureEvent.mode == "revealed",
        )
        aggregates = (
            func.count(distinct(files.c.media_id)),
            func.count(distinct(case((shown, files.c.media_id)))),
            func.count(distinct(case((revealed, files.c.media_id)))),
        )
        per_unit = session.execute(
            select(files.c.unit, *aggregates).group_by(files.c.unit).order_by(files.c.unit)
        ).all()
        total = session.execute(select(*aggregates)).one()

        def row(unit: str, media: int, shown_n: int, revealed_n: int) -> tuple[Any, ...]:
            never = media - shown_n
            return (unit, media, shown_n, revealed_n, never, share(never, media))

        rows = tuple(row(str(u), int(a), int(b), int(c)) for u, a, b, c in per_unit)
        t = row(TOTAL, *(int(v) for v in total))
        return self.result(
            scope,
            [
                Figure("distinct_media", "Distinct media ingested", t[1]),
                Figure("never_shown", "Never shown to anyone", t[4]),
                Figure("share_never_shown", "Share never shown", t[5], "share"),
                Figure("revealed", "Revealed at least once", t[3]),
            ],
            [
                Table(
                    "by_unit",
                    "Distinct media ingested by unit, shown and never shown",
                    (
                        Column("unit", "Unit", "text"),
                        Column("distinct_media", "Distinct media"),
                        Column("shown", "Shown (blurred or revealed)"),
                        Column("revealed", "Revealed"),
                        Column("never_shown", "Never shown"),
                        Column("share_never_shown", "Share never shown", "share"),
                    ),
                    (*rows, t) if rows else (),
                    ChartSpec("hbar", "unit", ("shown", "never_shown"), "distinct media"),
                    has_total=bool(rows),
                ),
            ],
        )
