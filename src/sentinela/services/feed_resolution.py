"""How an operator resolves a damaged feed chain, so that feeds can start again.

Three actions, each audited with the operator's note, none of which deletes anything:

* **repair** a feed whose package is missing or damaged: rewrite the package from what the
  database recorded (the manifest text and every item's state). It is accepted only if the
  rewritten files have exactly the SHA-256 the manifest lists, which proves they are the bytes
  that were sent; the damaged folder is moved to ``quarantine/``;
* **void** the newest complete feed (for example when it was never delivered): its items
  count as unsent, so the next feed carries them again, and the chain continues from the feed
  before it. Older feeds cannot be voided: later manifests build on them;
* **quarantine** orphan folders (a package whose recording transaction failed, or a
  ``.partial`` folder): they move to ``quarantine/`` and stop blocking new feeds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sentinela.audit import record
from sentinela.db.exchange import Feed, FeedDestination
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.formats.export_base import ExportOptions
from sentinela.formats.export_records import HashSetDocument, Producer
from sentinela.formats.exporters import get_exporter
from sentinela.formats.records import Category, HashRecord
from sentinela.services.context import ServiceContext
from sentinela.services.feed_chain import (
    QUARANTINE,
    FeedChainError,
    FeedView,
    feed_items,
    feed_view,
    feeds_of,
    orphan_folders,
)
from sentinela.services.feed_destinations import FEED_OPERATORS, load_destination
from sentinela.services.feed_packages import (
    MANIFEST,
    PARTIAL,
    check_package,
    key_order,
    write_document,
)
from sentinela.services.permissions import require_role


def _note(note: str) -> str:
    if not note.strip():
        raise InvalidInputError("say why (--note): the resolution is part of the record")
    return note.strip()


def _feed(feeds: list[Feed], sequence: int, destination: str) -> Feed:
    for feed in feeds:
        if feed.sequence == sequence:
            return feed
    raise NotFoundError(f"destination {destination!r} has no feed {sequence}")


def _quarantine(dest: FeedDestination, folder: Path, stamp: str) -> Path:
    target = Path(dest.packages_dir) / QUARANTINE / f"{folder.name}.{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    shutil.move(str(folder), target)
    return target


def _record_from_state(key: str, state: str) -> HashRecord:
    values = json.loads(state)
    category = values.pop("category", None)
    return HashRecord(
        position=f"item {key}",
        category=Category(*category.split(":", 1)) if category else None,
        **values,
    )


def repair_feed(ctx: ServiceContext, destination: str, sequence: int, *, note: str) -> FeedView:
    """Rewrite a damaged package from the database, byte for byte (audited).

    Raises:
        FeedChainError: the rewritten files do not match the manifest (the database record
            itself was changed); nothing is replaced.
        NotFoundError, InvalidInputError, AccessDenied: as usual.
    """
    reason = _note(note)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        dest = load_destination(session, destination)
        feed = _feed(feeds_of(session, dest), sequence, destination)
        if feed.status != "complete":
            raise InvalidInputError(
                f"feed {sequence} is {feed.status}; only complete feeds are repaired"
            )
        exporter = get_exporter(dest.format)
        manifest = json.loads(feed.manifest)
        sent, _ = feed_items(session, feed)
        records = [_record_from_state(k, sent[k]) for k in sorted(sent, key=key_order)]
        folder = Path(feed.package_dir)
        staging = folder.with_name(folder.name + ".repair" + PARTIAL)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True, mode=0o750)
        try:
            (entry,) = manifest["files"]
            document = HashSetDocument(
                name=f"{dest.name} feed {sequence}",
                scheme=str(manifest["scheme"]),
                records=records,
                producer=Producer(),
                created_at=ctx.clock(),
                agency=str(manifest.get("agency", "")),
            )
            write_document(staging / entry["name"], exporter, document, ExportOptions())
            (staging / MANIFEST).write_text(feed.manifest, encoding="utf-8")
            check = check_package(staging, feed.manifest_sha256, exporter)
            if check.problems:
                raise FeedChainError(
                    f"feed {sequence} cannot be restored byte for byte from the database: "
                    + "; ".join(check.problems)
                )
            stamp = ctx.clock().strftime("%Y%m%dT%H%M%SZ")
            moved = _quarantine(dest, folder, stamp) if folder.exists() else None
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        record(
            session,
            actor=actor.username,
            action="feed.repair",
            object_type="feed",
            object_id=f"{dest.name}/{sequence}",
            clock=ctx.clock,
            details={"note": reason, "damaged_moved_to": str(moved) if moved else None},
        )
        return feed_view(dest, feed)


def void_feed(ctx: ServiceContext, destination: str, sequence: int, *, note: str) -> FeedView:
    """Void the newest complete feed: its items count as unsent again (audited).

    Raises:
        InvalidInputError: no note, or the feed is not the newest complete one.
    """
    reason = _note(note)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        dest = load_destination(session, destination)
        complete = [f for f in feeds_of(session, dest) if f.status == "complete"]
        if not complete or complete[-1].sequence != sequence:
            raise InvalidInputError(
                f"only the newest complete feed of {destination!r} can be voided"
                f" ({complete[-1].sequence if complete else 'none'}); repair older ones"
            )
        feed = complete[-1]
        feed.status = "void"
        feed.resolved_at, feed.resolved_by, feed.resolution_note = (
            ctx.clock(),
            actor.username,
            reason,
        )
        record(
            session,
            actor=actor.username,
            action="feed.void",
            object_type="feed",
            object_id=f"{dest.name}/{sequence}",
            clock=ctx.clock,
            details={"note": reason, "manifest_sha256": feed.manifest_sha256},
        )
        return feed_view(dest, feed)


def quarantine_orphans(ctx: ServiceContext, destination: str, *, note: str) -> list[str]:
    """Move orphan package folders to ``quarantine/`` (audited); return where they went."""
    reason = _note(note)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        dest = load_destination(session, destination)
        stamp = ctx.clock().strftime("%Y%m%dT%H%M%SZ")
        moved = [
            str(_quarantine(dest, Path(folder), stamp))
            for folder in orphan_folders(dest, feeds_of(session, dest))
        ]
        record(
            session,
            actor=actor.username,
            action="feed.quarantine",
            object_type="feed_destination",
            object_id=dest.name,
            clock=ctx.clock,
            details={"note": reason, "moved": moved},
        )
        return moved
