"""``sentinela match --all``: re-triage the national store and say which cases changed.

A hash-set import or a national classification re-triages the items it affects at once, and
logs each change of an item's known status (``triage_changes``). ``match --all`` re-matches
every item (catching anything a partial re-triage missed), then lists, case by case, every
change since the previous ``match --all`` (or since a given time), in words an investigator
can act on: "seized 2024-05-03 (EXH-001): now in series 'S-12' whose victim is identified".

Need-to-know: the run is an administrator's; the paths of an item are shown only for cases
the administrator is a member of.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.audit import AuditEvent
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import TriageChange
from sentinela.db.media import Media, Occurrence
from sentinela.services.case_matching import CHUNK, retriage_ids
from sentinela.services.context import ServiceContext
from sentinela.services.known_match import chunks
from sentinela.services.match_resources import resources
from sentinela.services.permissions import require_role

ACTION = "triage.match_all"


@dataclass(frozen=True)
class ChangeLine:
    """One item of one case whose known status changed."""

    media_id: int
    sha256: str
    exhibit: str
    seized_at: datetime | None
    path: str | None
    changed_at: datetime
    cause: str
    old_class: str
    new_class: str
    description: str


@dataclass(frozen=True)
class CaseChanges:
    """The changed items of one case."""

    case_number: str
    title: str
    items: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class MatchAll:
    """The outcome of ``match --all``."""

    media: int
    changed_now: int
    since: datetime | None
    cases: tuple[CaseChanges, ...]


def _flag_words(line: dict[str, Any]) -> list[str]:
    words = []
    if line.get("victim_identified"):
        words.append("victim identified")
    if line.get("offender_identified"):
        words.append("offender identified")
    if line.get("baseline"):
        words.append("INTERPOL baseline")
    if line.get("distributed"):
        words.append("distributed")
    return words


def _line_words(line: dict[str, Any]) -> str:
    parts = [f"set {line['set']!r}"]
    if line.get("category"):
        parts.append(f"category {line['category']}")
    if line.get("series"):
        parts.append(f"series {line['series']!r}")
    parts += _flag_words(line)
    return ", ".join(parts)


def describe_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """One sentence saying how an item's known status changed."""
    sentences = []
    if old["class"] != new["class"]:
        sentences.append(f"{old['class']} -> {new['class']}")
    old_lines = {json.dumps(x, sort_keys=True) for x in old["evidence"]}
    old_victims = {
        (x["set"], x.get("series")) for x in old["evidence"] if x.get("victim_identified")
    }
    for line in new["evidence"]:
        if json.dumps(line, sort_keys=True) in old_lines:
            continue
        if line.get("victim_identified") and (line["set"], line.get("series")) not in old_victims:
            what = f"series {line['series']!r}" if line.get("series") else "an entry"
            sentences.append(f"now in {what} whose victim is identified ({_line_words(line)})")
        else:
            sentences.append(f"now matches {_line_words(line)}")
    new_sets = {x["set"] for x in new["evidence"]}
    for gone in sorted({x["set"] for x in old["evidence"]} - new_sets):
        sentences.append(f"no longer matches set {gone!r}")
    return "; ".join(sentences) or "evidence changed"


def _previous_run(session: Session) -> datetime | None:
    return session.execute(
        select(AuditEvent.occurred_at)
        .where(AuditEvent.action == ACTION)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).scalar_one_or_none()


def match_all(ctx: ServiceContext, *, since: datetime | None = None) -> MatchAll:
    """Re-triage every item, then list the cases whose items changed since ``since``.

    Args:
        since: report changes after this time; by default, after the previous run.

    Raises:
        AccessDenied: the actor is not an administrator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, "admin")
        username, user_id = actor.username, actor.id
        after = since if since is not None else _previous_run(session)
    res = resources(ctx)
    media, changed, last = 0, 0, 0
    while True:
        with ctx.transaction() as session:
            ids = list(
                session.execute(
                    select(Media.id).where(Media.id > last).order_by(Media.id).limit(CHUNK)
                ).scalars()
            )
        if not ids:
            break
        changed += len(retriage_ids(ctx, ids, cause="match --all", actor=username, res=res))
        media, last = media + len(ids), ids[-1]
    with ctx.transaction() as session:
        cases = _changed_cases(session, after, user_id)
        record(
            session,
            actor=username,
            action=ACTION,
            object_type="national_store",
            object_id="all",
            clock=ctx.clock,
            details={
                "media": media,
                "changed": changed,
                "since": after.isoformat() if after else None,
                "cases": [c.case_number for c in cases],
            },
        )
    return MatchAll(media, changed, after, tuple(cases))


def _changed_cases(session: Session, after: datetime | None, user_id: int) -> list[CaseChanges]:
    query = select(TriageChange).order_by(TriageChange.id)
    if after is not None:
        query = query.where(TriageChange.changed_at > after)
    changes = list(session.execute(query).scalars())
    if not changes:
        return []
    member_of = set(
        session.execute(select(Membership.case_id).where(Membership.user_id == user_id)).scalars()
    )
    places: dict[int, list[tuple[Case, Exhibit, str]]] = {}
    for part in chunks(sorted({c.media_id for c in changes})):
        rows = session.execute(
            select(Occurrence.media_id, Case, Exhibit, Occurrence.path)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .join(Case, Case.id == Exhibit.case_id)
            .where(Occurrence.media_id.in_(part))
            .order_by(Case.number, Exhibit.label, Occurrence.path)
        )
        for media_id, case, exhibit, path in rows:
            places.setdefault(media_id, []).append((case, exhibit, path))
    sha: dict[int, str] = {}
    for part in chunks(sorted({c.media_id for c in changes})):
        found = session.execute(select(Media.id, Media.sha256).where(Media.id.in_(part)))
        sha.update({int(i): str(digest) for i, digest in found})
    # Several changes of one item in the window read as one: from the first old status to
    # the last new one (an item that changed and changed back is left out).
    first: dict[int, TriageChange] = {}
    last: dict[int, TriageChange] = {}
    for change in changes:
        first.setdefault(change.media_id, change)
        last[change.media_id] = change
    by_case: dict[str, tuple[Case, dict[int, ChangeLine]]] = {}
    for media_id, end in last.items():
        start = first[media_id]
        if start.old_status == end.new_status and start.old_class == end.new_class:
            continue
        description = describe_change(json.loads(start.old_status), json.loads(end.new_status))
        for case, exhibit, path in places.get(media_id, []):
            lines = by_case.setdefault(case.number, (case, {}))[1]
            if media_id in lines:
                continue
            lines[media_id] = ChangeLine(
                media_id,
                sha.get(media_id, ""),
                exhibit.label,
                exhibit.seized_at,
                path if case.id in member_of else None,
                end.changed_at,
                end.cause,
                start.old_class,
                end.new_class,
                description,
            )
    return [
        CaseChanges(number, case.title, tuple(lines[k] for k in sorted(lines)))
        for number, (case, lines) in sorted(by_case.items())
    ]
