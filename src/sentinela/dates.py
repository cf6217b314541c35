"""Parsing of dates and times typed by users."""

from __future__ import annotations

from datetime import UTC, datetime

from sentinela.errors import InvalidInputError


def parse_when(value: str, *, what: str = "date") -> datetime:
    """Parse ``YYYY-MM-DD`` or an ISO 8601 date-time into an aware UTC datetime.

    A value without a UTC offset is taken as UTC, and a bare date as midnight UTC; both are
    documented in the CLI help so that nobody assumes local time.

    Raises:
        InvalidInputError: the value is not a valid date or date-time.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(
            f"malformed {what} {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
