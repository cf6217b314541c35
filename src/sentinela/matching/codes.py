"""PDQ hashes as binary codes: hex conversion and validation.

A PDQ hash is 256 bits, written as 64 hex characters, most significant bit first, exactly as
python-threatexchange and the reference implementation write it. The indexes work on the raw
32 bytes of that hex string (``bytes.fromhex``), shape ``(N, 32)`` and dtype ``uint8``. The
Hamming distance is the same whichever way the bits are later grouped into machine words, so
the indexes are free to read those bytes as little-endian ``uint64`` words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from sentinela.errors import InvalidHashError, InvalidInputError

PDQ_BITS = 256
PDQ_BYTES = PDQ_BITS // 8
PDQ_HEX_LEN = PDQ_BYTES * 2
PDQ_WORDS = PDQ_BYTES // 8

Codes = NDArray[np.uint8]
Ids = NDArray[np.int64]

_HEX_BYTES = np.zeros(256, dtype=bool)
_HEX_BYTES[np.frombuffer(b"0123456789abcdefABCDEF", dtype=np.uint8)] = True


def _bad_hex(value: str, position: int) -> InvalidHashError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return InvalidHashError(
        f"PDQ hash #{position} {shown!r} is not {PDQ_HEX_LEN} hexadecimal characters"
    )


def hex_to_codes(hexes: Sequence[str]) -> Codes:
    """Convert PDQ hex strings to an ``(N, 32)`` array of codes.

    Upper- and lower-case hex are both accepted; nothing else is (no whitespace, no prefix).

    Args:
        hexes: PDQ hashes as 64-character hex strings.

    Returns:
        The codes, one row per hash, in input order.

    Raises:
        InvalidHashError: a hash has the wrong length or a non-hex character; the message
            names its position in ``hexes``.
    """
    for position, value in enumerate(hexes):
        if not isinstance(value, str) or len(value) != PDQ_HEX_LEN:
            raise _bad_hex(str(value), position)
    joined = "".join(hexes)
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        raw = b""
    if len(raw) != len(joined) or not _HEX_BYTES[np.frombuffer(raw, dtype=np.uint8)].all():
        for position, value in enumerate(hexes):
            if not all(ch in "0123456789abcdefABCDEF" for ch in value):
                raise _bad_hex(value, position)
    return np.frombuffer(bytes.fromhex(joined), dtype=np.uint8).reshape(-1, PDQ_BYTES).copy()


def codes_to_hex(codes: Codes) -> list[str]:
    """Convert codes back to lower-case PDQ hex strings.

    Raises:
        InvalidHashError: ``codes`` is not an ``(N, 32)`` ``uint8`` array.
    """
    raw = check_codes(codes).tobytes().hex()
    return [raw[i : i + PDQ_HEX_LEN] for i in range(0, len(raw), PDQ_HEX_LEN)]


def check_codes(codes: object) -> Codes:
    """Return ``codes`` as a C-contiguous ``(N, 32)`` ``uint8`` array.

    Raises:
        InvalidHashError: wrong dtype or shape.
    """
    if not isinstance(codes, np.ndarray) or codes.dtype != np.uint8:
        raise InvalidHashError("PDQ codes must be a numpy uint8 array")
    if codes.ndim != 2 or codes.shape[1] != PDQ_BYTES:
        raise InvalidHashError(f"PDQ codes must have shape (N, {PDQ_BYTES}), not {codes.shape}")
    return np.ascontiguousarray(codes)


def check_ids(ids: object, count: int) -> Ids:
    """Return ``ids`` as a contiguous ``int64`` vector of length ``count``.

    Raises:
        InvalidInputError: not an integer vector of that length.
    """
    if not isinstance(ids, np.ndarray) or ids.dtype.kind not in "iu":
        raise InvalidInputError("ids must be a numpy integer array")
    if ids.ndim != 1 or ids.shape[0] != count:
        raise InvalidInputError(f"expected {count} ids, got shape {ids.shape}")
    if ids.dtype.kind == "u" and ids.size and int(ids.max()) > np.iinfo(np.int64).max:
        raise InvalidInputError("ids must fit in int64")
    return np.ascontiguousarray(ids, dtype=np.int64)


def check_radius(radius: int) -> int:
    """Return ``radius`` if it is a valid Hamming radius (0 to 256).

    Raises:
        InvalidInputError: not an integer in range.
    """
    if isinstance(radius, bool) or not isinstance(radius, int | np.integer):
        raise InvalidInputError(f"radius must be an integer, not {type(radius).__name__}")
    if not 0 <= int(radius) <= PDQ_BITS:
        raise InvalidInputError(f"radius must be between 0 and {PDQ_BITS}, not {radius}")
    return int(radius)


def code_words(codes: Codes) -> NDArray[np.uint64]:
    """The codes as ``(N, 4)`` little-endian ``uint64`` words (a view when possible)."""
    return check_codes(codes).view("<u8").astype(np.uint64, copy=False)


def hamming_distance(a: str, b: str) -> int:
    """The naive Hamming distance between two PDQ hex strings, the reference for tests.

    Raises:
        InvalidHashError: either is not a PDQ hex string.
    """
    x, y = hex_to_codes([a, b])
    return int(np.unpackbits(x ^ y).sum())
