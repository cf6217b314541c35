"""Incremental feeds to ICSE and partner agencies: build, list and verify.

A feed sends what changed since the previous feed of the same destination: items newly
classified (``new``), items whose category, series or victim/offender flags changed
(``updated``), and items no longer eligible (``withdrawn``, listed in the manifest). The
delta is the difference between what is eligible now and what earlier feeds sent (see
``db/exchange.py`` for why it is not a time watermark), so a second run with no change gives an
empty delta, recorded as a feed of its own: proof that nothing was left out that week.

Before building, the whole manifest chain is verified (``feed_chain.py``); any damage stops
the feed until an operator resolves it. The package folder is written under a ``.partial``
name and renamed into place inside the transaction that records the feed; if that
transaction then fails, the folder is left as an orphan that the next verification reports.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.exchange import Feed, FeedDestination, FeedItem
from sentinela.db.users import User
from sentinela.errors import NotFoundError
from sentinela.formats.export_base import Exporter, ExportOptions
from sentinela.formats.export_records import HashSetDocument
from sentinela.formats.exporters import get_exporter
from sentinela.formats.records import HashRecord
from sentinela.services.context import ServiceContext
from sentinela.services.exchange_documents import (
    Selection,
    Tally,
    national_categories,
    national_records,
    producer_for,
)
from sentinela.services.feed_chain import (
    ChainReport,
    FeedChainError,
    FeedView,
    feed_view,
    feeds_of,
    sent_state,
    verify_chain,
)
from sentinela.services.feed_destinations import FEED_OPERATORS, load_destination, mapper_for
from sentinela.services.feed_packages import (
    FORMAT_VERSION,
    MANIFEST,
    PARTIAL,
    key_order,
    manifest_bytes,
    package_name,
    state_digest,
    state_line,
    write_document,
)
from sentinela.services.permissions import require_role


def _sort_key(record: HashRecord) -> tuple[int, str]:
    return key_order(record.source_id or "")


def _refuse_damaged(report: ChainReport) -> None:
    if not report.ok:
        raise FeedChainError(
            f"feed chain of {report.destination!r} is damaged; no new feed until it is resolved"
            f" (`sentinela feed verify`, `feed repair`, `feed void`, `feed quarantine`): "
            + "; ".join(report.lines())
        )


def build_feed(ctx: ServiceContext, destination: str) -> FeedView:
    """Build, write and record the next feed of ``destination`` (audited).

    Raises:
        NotFoundError: no such destination.
        FeedChainError: an earlier feed or package is damaged, or an orphan package exists.
        UnmappedCategoriesError: some national categories have no reviewed mapping.
        AccessDenied: the actor is not a feed operator.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        dest = load_destination(session, destination)
        _refuse_damaged(verify_chain(session, dest))
        exporter = get_exporter(dest.format)
        mapper = mapper_for(dest)
        mapper.check(national_categories(session, Selection()))
        current = {
            rec.source_id or "": rec
            for rec in national_records(session, Selection(), mapper, Tally())
        }
        state = {key: state_line(rec, exporter) for key, rec in current.items()}
        feeds = feeds_of(session, dest)
        sent = sent_state(session, feeds)
        new = [key for key in state if key not in sent]
        updated = [key for key in state if key in sent and sent[key] != state[key]]
        withdrawn = sorted((key for key in sent if key not in state), key=key_order)
        sequence = max((f.sequence for f in feeds), default=0) + 1
        complete = [f for f in feeds if f.status == "complete"]
        previous = complete[-1] if complete else None
        delta = sorted((current[k] for k in (*new, *updated)), key=_sort_key)
        folder = Path(dest.packages_dir) / package_name(dest.name, sequence)
        manifest = _write_package(ctx, dest, actor, exporter, folder, sequence, previous, delta)
        manifest.update(
            counts={
                "new": len(new),
                "updated": len(updated),
                "withdrawn": len(withdrawn),
                "records": len(delta),
                "state": len(state),
            },
            withdrawn=withdrawn,
            state_digest=state_digest(state),
        )
        raw = manifest_bytes(manifest)
        try:
            (folder.with_name(folder.name + PARTIAL) / MANIFEST).write_bytes(raw)
            folder.with_name(folder.name + PARTIAL).rename(folder)
            feed = _record(session, ctx, dest, actor, folder, sequence, previous, raw, manifest)
            changes = [("new", k) for k in new] + [("updated", k) for k in updated]
            session.add_all(
                FeedItem(
                    feed_id=feed.id,
                    item_key=k,
                    media_id=int(k) if k.isdigit() else None,
                    change=c,
                    state=state[k],
                )
                for c, k in changes
            )
            session.add_all(
                FeedItem(feed_id=feed.id, item_key=k, change="withdrawn", state="")
                for k in withdrawn
            )
            session.flush()
        except BaseException:
            shutil.rmtree(folder.with_name(folder.name + PARTIAL), ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return feed_view(dest, feed)


def _write_package(
    ctx: ServiceContext,
    dest: FeedDestination,
    actor: User,
    exporter: Exporter,
    folder: Path,
    sequence: int,
    previous: Feed | None,
    delta: list[HashRecord],
) -> dict[str, object]:
    staging = folder.with_name(folder.name + PARTIAL)
    staging.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    staging.mkdir(mode=0o750)  # an existing one is an orphan: verify_chain reported it
    try:
        document = HashSetDocument(
            name=f"{dest.name} feed {sequence}",
            scheme=dest.scheme,
            records=delta,
            producer=producer_for(actor),
            created_at=ctx.clock(),
            agency=dest.agency,
        )
        data = staging / f"{folder.name}{exporter.suffix}"
        written = write_document(data, exporter, document, ExportOptions())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {
        "format_version": FORMAT_VERSION,
        "kind": "sentinela_feed",
        "destination": dest.name,
        "format": dest.format,
        "scheme": dest.scheme,
        "agency": dest.agency,
        "mapping_sha256": _sha256_text(dest.mapping),
        "sequence": sequence,
        "created_at": document.created_at.isoformat(),
        "created_by": actor.username,
        "previous": None
        if previous is None
        else {"sequence": previous.sequence, "manifest_sha256": previous.manifest_sha256},
        "files": [
            {
                "name": written.name,
                "sha256": written.sha256,
                "size": written.size,
                "records": written.records,
            }
        ],
    }


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _record(
    session: Session,
    ctx: ServiceContext,
    dest: FeedDestination,
    actor: User,
    folder: Path,
    sequence: int,
    previous: Feed | None,
    raw: bytes,
    manifest: dict[str, object],
) -> Feed:
    counts = manifest["counts"]
    if not isinstance(counts, dict):  # pragma: no cover - built above
        raise TypeError("manifest counts")
    feed = Feed(
        destination_id=dest.id,
        sequence=sequence,
        status="complete",
        created_at=ctx.clock(),
        created_by=actor.username,
        previous_manifest_sha256=previous.manifest_sha256 if previous is not None else None,
        package_dir=str(folder),
        manifest=raw.decode(),
        manifest_sha256=hashlib.sha256(raw).hexdigest(),
        state_digest=str(manifest["state_digest"]),
        state_count=counts["state"],
        new_count=counts["new"],
        updated_count=counts["updated"],
        withdrawn_count=counts["withdrawn"],
    )
    session.add(feed)
    session.flush()
    record(
        session,
        actor=actor.username,
        action="feed.build",
        object_type="feed",
        object_id=f"{dest.name}/{sequence}",
        clock=ctx.clock,
        details={"package": str(folder), "manifest_sha256": feed.manifest_sha256, **counts},
    )
    return feed


def list_feeds(ctx: ServiceContext, destination: str) -> list[FeedView]:
    """Every feed of ``destination``, oldest first."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *FEED_OPERATORS)
        dest = load_destination(session, destination)
        return [feed_view(dest, feed) for feed in feeds_of(session, dest)]


def verify_feeds(ctx: ServiceContext, destination: str) -> ChainReport:
    """Verify the whole manifest chain of ``destination`` (the check is audited)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        dest = load_destination(session, destination)
        report = verify_chain(session, dest)
        record(
            session,
            actor=actor.username,
            action="feed.verify",
            object_type="feed_destination",
            object_id=dest.name,
            clock=ctx.clock,
            details={"ok": report.ok, "feeds": len(report.feeds), "problems": report.lines()},
        )
        return report


def manifest_text(ctx: ServiceContext, destination: str, sequence: int) -> str:
    """The manifest recorded for one feed (as written into its package)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *FEED_OPERATORS)
        dest = load_destination(session, destination)
        for feed in feeds_of(session, dest):
            if feed.sequence == sequence:
                return feed.manifest
    raise NotFoundError(f"destination {destination!r} has no feed {sequence}")
