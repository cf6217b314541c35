"""Collect the examination report of a case from the database, and nothing else.

Why only the database: the report is an expert report that a court relies on, so it must be
reproducible. Every value comes from stored rows (times included: the report is dated by the
latest time among the facts it states, never by the clock), every list has a total order, and
the same database therefore yields byte-identical files.

The document is plain JSON values (:data:`FORMAT`, :data:`FORMAT_VERSION`); the HTML and CSV
renderings are made from it (:mod:`.render`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela import __version__
from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.jobs import IngestJob
from sentinela.db.media import EntryError, Media, Occurrence
from sentinela.hashsets.schemes import default_catalogue
from sentinela.reports.evidence import hash_sets_used, item_evidence

FORMAT = "sentinela-examination-report"
FORMAT_VERSION = 1
#: Rows bound in one ``IN (...)`` list.
IN_CHUNK = 500


def iso(value: datetime | None) -> str | None:
    """An aware time as ISO 8601 in UTC (``None`` stays ``None``)."""
    return value.isoformat() if value is not None else None


class _Times:
    """The latest time among the facts the report states (its date)."""

    def __init__(self) -> None:
        self.latest: datetime | None = None

    def see(self, *values: datetime | None) -> None:
        for value in values:
            if value is not None and (self.latest is None or value > self.latest):
                self.latest = value


def collect_report(session: Session, case: Case, label: str | None = None) -> dict[str, Any]:
    """The examination report of ``case`` (or of one of its exhibits) as JSON values."""
    times = _Times()
    times.see(case.created_at)
    query = select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.label)
    if label is not None:
        query = query.where(Exhibit.label == label)
    exhibits = list(session.execute(query).scalars())
    exhibit_ids = [e.id for e in exhibits]
    labels = {e.id: e.label for e in exhibits}
    occurrences = _occurrences(session, exhibit_ids)
    media_ids = sorted({o.media_id for o in occurrences})
    media = _media(session, media_ids)
    catalogue = default_catalogue()
    evidence = item_evidence(session, media_ids, catalogue)
    for m in media.values():
        times.see(m.first_seen_at, m.triage_at)
    for lines in evidence.values():
        for line in lines:
            times.see(datetime.fromisoformat(line["matched_at"]))
    items = []
    for o in occurrences:
        times.see(o.found_at)
        items.append(_item(o, labels[o.exhibit_id], media[o.media_id], evidence))
    counts = _counts(media, evidence)
    matched = [
        _matched(media[i], [x for x in items if x["media_id"] == i], evidence[i])
        for i in media_ids
        if media[i].triage_class != "new"
    ]
    errors = _errors(session, exhibit_ids, labels, times)
    timing = _timing(session, exhibit_ids, labels, times)
    sets = hash_sets_used(session, media_ids)
    for s in sets:
        times.see(datetime.fromisoformat(s["imported_at"]))
    exhibit_docs = [_exhibit(e, times) for e in exhibits]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "sentinela", "version": __version__},
        "as_of": iso(times.latest),
        "case": {
            "number": case.number,
            "title": case.title,
            "unit": case.unit,
            "status": case.status,
            "scheme": case.scheme,
            "created_at": iso(case.created_at),
        },
        "scope": {"exhibit": label},
        "exhibits": exhibit_docs,
        "counts": counts,
        "matched": matched,
        "errors": errors,
        "timing": timing,
        "hash_sets": sets,
        "items": items,
    }


def _chunks(values: Sequence[int]) -> Iterable[list[int]]:
    for lo in range(0, len(values), IN_CHUNK):
        yield list(values[lo : lo + IN_CHUNK])


def _occurrences(session: Session, exhibit_ids: list[int]) -> list[Occurrence]:
    if not exhibit_ids:
        return []
    rows = session.execute(
        select(Occurrence)
        .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .where(Occurrence.exhibit_id.in_(exhibit_ids))
        .order_by(Exhibit.label, Occurrence.path, Occurrence.id)
    )
    return list(rows.scalars())


def _media(session: Session, media_ids: list[int]) -> dict[int, Media]:
    found: dict[int, Media] = {}
    for part in _chunks(media_ids):
        found.update(
            {m.id: m for m in session.execute(select(Media).where(Media.id.in_(part))).scalars()}
        )
    return found


def _exhibit(e: Exhibit, times: _Times) -> dict[str, Any]:
    times.see(e.registered_at, e.seized_at, e.last_verified_at)
    custody = []
    for c in e.custody:
        times.see(c.occurred_at, c.recorded_at)
        custody.append(
            {
                "action": c.action,
                "actor": c.actor_name,
                "occurred_at": iso(c.occurred_at),
                "recorded_at": iso(c.recorded_at),
                "note": c.note,
            }
        )
    return {
        "label": e.label,
        "kind": e.kind,
        "source_path": e.source_path,
        "size_bytes": e.size_bytes,
        "sha256": e.sha256,
        "md5": e.md5,
        "acquisition_md5": e.acquisition_md5,
        "acquisition_sha1": e.acquisition_sha1,
        "acquisition_verified": e.acquisition_verified,
        "seized_from": e.seized_from,
        "seized_at": iso(e.seized_at),
        "registered_at": iso(e.registered_at),
        "last_verification": e.last_verification,
        "last_verified_at": iso(e.last_verified_at),
        "container_info": json.loads(e.container_info or "{}"),
        "custody": custody,
    }


def _item(
    o: Occurrence, label: str, m: Media, evidence: dict[int, list[dict[str, Any]]]
) -> dict[str, Any]:
    lines = evidence.get(m.id, [])
    return {
        "exhibit": label,
        "path": o.path,
        "parent_container": o.parent_container,
        "deleted": o.deleted,
        "media_id": m.id,
        "sha256": m.sha256,
        "md5": m.md5,
        "sha1": m.sha1,
        "size": m.size,
        "mime": m.mime,
        "pdq": m.pdq,
        "pdq_quality": m.pdq_quality,
        "triage_class": m.triage_class,
        "categories": sorted({x["category"] for x in lines if x["category"]}),
        "series": sorted({x["series"] for x in lines if x["series"]}),
        "victim_identified": any(x["victim_identified"] for x in lines),
        "sets": sorted({x["set"] for x in lines}),
    }


def _counts(media: dict[int, Media], evidence: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    by_class: Counter[str] = Counter({"known_categorised": 0, "known_benign": 0, "new": 0})
    by_category: Counter[str] = Counter()
    by_set: Counter[str] = Counter()
    for m in media.values():
        by_class[m.triage_class] += 1
        lines = evidence.get(m.id, [])
        for category in sorted({x["category"] or "uncategorised" for x in lines}):
            by_category[category] += 1
        for name in sorted({x["set"] for x in lines}):
            by_set[name] += 1
    return {
        "items": len(media),
        "by_class": dict(sorted(by_class.items())),
        "by_category": dict(sorted(by_category.items())),
        "by_set": dict(sorted(by_set.items())),
        "new_items": by_class["new"],
    }


def _matched(m: Media, places: list[dict[str, Any]], lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "media_id": m.id,
        "sha256": m.sha256,
        "md5": m.md5,
        "sha1": m.sha1,
        "size": m.size,
        "mime": m.mime,
        "triage_class": m.triage_class,
        "triaged_at": iso(m.triage_at),
        "has_thumbnail": m.has_thumbnail,
        "paths": [{"exhibit": p["exhibit"], "path": p["path"]} for p in places],
        "evidence": lines,
    }


def _errors(
    session: Session, exhibit_ids: list[int], labels: dict[int, str], times: _Times
) -> list[dict[str, Any]]:
    if not exhibit_ids:
        return []
    rows = session.execute(
        select(EntryError)
        .where(EntryError.exhibit_id.in_(exhibit_ids))
        .order_by(EntryError.exhibit_id, EntryError.path, EntryError.code)
    ).scalars()
    out = []
    for err in rows:
        times.see(err.recorded_at)
        out.append(
            {
                "exhibit": labels[err.exhibit_id],
                "path": err.path,
                "code": err.code,
                "message": err.message,
                "recorded_at": iso(err.recorded_at),
            }
        )
    return sorted(out, key=lambda e: (e["exhibit"], e["path"], e["code"]))


def _timing(
    session: Session, exhibit_ids: list[int], labels: dict[int, str], times: _Times
) -> list[dict[str, Any]]:
    if not exhibit_ids:
        return []
    jobs = session.execute(
        select(IngestJob).where(IngestJob.exhibit_id.in_(exhibit_ids)).order_by(IngestJob.id)
    ).scalars()
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for job in jobs:
        times.see(job.started_at, job.finished_at)
        rate = job.files_done / job.elapsed_seconds if job.elapsed_seconds else None
        out[labels[job.exhibit_id]].append(
            {
                "exhibit": labels[job.exhibit_id],
                "job": job.id,
                "status": job.status,
                "executor": job.executor,
                "workers": job.workers,
                "started_at": iso(job.started_at),
                "finished_at": iso(job.finished_at),
                "elapsed_seconds": round(job.elapsed_seconds, 3),
                "files": job.files_done,
                "bytes": job.bytes_done,
                "errors": job.errors,
                "files_per_second": round(rate, 1) if rate is not None else None,
            }
        )
    return [job for label in sorted(out) for job in out[label]]
