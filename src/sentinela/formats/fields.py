"""Field converters shared by the importers.

Each converter accepts the spellings real files use (booleans as JSON ``true``, ``"True"``,
``"Y"`` or ``"Yes"``; integers as numbers or digit strings; upper- or lower-case hex) and raises
:class:`FieldError` for anything else. Importers turn a :class:`FieldError` (or an
:class:`~sentinela.errors.InvalidHashError`) into a
:class:`~sentinela.errors.FormatError` carrying the file and the record position, with
:func:`record_error`.
"""

from __future__ import annotations

from pathlib import Path

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.records import normalise_digest

UTF8_BOM = b"\xef\xbb\xbf"

_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


class FieldError(InvalidInputError):
    """One field of a record has the wrong type or an impossible value."""


def parse_flag(value: object, field: str) -> bool | None:
    """Return a boolean from JSON booleans or strings ("true", "False", "Y", "No", "1"...).

    ``None`` and empty strings mean unknown.

    Raises:
        FieldError: any other value.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    elif isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise FieldError(f"{field} must be a boolean, got {value!r}")


def parse_int(value: object, field: str, *, minimum: int = 0) -> int | None:
    """Return an integer from a JSON number or a digit string; ``None``/"" mean unknown.

    Raises:
        FieldError: booleans, fractions, non-digit strings or values below ``minimum``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(f"{field} must be an integer, got {value!r}")
    number: int
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not text.lstrip("-").isdigit() or not text.isascii():
            raise FieldError(f"{field} must be an integer, got {value!r}")
        number = int(text)
    else:
        raise FieldError(f"{field} must be an integer, got {value!r}")
    if number < minimum:
        raise FieldError(f"{field} must be at least {minimum}, got {number}")
    return number


def parse_text(value: object, field: str) -> str | None:
    """Return a stripped string, ``None`` for null or empty; numbers are written as text.

    Raises:
        FieldError: booleans, lists and objects.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FieldError(f"{field} must be a string, got {type(value).__name__}")


def parse_digest(hash_type: str, value: object, field: str) -> str:
    """Return the canonical digest of ``value``.

    Raises:
        FieldError: the value is not a string.
        InvalidHashError: wrong length or non-hex digits.
    """
    if not isinstance(value, str):
        raise FieldError(f"{field} must be a hex string, got {type(value).__name__}")
    try:
        return normalise_digest(hash_type, value)
    except InvalidHashError as error:
        raise InvalidHashError(f"{field}: {error}") from None


def record_error(
    error: InvalidInputError | InvalidHashError, path: Path | str, position: str
) -> FormatError:
    """Wrap a field error into the :class:`FormatError` naming the file and the position."""
    return FormatError(str(error), path=str(path), position=position)


def strip_bom(head: bytes) -> bytes:
    """Return ``head`` without a UTF-8 byte-order mark."""
    return head[len(UTF8_BOM) :] if head.startswith(UTF8_BOM) else head
