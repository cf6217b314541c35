"""SHA-1 hash type."""

from __future__ import annotations

from sentinela.hashing.types.sha1 import Sha1


def test_sha1_of_empty_input() -> None:
    assert Sha1().hash_bytes(b"") == "da39a3ee5e6b4b0d3255bfef95601890afd80709"
