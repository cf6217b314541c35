"""A provider's copy: signed snapshots and deltas applied in order; replays, tampering and
inconsistent deltas refused without changing anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinela.sharing.document import HashListDocument, ListEntry, Tombstone, state_digest
from sentinela.sharing.envelope import sign_document
from sentinela.sharing.errors import (
    ReleaseReplayError,
    ReleaseStateMismatch,
    ReleaseVerificationError,
)
from sentinela.sharing.keys import ReleaseSigningKey
from sentinela.sharing.local_list import LocalHashList

KEY = ReleaseSigningKey.generate()
A = ListEntry("md5", "a" * 32, "project_vic_us", "1", True)
B = ListEntry("sha256", "b" * 64, "project_vic_us", "2", False)
C = ListEntry("pdq", "c" * 64, "project_vic_us", "1", False)
B2 = B._replace(code="1")


def _doc(kind: str, version: int, since: int | None, state: list[ListEntry], **kw: object) -> dict:
    fields = {
        "kind": kind,
        "tier": "full",
        "version": version,
        "since": since,
        "created_at": "2026-03-01T09:00:00Z",
        "entry_count": len(state),
        "state_digest": state_digest(state),
        "entries": list(state),
        "revocations": [],
    } | kw
    return sign_document(HashListDocument(**fields), KEY)  # type: ignore[arg-type]


def test_snapshot_then_deltas_with_updates_and_tombstones(tmp_path: Path) -> None:
    copy = LocalHashList(KEY.public)
    copy.apply(_doc("snapshot", 1, None, [A, B]))
    assert len(copy) == 2 and copy.tier == "full"
    delta = _doc(
        "delta",
        2,
        1,
        [B2, C],
        entries=[B2, C],
        revocations=[Tombstone("md5", A.digest, "false_positive"), Tombstone(*B.key, "updated")],
    )
    result = copy.apply(delta)
    assert (result.added, result.removed, result.entry_count) == (2, 2, 2)
    assert copy.lookup("md5", A.digest) is None and copy.lookup(*B.key) == B2
    assert copy.state_digest == state_digest([B2, C])
    assert copy.apply(_doc("delta", 2, 2, [B2, C], entries=[])).added == 0  # nothing new
    assert copy.match_pdq(["c" * 63 + "d"], 31)[0][0].distance == 1
    copy.save(tmp_path / "list.json")
    assert (tmp_path / "list.json").stat().st_mode & 0o777 == 0o600
    again = LocalHashList.load(tmp_path / "list.json", KEY.public)
    assert again.entries == copy.entries and again.version == 2


def test_replayed_or_out_of_order_releases_are_refused() -> None:
    copy = LocalHashList(KEY.public)
    first = _doc("snapshot", 1, None, [A])
    copy.apply(first)
    with pytest.raises(ReleaseReplayError):
        copy.apply(first)  # a genuine, correctly signed, but old release
    with pytest.raises(ReleaseReplayError):
        copy.apply(_doc("delta", 3, 2, [A, B], entries=[B]))  # skips version 2
    assert copy.version == 1


def test_tampering_other_keys_and_tiers_are_refused() -> None:
    copy = LocalHashList(KEY.public, tier="full")
    envelope = _doc("snapshot", 1, None, [A])
    tampered = json.loads(json.dumps(envelope))
    tampered["payload"]["entries"][0][4] = False
    with pytest.raises(ReleaseVerificationError, match="altered"):
        copy.apply(tampered)
    other = ReleaseSigningKey.generate()
    foreign = sign_document(HashListDocument.from_payload(envelope["payload"]), other)
    with pytest.raises(ReleaseVerificationError, match="published key"):
        copy.apply(foreign)
    with pytest.raises(ReleaseVerificationError, match="tier"):
        copy.apply(_doc("snapshot", 1, None, [A], tier="baseline_only"))
    assert len(copy) == 0


def test_a_delta_that_would_not_give_the_signed_state_changes_nothing() -> None:
    copy = LocalHashList(KEY.public)
    copy.apply(_doc("snapshot", 1, None, [A]))
    wrong = _doc("delta", 2, 1, [A, B, C], entries=[B])  # signed state holds C too
    with pytest.raises(ReleaseStateMismatch):
        copy.apply(wrong)
    assert copy.version == 1 and list(copy.entries.values()) == [A]


@pytest.mark.parametrize(
    "row",
    [["md5", "xyz", "s", "c", True], ["crc32", "00", "s", "c", True], ["md5", "a" * 32, "s", "c"]],
)
def test_malformed_entries_are_refused(row: list[object]) -> None:
    payload = _doc("snapshot", 1, None, [A])["payload"]
    payload["entries"] = [row]
    with pytest.raises(ReleaseVerificationError, match="entry #0"):
        HashListDocument.from_payload(payload)
