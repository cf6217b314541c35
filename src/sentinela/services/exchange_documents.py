"""Build export documents from the database: a case, or a selection of the national store.

The documents stream their records from the open session in chunks of
:data:`~sentinela.services.exchange_facts.CHUNK` media, so they must be written inside the
transaction that built them. :class:`Tally` is filled while the records are consumed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sentinela import __version__
from sentinela.db.cases import Case
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.media import Media
from sentinela.db.media import Occurrence as OccurrenceRow
from sentinela.db.users import User
from sentinela.db.workspace import NationalClassification
from sentinela.errors import InvalidInputError, UnknownNameError
from sentinela.formats.export_records import (
    CaseDocument,
    CaseSummary,
    CustodyRecord,
    ExhibitRecord,
    Producer,
)
from sentinela.formats.records import Category, HashRecord
from sentinela.hashsets.schemes import SchemeCatalogue
from sentinela.services.exchange_facts import (
    category_in,
    chunks,
    media_facts,
    media_record,
    national_of,
    occurrences_of,
    videos_of,
)

# Fixed namespace: a case's VICS CaseID is uuid5(namespace, case number), the same every time.
_CASE_NAMESPACE = uuid.UUID("3f5c2a1e-9b7d-5e40-8c61-2d4e6f7a8b90")

#: Maps a national category into the document's scheme: a category, ``None`` to leave the
#: item out on purpose. Unmapped categories are refused before any record is built.
Mapper = Callable[[Category], Category | None]


@dataclass
class Tally:
    """Counted while the records are consumed."""

    records: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)


def producer_for(actor: User) -> Producer:
    """The producer block for an export by ``actor``."""
    return Producer(
        application="Sentinela",
        version=__version__,
        organization=actor.unit,
        contact_name=actor.display_name or actor.username,
        contact_email=actor.email,
    )


def case_uuid(number: str) -> str:
    """The stable VICS ``CaseID`` of a case number."""
    return str(uuid.uuid5(_CASE_NAMESPACE, number))


def case_exhibits(session: Session, case: Case) -> list[ExhibitRecord]:
    """The case's exhibits with their custody, as recorded now (including this transaction)."""
    exhibits = list(
        session.execute(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.id))
        .scalars()
        .all()
    )
    events = session.execute(
        select(CustodyEvent)
        .where(CustodyEvent.exhibit_id.in_([e.id for e in exhibits]))
        .order_by(CustodyEvent.id)
    ).scalars()
    custody: dict[int, list[CustodyRecord]] = {}
    for event in events:
        custody.setdefault(event.exhibit_id, []).append(
            CustodyRecord(event.action, event.actor_name, event.occurred_at, event.note)
        )
    return [
        ExhibitRecord(
            label=e.label,
            kind=e.kind,
            digests={"md5": e.md5, "sha256": e.sha256},
            size=e.size_bytes,
            seized_from=e.seized_from,
            seized_at=e.seized_at,
            custody=tuple(custody.get(e.id, ())),
        )
        for e in exhibits
    ]


def case_media_ids(session: Session, case: Case) -> list[int]:
    """The ids of every media item the case holds, ascending."""
    return list(
        session.execute(
            select(OccurrenceRow.media_id)
            .join(Exhibit, Exhibit.id == OccurrenceRow.exhibit_id)
            .where(Exhibit.case_id == case.id)
            .distinct()
            .order_by(OccurrenceRow.media_id)
        ).scalars()
    )


def build_case_document(
    session: Session,
    case: Case,
    *,
    producer: Producer,
    created_at: datetime,
    catalogue: SchemeCatalogue,
    content_paths: dict[str, str] | None = None,
) -> tuple[CaseDocument, Tally]:
    """The case document of ``case``; its records stream from ``session``."""
    exhibits = case_exhibits(session, case)
    labels = dict(
        session.execute(select(Exhibit.id, Exhibit.label).where(Exhibit.case_id == case.id)).all()
    )
    total = session.execute(
        select(func.count(OccurrenceRow.id)).where(OccurrenceRow.exhibit_id.in_(list(labels)))
    ).scalar_one()
    seized = [e.seized_at for e in exhibits if e.seized_at is not None]
    tally = Tally()
    media_ids = case_media_ids(session, case)

    def records() -> Iterator[HashRecord]:
        for ids in chunks(media_ids):
            rows = {
                m.id: m for m in session.execute(select(Media).where(Media.id.in_(ids))).scalars()
            }
            facts = media_facts(session, ids)
            national = national_of(session, ids)
            found = occurrences_of(session, ids, labels)
            videos = videos_of(session, ids)
            for media_id in ids:
                nc = national.get(media_id)
                decided = Category(nc.scheme, nc.code) if nc is not None else None
                category, unmapped = _category(
                    catalogue, case.scheme, decided, facts[media_id].known_categories
                )
                if unmapped is not None:
                    tally.unmapped[str(unmapped)] += 1
                tally.records += 1
                yield media_record(
                    rows[media_id],
                    category=category,
                    facts=facts[media_id],
                    occurrences=found.get(media_id, []),
                    updated_at=nc.decided_at if nc is not None else None,
                    vpdq=videos.get(media_id),
                )

    summary = CaseSummary(
        case_id=case_uuid(case.number),
        number=case.number,
        title=case.title,
        unit=case.unit,
        scheme=case.scheme,
        total_media_files=int(total),
        seizure_date=min(seized) if seized else None,
    )
    document = CaseDocument(
        case=summary,
        exhibits=tuple(exhibits),
        records=records(),
        producer=producer,
        created_at=created_at,
        content_paths=content_paths or {},
    )
    return document, tally


def _category(
    catalogue: SchemeCatalogue, scheme: str, national: Category | None, known: tuple[Category, ...]
) -> tuple[Category | None, Category | None]:
    try:
        return category_in(catalogue, scheme, national, known)
    except (InvalidInputError, UnknownNameError):
        return None, national or (known[0] if known else None)


@dataclass(frozen=True)
class Selection:
    """Which national classifications an export or feed takes.

    Attributes:
        scheme: only classifications in this scheme (``None``: every scheme).
        codes: only these codes (empty: every code).
        since, until: only decisions in ``[since, until)``.
    """

    scheme: str | None = None
    codes: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    def where(self, query: Select[Any]) -> Select[Any]:
        """``query`` with this selection's conditions."""
        nc = NationalClassification
        if self.scheme is not None:
            query = query.where(nc.scheme == self.scheme)
        if self.codes:
            query = query.where(nc.code.in_(self.codes))
        if self.since is not None:
            query = query.where(nc.decided_at >= self.since)
        if self.until is not None:
            query = query.where(nc.decided_at < self.until)
        return query


def national_categories(session: Session, selection: Selection) -> Counter[Category]:
    """How many selected classifications each category has (to list the unmapped ones)."""
    nc = NationalClassification
    query = selection.where(select(nc.id)).with_only_columns(nc.scheme, nc.code, func.count(nc.id))
    rows = session.execute(query.group_by(nc.scheme, nc.code)).all()
    return Counter({Category(scheme, code): int(count) for scheme, code, count in rows})


def national_records(
    session: Session, selection: Selection, mapper: Mapper, tally: Tally
) -> Iterator[HashRecord]:
    """The selected national classifications as records, ordered by media id.

    Items whose category ``mapper`` maps to ``None`` are left out.
    """
    nc = NationalClassification
    query = selection.where(select(nc.media_id)).order_by(nc.media_id)
    ids = [int(media_id) for media_id in session.execute(query).scalars()]
    for chunk in chunks(ids):
        rows = {
            m.id: m for m in session.execute(select(Media).where(Media.id.in_(chunk))).scalars()
        }
        facts = media_facts(session, chunk)
        national = national_of(session, chunk)
        videos = videos_of(session, chunk)
        for media_id in chunk:
            decision = national[media_id]
            category = mapper(Category(decision.scheme, decision.code))
            if category is None:
                continue
            tally.records += 1
            yield media_record(
                rows[media_id],
                category=category,
                facts=facts[media_id],
                updated_at=decision.decided_at,
                vpdq=videos.get(media_id),
            )
