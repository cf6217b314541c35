"""Applying a delta on the provider side: ours (verify the signature, check the version
chain and the state digest, apply) beside python-threatexchange's ``naive_fetch_merge`` of
the same changes (a plain dict merge, no verification), the reference."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass

from threatexchange.exchanges.impl.file_api import LocalFileSignalExchangeAPI

from bench.sharing.data import TYPES, digest
from sentinela.sharing.document import HashListDocument, ListEntry, Tombstone, state_digest
from sentinela.sharing.envelope import envelope_bytes, sign_document
from sentinela.sharing.keys import ReleaseSigningKey
from sentinela.sharing.local_list import LocalHashList


@dataclass(frozen=True)
class DeltaResult:
    """Seconds to apply one delta, ours and the reference's."""

    entries: int
    changes: int
    ours_s: float
    ours_parse_s: float
    reference_s: float


def _entries(count: int, rng: random.Random) -> list[ListEntry]:
    return [
        ListEntry(TYPES[i % 4], digest(TYPES[i % 4], rng), "project_vic_us", "1", i % 3 == 0)
        for i in range(count)
    ]


def run_delta(entries: int, changes: int, seed: int = 3) -> DeltaResult:
    """Build a list of ``entries``, then apply a delta of ``changes`` (half revocations, half
    additions) with both implementations; each timing starts from the same state."""
    rng = random.Random(seed)
    key = ReleaseSigningKey.generate()
    base = _entries(entries, rng)
    removed = base[: changes // 2]
    added = _entries(changes - len(removed), rng)
    after = base[len(removed) :] + added
    snapshot = HashListDocument(
        "snapshot", "full", 1, None, "2026-03-01T09:00:00Z", len(base), state_digest(base),
        base, [],
    )  # fmt: skip
    delta = HashListDocument(
        "delta", "full", 2, 1, "2026-03-02T09:00:00Z", len(after), state_digest(after),
        added, [Tombstone(e.hash_type, e.digest, "false_positive") for e in removed],
    )  # fmt: skip
    wire = envelope_bytes(sign_document(delta, key))
    copy = LocalHashList(key.public)
    copy.apply(sign_document(snapshot, key))
    start = time.perf_counter()
    parsed = json.loads(wire)
    parse = time.perf_counter() - start
    copy.apply(parsed)
    ours = time.perf_counter() - start
    if len(copy) != len(after):
        raise RuntimeError("delta applied wrongly")
    state: dict[tuple[str, str], object] = {(e.hash_type, e.digest): e for e in base}
    start = time.perf_counter()
    payload = json.loads(wire)["payload"]  # the same bytes over the wire, for a fair start
    updates: dict[tuple[str, str], object | None] = {
        (r[0], r[1]): None for r in payload["revocations"]
    }
    updates.update({(r[0], r[1]): r for r in payload["entries"]})
    LocalFileSignalExchangeAPI.naive_fetch_merge(state, updates)  # type: ignore[arg-type]
    reference = time.perf_counter() - start
    if len(state) != len(after):
        raise RuntimeError("reference merge applied wrongly")
    return DeltaResult(entries, changes, ours, parse, reference)
