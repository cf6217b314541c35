"""SHA-256 hash type."""

from __future__ import annotations

from sentinela.hashing.types.sha256 import Sha256


def test_sha256_of_empty_input() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert Sha256().hash_bytes(b"") == expected
