"""MD5 hash type."""

from __future__ import annotations

from sentinela.hashing.types.md5 import Md5


def test_md5_of_empty_input() -> None:
    assert Md5().hash_bytes(b"") == "d41d8cd98f00b204e9800998ecf8427e"
