"""What a provider's API key lets it do besides matching: list releases, download signed
snapshots and deltas, send feedback, and report the counts of its own scans.

Every call is counted and audited as ``provider:<name>``. Signed documents are cached by
(tier, kind, version, since): a release never changes once built, so the cache needs no
invalidation, only a bound on its size.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.industry import FEEDBACK_OPINIONS, ProviderFeedback, ProviderTier
from sentinela.errors import InvalidHashError, InvalidInputError, NotFoundError
from sentinela.services.api_keys import ApiCaller
from sentinela.services.context import ServiceContext
from sentinela.services.provider_usage import add_usage
from sentinela.services.release_documents import delta_document, snapshot_document
from sentinela.services.release_keys import load_release_key
from sentinela.services.releases import ReleaseView, latest_release, list_releases
from sentinela.services.remote_match import MAX_HASHES, BatchTooLarge, MalformedBatch
from sentinela.services.revocations import normalise_hash
from sentinela.sharing.document import HashListDocument
from sentinela.sharing.envelope import envelope_bytes, sign_document


@dataclass(frozen=True)
class ProviderReleases:
    """The releases of the caller's tier and the key that signs them."""

    tier: str
    public_key: str
    key_id: str
    releases: list[ReleaseView]


@dataclass(frozen=True)
class SignedDocument:
    """A signed document as served, with what the audit records about it."""

    data: bytes
    version: int
    since: int | None
    entries: int
    revocations: int


class SignedDocumentCache:
    """The last few signed documents, shared by request threads."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[int, str, int, int], SignedDocument] = OrderedDict()

    def get(self, key: tuple[int, str, int, int]) -> SignedDocument | None:
        """A cached document, marked as recently used."""
        with self._lock:
            doc = self._items.get(key)
            if doc is not None:
                self._items.move_to_end(key)
            return doc

    def put(self, key: tuple[int, str, int, int], doc: SignedDocument) -> None:
        """Keep a document, dropping the least recently used beyond the bound."""
        with self._lock:
            self._items[key] = doc
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _tier(session: Session, caller: ApiCaller) -> ProviderTier:
    tier = session.get(ProviderTier, caller.tier_id)
    if tier is None:  # pragma: no cover - a provider always has a tier (foreign key)
        raise NotFoundError("your tier no longer exists")
    return tier


def provider_releases(ctx: ServiceContext, caller: ApiCaller) -> ProviderReleases:
    """The caller's tier's releases, oldest first."""
    key = load_release_key(ctx.settings)
    with ctx.transaction() as session:
        releases = list_releases(session, _tier(session, caller))
    return ProviderReleases(caller.tier, key.public.to_text(), key.key_id, releases)


def _build(session: Session, tier: ProviderTier, kind: str, number: int) -> HashListDocument:
    if kind == "snapshot":
        return snapshot_document(session, tier, number)
    return delta_document(session, tier, number)


def _signed(
    ctx: ServiceContext,
    caller: ApiCaller,
    cache: SignedDocumentCache,
    kind: str,
    number: int,
) -> bytes:
    key = load_release_key(ctx.settings)
    with ctx.transaction() as session:
        tier = _tier(session, caller)
        latest = latest_release(session, tier.id)
        if latest is None:
            raise NotFoundError(f"tier {tier.name!r} has no release yet")
        cache_key = (tier.id, kind, number if kind == "snapshot" else latest.version, number)
        doc = cache.get(cache_key)
        if doc is None:
            built = _build(session, tier, kind, number)
            doc = SignedDocument(
                envelope_bytes(sign_document(built, key)),
                built.version,
                built.since,
                len(built.entries),
                len(built.revocations),
            )
            cache.put(cache_key, doc)
        add_usage(session, caller.provider_id, ctx.clock().date(), downloads=1)
        record(
            session,
            actor=caller.actor,
            action="provider.download",
            object_type="provider_tier",
            object_id=tier.name,
            details={
                "kind": kind,
                "version": doc.version,
                "since": doc.since,
                "entries": doc.entries,
                "revocations": doc.revocations,
            },
            clock=ctx.clock,
        )
        return doc.data


def signed_snapshot(
    ctx: ServiceContext, caller: ApiCaller, version: int, cache: SignedDocumentCache
) -> bytes:
    """The signed full list at ``version``, as canonical JSON bytes.

    Raises:
        NotFoundError: no such release.
        ConfigurationError: the signing key is missing.
    """
    return _signed(ctx, caller, cache, "snapshot", version)


def signed_delta(
    ctx: ServiceContext, caller: ApiCaller, since: int, cache: SignedDocumentCache
) -> bytes:
    """The signed changes from ``since`` to the latest release.

    Raises:
        NotFoundError: no release yet.
        InvalidInputError: ``since`` is out of range.
        ConfigurationError: the signing key is missing.
    """
    return _signed(ctx, caller, cache, "delta", since)


@dataclass(frozen=True)
class FeedbackReceipt:
    """The queue ids given to the submitted items."""

    received: int
    ids: list[int]


def submit_feedback(ctx: ServiceContext, caller: ApiCaller, body: bytes) -> FeedbackReceipt:
    """Queue ``{"items": [{"type", "value", "opinion", "note"?}...]}`` for the analysts.

    Raises:
        BatchTooLarge: more than :data:`MAX_HASHES` items.
        MalformedBatch: a malformed item (its index is named).
    """
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise MalformedBatch("the request body is not JSON") from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise MalformedBatch("the request body must be an object with an 'items' list")
    if len(items) > MAX_HASHES:
        raise BatchTooLarge(f"{len(items)} items in one request; the limit is {MAX_HASHES}")
    parsed: list[tuple[str, str, str, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("opinion") not in FEEDBACK_OPINIONS:
            raise MalformedBatch(
                f"items[{i}] needs an opinion: {' or '.join(FEEDBACK_OPINIONS)}", index=i
            )
        note = item.get("note", "")
        try:
            value = normalise_hash(str(item.get("type")), str(item.get("value")))
        except (InvalidHashError, InvalidInputError) as exc:
            raise MalformedBatch(f"items[{i}]: {exc}", index=i) from None
        parsed.append((str(item["type"]), value, str(item["opinion"]), str(note)[:2000]))
    now: datetime = ctx.clock()
    with ctx.transaction() as session:
        rows = [
            ProviderFeedback(
                provider_id=caller.provider_id,
                hash_type=t,
                digest=v,
                opinion=o,
                note=n,
                received_at=now,
            )
            for t, v, o, n in parsed
        ]
        session.add_all(rows)
        session.flush()
        record(
            session,
            actor=caller.actor,
            action="provider.feedback",
            object_type="provider",
            object_id=caller.provider,
            details={o: sum(1 for p in parsed if p[2] == o) for o in FEEDBACK_OPINIONS},
            clock=ctx.clock,
        )
        return FeedbackReceipt(len(rows), [r.id for r in rows])


def report_local_usage(ctx: ServiceContext, caller: ApiCaller, body: bytes) -> dict[str, int]:
    """Record the counts of a provider's own scan: ``{"examined": n, "matched": m}``.

    Raises:
        MalformedBatch: not two non-negative integers, or more matched than examined.
    """
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise MalformedBatch("the request body is not JSON") from None
    counts = [data.get(k) if isinstance(data, dict) else None for k in ("examined", "matched")]
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        raise MalformedBatch("examined and matched must be non-negative integers")
    examined, matched = int(counts[0] or 0), int(counts[1] or 0)
    if matched > examined:
        raise MalformedBatch("matched cannot exceed examined")
    with ctx.transaction() as session:
        add_usage(
            session,
            caller.provider_id,
            ctx.clock().date(),
            local_examined=examined,
            local_matched=matched,
        )
        record(
            session,
            actor=caller.actor,
            action="provider.local_scan",
            object_type="provider",
            object_id=caller.provider,
            details={"examined": examined, "matched": matched},
            clock=ctx.clock,
        )
    return {"examined": examined, "matched": matched}
