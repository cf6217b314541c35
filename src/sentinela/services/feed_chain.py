"""The manifest chain of a destination's feeds: what was sent, and the proof it is intact.

:func:`verify_chain` walks every feed in sequence order and checks, for each complete feed:

* the sequence has no gap (a missing row means a feed was lost or deleted);
* the recorded ``previous`` link is the manifest SHA-256 of the last complete feed;
* the package on disk holds the manifest recorded for it (same SHA-256), and every delta file
  matches the manifest (SHA-256, size, record count) and reads back with our importer;
* the delta file and the database rows of the feed list the same items with the same state;
* replaying the packages from the first gives, after each feed, the state digest its
  manifest and its database row recorded.

It also reports folders in the destination's package folder that no feed owns: a package
renamed into place by a build whose transaction then failed, or left half-written (``.partial``).
Any problem stops the next feed until an operator resolves it (see ``feed_resolution.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.exchange import Feed, FeedDestination, FeedItem
from sentinela.errors import SentinelaError
from sentinela.formats.export_base import Exporter
from sentinela.formats.exporters import get_exporter
from sentinela.services.feed_packages import apply_delta, check_package, state_digest, state_line

QUARANTINE = "quarantine"


class FeedChainError(SentinelaError):
    """The feed chain of a destination is damaged; no new feed until an operator resolves it."""

    exit_code = 3


@dataclass(frozen=True)
class FeedView:
    """A feed as callers see it."""

    destination: str
    sequence: int
    status: str
    created_at: datetime
    created_by: str
    package_dir: str
    manifest_sha256: str
    previous_manifest_sha256: str | None
    new: int
    updated: int
    withdrawn: int
    state_count: int
    state_digest: str
    resolution_note: str = ""


@dataclass
class ChainReport:
    """What :func:`verify_chain` found: per-sequence problems, and orphan folders."""

    destination: str
    feeds: list[FeedView] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the chain is intact."""
        return not self.problems and not self.orphans

    def lines(self) -> list[str]:
        """Every problem as one line."""
        found = [f"feed {seq}: {p}" for seq, items in sorted(self.problems.items()) for p in items]
        return found + [f"orphan package folder: {o}" for o in self.orphans]


def feed_view(destination: FeedDestination, feed: Feed) -> FeedView:
    """The view of one feed row."""
    return FeedView(
        destination.name,
        feed.sequence,
        feed.status,
        feed.created_at,
        feed.created_by,
        feed.package_dir,
        feed.manifest_sha256,
        feed.previous_manifest_sha256,
        feed.new_count,
        feed.updated_count,
        feed.withdrawn_count,
        feed.state_count,
        feed.state_digest,
        feed.resolution_note,
    )


def feeds_of(session: Session, destination: FeedDestination) -> list[Feed]:
    """Every feed of a destination, by sequence."""
    query = select(Feed).where(Feed.destination_id == destination.id).order_by(Feed.sequence)
    return list(session.execute(query).scalars())


def feed_items(session: Session, feed: Feed) -> tuple[dict[str, str], list[str]]:
    """The items a feed sent (key -> state) and the keys it withdrew."""
    sent: dict[str, str] = {}
    withdrawn: list[str] = []
    rows = session.execute(
        select(FeedItem.item_key, FeedItem.change, FeedItem.state)
        .where(FeedItem.feed_id == feed.id)
        .order_by(FeedItem.id)
    ).all()
    for key, change, state in rows:
        if change == "withdrawn":
            withdrawn.append(key)
        else:
            sent[key] = state
    return sent, withdrawn


def sent_state(session: Session, feeds: list[Feed]) -> dict[str, str]:
    """What the destination holds after every complete feed, from the database rows."""
    state: dict[str, str] = {}
    for feed in feeds:
        if feed.status != "complete":
            continue
        sent, withdrawn = feed_items(session, feed)
        state.update(sent)
        for key in withdrawn:
            state.pop(key, None)
    return state


def orphan_folders(destination: FeedDestination, feeds: list[Feed]) -> list[str]:
    """Folders in the destination's package folder that no feed owns."""
    root = Path(destination.packages_dir)
    if not root.is_dir():
        return []
    owned = {Path(feed.package_dir).name for feed in feeds}
    return sorted(
        str(entry)
        for entry in root.iterdir()
        if entry.name != QUARANTINE and entry.name not in owned
    )


def verify_chain(session: Session, destination: FeedDestination) -> ChainReport:
    """Check every feed of ``destination`` from its packages; see the module docstring."""
    exporter = get_exporter(destination.format)
    feeds = feeds_of(session, destination)
    report = ChainReport(destination.name, [feed_view(destination, f) for f in feeds])
    state: dict[str, str] = {}
    previous: str | None = None
    expected = 1
    for feed in feeds:
        problems: list[str] = []
        if feed.sequence != expected:
            problems.append(f"expected sequence {expected}: a feed record is missing")
        expected = feed.sequence + 1
        if feed.status == "complete":
            problems += _check_feed(session, destination, feed, previous, state, exporter)
            previous = feed.manifest_sha256
        if problems:
            report.problems[feed.sequence] = problems
    report.orphans = orphan_folders(destination, feeds)
    return report


def _check_feed(
    session: Session,
    destination: FeedDestination,
    feed: Feed,
    previous: str | None,
    state: dict[str, str],
    exporter: Exporter,
) -> list[str]:
    problems: list[str] = []
    if feed.previous_manifest_sha256 != previous:
        problems.append("its 'previous' link is not the last complete feed's manifest")
    check = check_package(Path(feed.package_dir), feed.manifest_sha256, exporter)
    problems += check.problems
    manifest = check.manifest
    if manifest:
        link = manifest.get("previous")
        linked = link.get("manifest_sha256") if isinstance(link, dict) else None
        if manifest.get("sequence") != feed.sequence or linked != previous:
            problems.append("the manifest names another sequence or previous feed")
        if manifest.get("destination") != destination.name:
            problems.append("the manifest names another destination")
    sent, withdrawn = feed_items(session, feed)
    if not check.problems:
        on_disk = {r.source_id or "": state_line(r, exporter) for r in check.records}
        if on_disk != sent or sorted(manifest.get("withdrawn", [])) != sorted(withdrawn):
            problems.append("the delta file and the database record of the feed disagree")
    apply_delta(state, check.records, manifest.get("withdrawn", []), exporter)
    digest = state_digest(state)
    if digest != feed.state_digest or digest != manifest.get("state_digest"):
        problems.append(
            "replaying the packages does not give the state digest recorded for this feed"
        )
    return problems


def manifest_of(feed: Feed) -> dict[str, object]:
    """The manifest recorded in the database for ``feed``."""
    loaded: dict[str, object] = json.loads(feed.manifest)
    return loaded
