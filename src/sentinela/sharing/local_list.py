"""A provider's copy of the police hash list, kept current with signed deltas.

The copy only ever moves forward: a snapshot must be newer than what is held, and a delta
must start exactly at the held version. A replayed or reordered release is therefore refused
even though its signature is genuine. Before anything changes, the digest of the state the
delta would produce is computed and compared with the signed one, so a failed check leaves
the copy as it was.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from sentinela.matching import PdqIndex, hex_to_codes
from sentinela.sharing.document import (
    HashListDocument,
    ListEntry,
    digest_hex,
    entry_term,
    state_digest,
)
from sentinela.sharing.envelope import open_envelope
from sentinela.sharing.errors import (
    ReleaseReplayError,
    ReleaseStateMismatch,
    ReleaseVerificationError,
)
from sentinela.sharing.keys import ReleasePublicKey

LOCAL_FORMAT: Final = "sentinela_local_hash_list"
LOCAL_FORMAT_VERSION: Final = 1


@dataclass(frozen=True)
class ApplyResult:
    """What applying one document changed."""

    kind: str
    version: int
    added: int
    removed: int
    entry_count: int


@dataclass(frozen=True)
class LocalMatch:
    """A local hit: the entry matched and the PDQ distance (0 for exact hashes)."""

    entry: ListEntry
    distance: int


class LocalHashList:
    """Entries by (hash type, digest), the version they reflect and the key they trust.

    Args:
        public_key: the police's published release key.
        tier: the tier this copy follows; taken from the first document when ``None``.
    """

    def __init__(self, public_key: ReleasePublicKey, tier: str | None = None) -> None:
        self.public_key = public_key
        self.tier = tier
        self.version = 0
        self.entries: dict[tuple[str, str], ListEntry] = {}
        self._digest = 0
        self._pdq: tuple[PdqIndex, list[ListEntry]] | None = None

    @property
    def state_digest(self) -> str:
        """The digest of the entries held (see :func:`~.document.state_digest`)."""
        return digest_hex(self._digest)

    def apply(self, envelope: Any) -> ApplyResult:
        """Verify a signed snapshot or delta and apply it.

        Raises:
            ReleaseVerificationError: bad signature or another tier; nothing is changed.
            ReleaseStateMismatch: the result would not match the signed state digest or
                entry count (a damaged copy); nothing is changed.
            ReleaseReplayError: the document is not the next one for this copy.
        """
        doc = open_envelope(envelope, self.public_key)
        if self.tier is not None and doc.tier != self.tier:
            raise ReleaseVerificationError(f"release is for tier {doc.tier!r}, not {self.tier!r}")
        if doc.kind == "delta" and doc.since == doc.version == self.version:
            return ApplyResult(doc.kind, doc.version, 0, 0, len(self))  # nothing new
        if doc.version <= self.version:
            raise ReleaseReplayError(
                f"release version {doc.version} is not newer than the held {self.version}"
            )
        if doc.kind == "delta" and doc.since != self.version:
            raise ReleaseReplayError(
                f"delta starts at version {doc.since}, but this copy is at {self.version}"
            )
        return self._apply_checked(doc)

    def _apply_checked(self, doc: HashListDocument) -> ApplyResult:
        if doc.kind == "snapshot":
            base: dict[tuple[str, str], ListEntry] = {}
            value = 0
        else:
            base, value = self.entries, self._digest
        removed = [base[t.key] for t in doc.revocations if t.key in base]
        removed_keys = {e.key for e in removed}
        count = len(base) - len(removed)
        for entry in removed:
            value -= entry_term(entry)
        replaced: dict[tuple[str, str], ListEntry] = {}
        for entry in doc.entries:
            old = base.get(entry.key) if entry.key not in removed_keys else None
            old = replaced.get(entry.key, old)
            if old is not None:
                value -= entry_term(old)
            else:
                count += 1
            replaced[entry.key] = entry
            value += entry_term(entry)
        if digest_hex(value) != doc.state_digest or count != doc.entry_count:
            raise ReleaseStateMismatch(
                f"applying version {doc.version} would not give the signed state "
                f"({count} entries, expected {doc.entry_count}): fetch a full snapshot"
            )
        if doc.kind == "snapshot":
            self.entries = {}
        for key in removed_keys:
            del self.entries[key]
        self.entries.update(replaced)
        self._digest = value
        self.version = doc.version
        self.tier = doc.tier
        self._pdq = None
        return ApplyResult(doc.kind, doc.version, len(doc.entries), len(removed), len(self))

    def lookup(self, hash_type: str, digest: str) -> ListEntry | None:
        """The entry for an exact digest (lower-case hex), if the list holds it."""
        return self.entries.get((hash_type, digest))

    def match_pdq(self, hashes: list[str], threshold: int) -> list[list[LocalMatch]]:
        """For each PDQ hash, the entries within ``threshold`` bits (closest first)."""
        out: list[list[LocalMatch]] = [[] for _ in hashes]
        if not hashes:
            return out
        if self._pdq is None:
            rows = [e for e in self.entries.values() if e.hash_type == "pdq"]
            codes = hex_to_codes([e.digest for e in rows]) if rows else None
            ids = np.arange(len(rows), dtype=np.int64)
            empty = np.empty((0, 32), dtype=np.uint8)
            self._pdq = (PdqIndex.build(codes if codes is not None else empty, ids), rows)
        index, rows = self._pdq
        for query, ident, distance in index.search(hex_to_codes(hashes), threshold).as_tuples():
            out[query].append(LocalMatch(rows[ident], distance))
        for hits in out:
            hits.sort(key=lambda m: m.distance)
        return out

    def __len__(self) -> int:
        return len(self.entries)

    def save(self, path: Path) -> None:
        """Write the copy to ``path`` (mode 0600, replaced atomically)."""
        data = {
            "format": LOCAL_FORMAT,
            "format_version": LOCAL_FORMAT_VERSION,
            "tier": self.tier,
            "version": self.version,
            "public_key": self.public_key.to_text(),
            "state_digest": self.state_digest,
            "entries": [list(e) for e in self.entries.values()],
        }
        tmp = path.with_name(f".{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, public_key: ReleasePublicKey) -> LocalHashList:
        """Read a copy written by :meth:`save`, checking it against its recorded digest.

        Raises:
            ReleaseVerificationError: not such a file, another key, or the entries do not
                match the recorded digest (the file was altered or damaged).
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReleaseVerificationError(f"cannot read hash list {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != LOCAL_FORMAT:
            raise ReleaseVerificationError(f"{path} is not a local Sentinela hash list")
        if data.get("public_key") != public_key.to_text():
            raise ReleaseVerificationError(f"{path} was built with another release key")
        entries = [ListEntry(*row) for row in data.get("entries", [])]
        if state_digest(entries) != data.get("state_digest"):
            raise ReleaseVerificationError(f"{path} does not match its recorded state digest")
        copy = cls(public_key, data.get("tier"))
        copy.entries = {e.key: e for e in entries}
        copy._digest = int(str(data["state_digest"]), 16)
        copy.version = int(data.get("version", 0))
        return copy
