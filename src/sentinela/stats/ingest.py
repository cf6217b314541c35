"""Media ingested, distinct media, the share known at ingest, and the share never shown.

"Known at ingest" is decided from the hash-set entries' own lifetimes, not from the media's
current triage class: a file counts as known at ingest when, at the instant it was ingested,
the store held a live entry that the file's content matches. That makes the figure the same
whenever it is recomputed, and it handles entries that come and go: a hash removed from a set
before a file was ingested does not make that file known; one removed afterwards does not
undo it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.workspace import ExposureEvent
from sentinela.stats.arithmetic import share
from sentinela.stats.catalogue import Change, Definition, Metric
from sentinela.stats.ingest_files import IngestedFile, ingested_files, media_in_scope
from sentinela.stats.period import Scope
from sentinela.stats.results import Cell, ChartSpec, Column, Figure, MetricResult, Table

TOTAL = "(all units)"


@dataclass
class _Tally:
    """What one unit (or the country) ingested."""

    files: int = 0
    categorised: int = 0
    benign: int = 0
    media: set[int] = field(default_factory=set)
    first_seen: set[int] = field(default_factory=set)
    known_media: set[int] = field(default_factory=set)

    def add(self, f: IngestedFile) -> None:
        self.files += 1
        self.media.add(f.media_id)
        if f.first_seen:
            self.first_seen.add(f.media_id)
        if f.known is not None:
            self.known_media.add(f.media_id)
            self.categorised += f.known == "categorised"
            self.benign += f.known == "benign"

    def row(self, unit: str) -> tuple[Cell, ...]:
        known = self.categorised + self.benign
        return (
            unit,
            self.files,
            len(self.media),
            len(self.first_seen),
            self.categorised,
            self.benign,
            self.files - known,
            share(known, self.files),
            len(self.known_media),
        )


def _tallies(
    session: Session, scope: Scope, *, with_known: bool = True
) -> tuple[dict[str, _Tally], _Tally]:
    units: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for f in ingested_files(session, scope, with_known=with_known):
        units[f.unit].add(f)
        total.add(f)
    return units, total


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
        "ingest: files whose content matched an entry of a categorised set, else of a benign "
        "set, that was live when the file was ingested: entry added at or before that "
        "instant, and neither the entry nor its set removed by then. A match is an equal "
        "SHA-256, SHA-1 or MD5, or a near match (PDQ) recorded by the matcher by the as-of "
        "instant. National classifications count as a categorised set. The share known at "
        "ingest is known files / files: the material nobody had to look at.",
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
            "A near (PDQ) match whose evidence row a later re-triage deleted, because its "
            "entry was removed, no longer counts for files ingested while the entry was live "
            "(exact matches are unaffected): match evidence keeps no history.",
        ),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        units, total = _tallies(session, scope)
        rows = tuple(units[u].row(u) for u in sorted(units))
        t = total.row(TOTAL)
        return self.result(
            scope,
            [
                Figure("files", "Files ingested", t[1]),
                Figure("distinct_media", "Distinct media", t[2]),
                Figure("new_to_store", "New to the national store", t[3]),
                Figure("share_known", "Share known at ingest", t[7], "share"),
                Figure(
                    "share_known_media",
                    "Share of distinct media known",
                    share(len(total.known_media), len(total.media)),
                    "share",
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
        units, total = _tallies(session, scope, with_known=False)
        shown: dict[int, bool] = {}  # media id -> revealed at least once
        wanted = media_in_scope(scope).subquery()
        query = (
            select(ExposureEvent.media_id, ExposureEvent.mode)
            .join(wanted, wanted.c.media_id == ExposureEvent.media_id)
            .where(ExposureEvent.shown_at <= scope.as_of)
        )
        for media_id, mode in session.execute(query):
            shown[int(media_id)] = shown.get(int(media_id), False) or mode == "revealed"

        def row(unit: str, tally: _Tally) -> tuple[Cell, ...]:
            seen = [m for m in tally.media if m in shown]
            never = len(tally.media) - len(seen)
            revealed = sum(1 for m in seen if shown[m])
            return (
                unit,
                len(tally.media),
                len(seen),
                revealed,
                never,
                share(never, len(tally.media)),
            )

        rows = tuple(row(u, units[u]) for u in sorted(units))
        t = row(TOTAL, total)
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
