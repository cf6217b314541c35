"""Triage: put every media item in one class, with the evidence for it.

* **known_categorised**: a match (exact, PDQ within the set's threshold, or a video by vPDQ's
  rule) to an entry whose category is a categorised code, or to an uncategorised entry of a
  categorised set;
* **known_benign**: only matches to benign entries (NSRL, non-pertinent codes, benign sets);
* **new**: no match.

Categorised wins over benign: an item that is both in NSRL and in a national set is
categorised. The evidence is stored as ``media_matches`` rows (set entry, hash type, distance,
method); the item's whole *known status* (class, and for each matching entry its set,
category, series and flags) is kept in ``triage_states``, and every change of it is logged in
``triage_changes`` with its cause, which is what ``sentinela match --all`` reports.

:func:`retriage_media` is the entry point the rest of the platform calls (the web workspace
calls it after a national classification, inside its own transaction); the ``match_*``
functions are the audited services behind ``sentinela match``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sentinela.clock import Clock
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch, TriageState
from sentinela.db.hashsets import TriageChange as ChangeRow
from sentinela.db.media import Media
from sentinela.errors import InvalidInputError, UnknownNameError
from sentinela.hashsets.schemes import Category, SchemeCatalogue, default_catalogue
from sentinela.services.known_match import Evidence, Matcher, chunks
from sentinela.services.match_resources import MatchResources, resources_for_session

#: Media triaged per batch (one matcher query round).
BATCH = 1000
NEW = "new"
CATEGORISED = "known_categorised"
BENIGN = "known_benign"
_FLAGS = ("victim_identified", "offender_identified", "baseline", "distributed")


@dataclass(frozen=True)
class TriageChange:
    """One item whose known status changed."""

    media_id: int
    old_class: str
    new_class: str
    old_status: dict[str, Any]
    new_status: dict[str, Any]


def canonical(status: dict[str, Any]) -> str:
    """The status as canonical JSON (sorted keys, no spaces)."""
    return json.dumps(status, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def new_status() -> dict[str, Any]:
    """The status of an item with no evidence."""
    return {"class": NEW, "evidence": []}


def entry_class(kind: str, scheme: str | None, code: str | None, catalogue: SchemeCatalogue) -> str:
    """The triage class one matching entry gives (see the module docstring)."""
    if scheme and code:
        try:
            triage = catalogue.validate(Category(scheme, code)).triage_class
        except (InvalidInputError, UnknownNameError):
            triage = None
        if triage == "categorised":
            return CATEGORISED
        if triage in ("benign", "non_pertinent"):
            return BENIGN
    return BENIGN if kind == "benign" else CATEGORISED


def status_of(
    evidence: Sequence[Evidence],
    entries: dict[int, tuple[KnownHash, HashSet]],
    catalogue: SchemeCatalogue,
) -> dict[str, Any]:
    """The known status that ``evidence`` establishes."""
    lines: dict[str, dict[str, Any]] = {}
    classes = set()
    for e in evidence:
        known, hs = entries[e.known_hash_id]
        classes.add(entry_class(hs.kind, known.category_scheme, known.category_code, catalogue))
        category = f"{known.category_scheme}:{known.category_code}" if known.category_code else None
        line = {"set": hs.name, "category": category, "series": known.series}
        line.update({flag: getattr(known, flag) for flag in _FLAGS})
        lines[canonical(line)] = line
    if not classes:
        return new_status()
    cls = CATEGORISED if CATEGORISED in classes else BENIGN
    return {"class": cls, "evidence": [lines[k] for k in sorted(lines)]}


def retriage_media(
    session: Session,
    media_ids: list[int] | None,
    *,
    clock: Clock,
    cause: str = "retriage",
    resources: MatchResources | None = None,
) -> list[TriageChange]:
    """Match the given media (every item when ``None``) again and store the outcome.

    Runs in the caller's transaction; the caller writes the audit event.

    Returns:
        The items whose known status changed.
    """
    matcher = Matcher(session, resources or resources_for_session(session))
    catalogue = default_catalogue()
    changes: list[TriageChange] = []
    for batch in _batches(session, media_ids):
        evidence = matcher.match(batch)
        changes += _store(session, batch, evidence, catalogue, clock, cause)
    session.flush()
    return changes


def _batches(session: Session, media_ids: list[int] | None) -> Iterator[list[Media]]:
    if media_ids is not None:
        for part in chunks(sorted(set(media_ids)), BATCH):
            query = select(Media).where(Media.id.in_(part)).order_by(Media.id)
            yield list(session.execute(query).scalars())
        return
    last = 0
    while True:
        query = select(Media).where(Media.id > last).order_by(Media.id).limit(BATCH)
        batch = list(session.execute(query).scalars())
        if not batch:
            return
        yield batch
        last = batch[-1].id


def _store(
    session: Session,
    batch: list[Media],
    evidence: dict[int, list[Evidence]],
    catalogue: SchemeCatalogue,
    clock: Clock,
    cause: str,
) -> list[TriageChange]:
    ids = [m.id for m in batch]
    known_ids = sorted({e.known_hash_id for ev in evidence.values() for e in ev})
    entries: dict[int, tuple[KnownHash, HashSet]] = {}
    for part in chunks(known_ids):
        rows = session.execute(
            select(KnownHash, HashSet)
            .join(HashSet, HashSet.id == KnownHash.hash_set_id)
            .where(KnownHash.id.in_(part))
        )
        entries.update({k.id: (k, hs) for k, hs in rows})
    existing: dict[int, dict[int, MediaMatch]] = {i: {} for i in ids}
    states: dict[int, TriageState] = {}
    for part in chunks(ids):
        matches = session.execute(select(MediaMatch).where(MediaMatch.media_id.in_(part)))
        for match in matches.scalars():
            existing[match.media_id][match.known_hash_id] = match
        held = session.execute(select(TriageState).where(TriageState.media_id.in_(part)))
        states.update({state.media_id: state for state in held.scalars()})
    now = clock()
    changes: list[TriageChange] = []
    for media in batch:
        found = evidence.get(media.id, [])
        _store_matches(session, media.id, found, existing[media.id], now)
        status = status_of(found, entries, catalogue)
        change = _store_status(session, media, status, states.get(media.id), now, cause)
        if change is not None:
            changes.append(change)
    return changes


def _store_matches(
    session: Session,
    media_id: int,
    found: list[Evidence],
    old: dict[int, MediaMatch],
    now: Any,
) -> None:
    wanted = {e.known_hash_id: e for e in found}
    stale = [m.id for known_id, m in old.items() if known_id not in wanted]
    if stale:
        session.execute(delete(MediaMatch).where(MediaMatch.id.in_(stale)))
    for known_id, e in wanted.items():
        row = old.get(known_id)
        if row is None:
            session.add(
                MediaMatch(
                    media_id=media_id,
                    known_hash_id=known_id,
                    hash_type=e.hash_type,
                    distance=e.distance,
                    method=e.method,
                    matched_at=now,
                    query_percent=e.query_percent,
                    index_percent=e.index_percent,
                )
            )
        elif _match_key(row) != _evidence_key(e):
            row.hash_type, row.distance, row.method = e.hash_type, e.distance, e.method
            row.query_percent, row.index_percent = e.query_percent, e.index_percent
            row.matched_at = now


def _match_key(row: MediaMatch) -> tuple[Any, ...]:
    return (row.hash_type, row.distance, row.method, row.query_percent, row.index_percent)


def _evidence_key(e: Evidence) -> tuple[Any, ...]:
    return (e.hash_type, e.distance, e.method, e.query_percent, e.index_percent)


def _store_status(
    session: Session,
    media: Media,
    status: dict[str, Any],
    state: TriageState | None,
    now: Any,
    cause: str,
) -> TriageChange | None:
    text = canonical(status)
    digest = hashlib.sha256(text.encode()).hexdigest()
    old_status = json.loads(state.status) if state is not None else new_status()
    old_class = media.triage_class or NEW
    if state is None:
        session.add(TriageState(media_id=media.id, status=text, digest=digest, updated_at=now))
    elif state.digest != digest:
        state.status, state.digest, state.updated_at = text, digest, now
    if media.triage_at is None:
        media.triage_at = now
    changed = old_class != status["class"] or canonical(old_status) != text
    if not changed:
        return None
    media.triage_class = status["class"]
    media.triage_at = now
    session.add(
        ChangeRow(
            media_id=media.id,
            changed_at=now,
            cause=cause[:200],
            old_class=old_class,
            new_class=status["class"],
            old_status=canonical(old_status),
            new_status=text,
        )
    )
    return TriageChange(media.id, old_class, status["class"], old_status, status)
