"""PDQ hex conversion and validation."""

from __future__ import annotations

import numpy as np
import pytest

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.matching import codes_to_hex, hex_to_codes
from sentinela.matching.codes import check_ids, hamming_distance

ZERO = "0" * 64
TOP = "8" + "0" * 63


def test_hex_round_trip_is_msb_first_and_lower_case() -> None:
    codes = hex_to_codes([TOP, "F" * 64, "0123456789abcdefABCDEF" + "0" * 42])
    assert codes.shape == (3, 32) and codes[0, 0] == 0x80 and codes[0, 1:].sum() == 0
    assert codes_to_hex(codes) == [TOP, "f" * 64, "0123456789abcdefabcdef" + "0" * 42]


@pytest.mark.parametrize(
    "bad", ["0" * 63, "0" * 65, "g" + "0" * 63, " " + "0" * 63, "00 " + "0" * 61, "é" + "0" * 63]
)
def test_bad_hex_raises_naming_the_position(bad: str) -> None:
    with pytest.raises(InvalidHashError, match="#1"):
        hex_to_codes([ZERO, bad])


def test_empty_list_gives_empty_codes() -> None:
    assert hex_to_codes([]).shape == (0, 32)


def test_hamming_distance_reference() -> None:
    assert hamming_distance(ZERO, TOP) == 1
    assert hamming_distance(ZERO, "f" * 64) == 256


def test_ids_are_checked() -> None:
    with pytest.raises(InvalidInputError):
        check_ids(np.arange(3), 4)
    with pytest.raises(InvalidInputError):
        check_ids(np.zeros(2, np.float64), 2)
    assert check_ids(np.arange(2, dtype=np.uint8), 2).dtype == np.int64
