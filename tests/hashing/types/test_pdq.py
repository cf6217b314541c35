"""PDQ hash type: Hamming distance and full-resolution hashing."""

from __future__ import annotations

import pytest

from sentinela.errors import UnsupportedMediaError
from sentinela.hashing.types.pdq import Pdq
from tests.hashing.helpers import PATTERN_PDQ, PATTERN_PNG

PDQ = Pdq()


def test_hash_bytes_of_the_fixture() -> None:
    assert PDQ.hash_bytes(PATTERN_PNG.read_bytes()) == PATTERN_PDQ


def test_hamming_distance() -> None:
    zero = "0" * 64
    assert PDQ.distance(zero, "f" * 64) == 256
    assert PDQ.distance(zero, "0" * 63 + "7") == 3
    assert PDQ.distance(PATTERN_PDQ, PATTERN_PDQ.upper()) == 0


def test_threshold_is_threatexchanges() -> None:
    assert not PDQ.exact
    assert PDQ.default_threshold == 31


def test_hash_bytes_of_a_non_image() -> None:
    with pytest.raises(UnsupportedMediaError):
        PDQ.hash_bytes(b"not an image")
