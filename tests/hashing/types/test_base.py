"""The shared validation and exact-distance behaviour of hash types."""

from __future__ import annotations

import pytest

from sentinela.errors import InvalidHashError
from sentinela.hashing.types.md5 import Md5

MD5 = Md5()
ABC = "900150983cd24fb0d6963f7d28e17f72"


def test_validate_strips_whitespace_and_lowercases() -> None:
    assert MD5.validate(f"  {ABC.upper()}\n") == ABC


def test_error_names_the_length_problem() -> None:
    with pytest.raises(InvalidHashError, match=r"md5 digest must be 32 hex characters, got 31"):
        MD5.validate(ABC[:-1])


def test_error_names_the_bad_character_and_position() -> None:
    with pytest.raises(InvalidHashError, match=r"non-hex character 'z' at position 3"):
        MD5.validate("900z" + ABC[4:])


def test_exact_distance_is_zero_or_maximal() -> None:
    other = MD5.hash_bytes(b"abd")
    assert MD5.distance(ABC, ABC.upper()) == 0
    assert MD5.distance(ABC, other) == 128
    assert MD5.exact and MD5.default_threshold == 0
