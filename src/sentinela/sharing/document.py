"""The hash-list document: a full snapshot of a tier at one version, or a delta between two.

Layout (``format_version`` 1; every field is covered by the signature)::

    {"format": "sentinela_hash_list", "format_version": 1,
     "kind": "snapshot" | "delta", "tier": "baseline_only",
     "version": 7, "since": 5,            # since: null for a snapshot
     "created_at": "2026-03-01T09:00:00Z", # when version 7 was released
     "entry_count": 1234,                 # live entries at version 7
     "state_digest": "<64 hex>",          # of those live entries, see state_digest()
     "fields": ["type", "digest", "scheme", "code", "baseline"],
     "entries": [["md5", "<hex>", "project_vic_us", "1", true], ...],
     "revocations": [["md5", "<hex>", "false_positive"], ...]}

Entries are rows rather than objects: a full list holds millions of them. A delta is applied
by removing every revoked (tombstoned) hash first, then adding every entry, so a hash whose
category changed appears as a tombstone and an entry in the same delta. A delta from version
0 holds every live entry and no tombstones, so it doubles as a first download.

Why a state digest: after applying a delta the provider recomputes the digest of what it
holds and compares it with the signed one, which proves that its copy is exactly the
police's list at that version. The digest is the sum, modulo 2**256, of the SHA-256 of each
entry's canonical line, so it can be updated entry by entry instead of rehashing millions of
entries on every delta. It is a consistency check; authenticity comes from the signature.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, NamedTuple

from sentinela.sharing.errors import ReleaseVerificationError

FORMAT: Final = "sentinela_hash_list"
FORMAT_VERSION: Final = 1
KINDS: Final = ("snapshot", "delta")
FIELDS: Final = ("type", "digest", "scheme", "code", "baseline")
#: Hash types a list may hold, with the length of their lower-case hex digests.
DIGEST_LENGTHS: Final = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}
_MODULUS: Final = 1 << 256
_HEX = re.compile(r"^[0-9a-f]+$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class ListEntry(NamedTuple):
    """One published hash: its type, digest, category and baseline flag."""

    hash_type: str
    digest: str
    scheme: str
    code: str
    baseline: bool

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the entry in a list: (hash type, digest)."""
        return (self.hash_type, self.digest)

    def line(self) -> bytes:
        """The canonical line the state digest is computed over."""
        flag = "1" if self.baseline else "0"
        return f"{self.hash_type}\t{self.digest}\t{self.scheme}\t{self.code}\t{flag}".encode()


class Tombstone(NamedTuple):
    """A hash withdrawn from the list, and why (``false_positive``, ``withdrawn``...)."""

    hash_type: str
    digest: str
    reason: str

    @property
    def key(self) -> tuple[str, str]:
        """(hash type, digest)."""
        return (self.hash_type, self.digest)


def entry_term(entry: ListEntry) -> int:
    """One entry's contribution to the state digest."""
    return int.from_bytes(hashlib.sha256(entry.line()).digest(), "big")


def state_digest(entries: Iterable[ListEntry]) -> str:
    """The digest of a whole list (order does not matter)."""
    return digest_hex(sum(entry_term(e) for e in entries) % _MODULUS)


def digest_hex(value: int) -> str:
    """A state digest value as 64 hex characters."""
    return f"{value % _MODULUS:064x}"


def format_time(value: datetime) -> str:
    """UTC, to the second, with a ``Z``."""
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


@dataclass(frozen=True)
class HashListDocument:
    """A snapshot or a delta, as built by the server or parsed by a provider."""

    kind: str
    tier: str
    version: int
    since: int | None
    created_at: str
    entry_count: int
    state_digest: str
    entries: list[ListEntry]
    revocations: list[Tombstone]

    def to_payload(self) -> dict[str, Any]:
        """The JSON payload that is signed."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kind": self.kind,
            "tier": self.tier,
            "version": self.version,
            "since": self.since,
            "created_at": self.created_at,
            "entry_count": self.entry_count,
            "state_digest": self.state_digest,
            "fields": list(FIELDS),
            "entries": [list(e) for e in self.entries],
            "revocations": [list(t) for t in self.revocations],
        }

    @classmethod
    def from_payload(cls, payload: Any) -> HashListDocument:
        """Parse and validate a payload (after its signature was checked).

        Raises:
            ReleaseVerificationError: another format or version, or a malformed field; the
                message names the field or the entry's position.
        """
        if not isinstance(payload, dict):
            raise ReleaseVerificationError("a hash-list payload is a JSON object")
        if payload.get("format") != FORMAT or payload.get("format_version") != FORMAT_VERSION:
            raise ReleaseVerificationError(
                f"not a {FORMAT} v{FORMAT_VERSION} document: "
                f"{payload.get('format')!r} v{payload.get('format_version')!r}"
            )
        if payload.get("fields") != list(FIELDS):
            raise ReleaseVerificationError(f"entry fields must be {list(FIELDS)}")
        kind = _field(payload, "kind", str)
        if kind not in KINDS:
            raise ReleaseVerificationError(f"unknown document kind {kind!r}")
        since = payload.get("since")
        if kind == "delta" and not (isinstance(since, int) and since >= 0):
            raise ReleaseVerificationError("a delta needs 'since', a version number")
        return cls(
            kind=kind,
            tier=_field(payload, "tier", str),
            version=_field(payload, "version", int),
            since=since if kind == "delta" else None,
            created_at=_field(payload, "created_at", str),
            entry_count=_field(payload, "entry_count", int),
            state_digest=_field(payload, "state_digest", str),
            entries=[_entry(row, i) for i, row in enumerate(_field(payload, "entries", list))],
            revocations=[
                _tombstone(row, i) for i, row in enumerate(_field(payload, "revocations", list))
            ],
        )


def _field(payload: dict[str, Any], name: str, kind: type) -> Any:
    value = payload.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ReleaseVerificationError(f"field {name!r} must be a {kind.__name__}")
    return value


def check_digest(hash_type: str, digest: str, where: str) -> None:
    """Raise unless ``digest`` is canonical lower-case hex of the right length for its type."""
    length = DIGEST_LENGTHS.get(hash_type)
    if length is None:
        raise ReleaseVerificationError(f"{where}: unknown hash type {hash_type!r}")
    if len(digest) != length or not _HEX.match(digest):
        raise ReleaseVerificationError(f"{where}: malformed {hash_type} digest {digest[:80]!r}")


def _entry(row: Any, position: int) -> ListEntry:
    where = f"entry #{position}"
    if not isinstance(row, list) or len(row) != len(FIELDS):
        raise ReleaseVerificationError(f"{where}: expected {len(FIELDS)} fields")
    hash_type, digest, scheme, code, baseline = row
    if not (isinstance(hash_type, str) and isinstance(digest, str)):
        raise ReleaseVerificationError(f"{where}: type and digest must be strings")
    check_digest(hash_type, digest, where)
    if not (isinstance(scheme, str) and isinstance(code, str) and isinstance(baseline, bool)):
        raise ReleaseVerificationError(f"{where}: malformed category or baseline flag")
    return ListEntry(hash_type, digest, scheme, code, baseline)


def _tombstone(row: Any, position: int) -> Tombstone:
    where = f"revocation #{position}"
    if not isinstance(row, list) or len(row) != 3 or not all(isinstance(v, str) for v in row):
        raise ReleaseVerificationError(f"{where}: expected [type, digest, reason]")
    check_digest(row[0], row[1], where)
    return Tombstone(row[0], row[1], row[2])
