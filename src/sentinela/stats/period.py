"""Reporting periods and the scope a metric is computed over.

Why periods are half-open ranges of whole UTC days: a metric must give the same answer on
every backend and in every time zone, and an event exactly at midnight must fall in exactly
one period. A period is ``[start, end)``: ``start`` is the first day counted and ``end`` the
first day not counted. Timestamps are compared in UTC; calendar dates (a victim's
identification date) are compared as dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sentinela.errors import InvalidInputError

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
EARLIEST_YEAR = 1970
LATEST_YEAR = 2999


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole UTC days ``[start, end)``, with the label it was asked for by.

    ``kind`` is ``year``, ``quarter``, ``month`` or ``range``; it decides what the previous
    period is (the year before, the quarter before, ...).
    """

    start: date
    end: date
    kind: str
    label: str

    @property
    def start_at(self) -> datetime:
        """The first instant counted (midnight UTC)."""
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime:
        """The first instant not counted (midnight UTC)."""
        return _midnight(self.end)

    @property
    def last_day(self) -> date:
        """The last day counted (inclusive), for display."""
        return self.end - timedelta(days=1)

    def contains(self, when: datetime) -> bool:
        """Whether an aware timestamp falls in the period."""
        return self.start_at <= when < self.end_at

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "year":
            return year_period(self.start.year - 1)
        if self.kind == "quarter":
            start = _add_months(self.start, -3)
            return Period(start, self.start, "quarter", f"{start.year}-Q{start.month // 3 + 1}")
        if self.kind == "month":
            start = _add_months(self.start, -1)
            return Period(start, self.start, "month", f"{start:%Y-%m}")
        length = self.end - self.start
        start = self.start - length
        return range_period(start, self.start - timedelta(days=1))


def year_period(year: int) -> Period:
    """The calendar year ``year``.

    Raises:
        InvalidInputError: the year is outside 1970-2999.
    """
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidInputError(f"year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    return Period(date(year, 1, 1), date(year + 1, 1, 1), "year", str(year))


def range_period(first: date, last: date) -> Period:
    """The days ``first`` to ``last``, both included.

    Raises:
        InvalidInputError: ``last`` is before ``first``.
    """
    if last < first:
        raise InvalidInputError(f"period ends ({last}) before it starts ({first})")
    return Period(first, last + timedelta(days=1), "range", f"{first}..{last}")


def parse_period(text: str) -> Period:
    """Parse ``2026``, ``2026-Q1``, ``2026-03`` or ``2026-01-01..2026-06-30`` (inclusive).

    Raises:
        InvalidInputError: none of those forms, or an impossible date.
    """
    value = text.strip()
    try:
        if m := _YEAR.match(value):
            return year_period(int(m[1]))
        if m := _QUARTER.match(value):
            start = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            year_period(start.year)
            return Period(start, _add_months(start, 3), "quarter", value)
        if m := _MONTH.match(value):
            start = date(int(m[1]), int(m[2]), 1)
            year_period(start.year)
            return Period(start, _add_months(start, 1), "month", value)
        if m := _RANGE.match(value):
            first, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            year_period(first.year)
            year_period(last.year)
            return range_period(first, last)
    except ValueError as exc:
        raise InvalidInputError(f"impossible date in period {text!r}: {exc}") from None
    raise InvalidInputError(
        f"malformed period {text!r}: use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"
    )


@dataclass(frozen=True)
class Scope:
    """What one computation covers.

    Attributes:
        period: the days counted.
        unit: only this unit's events (what "unit" means is in each metric's definition);
            ``None`` for the whole country.
        as_of: the snapshot instant. Rows recorded after it are ignored, so a figure
            computed again later, with the same ``as_of``, is the same figure.
    """

    period: Period
    unit: str | None
    as_of: datetime

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise InvalidInputError("as_of must be an aware datetime")

    def counts(self, when: datetime) -> bool:
        """Whether a timestamp is in the period and not after ``as_of``."""
        return self.period.contains(when) and when <= self.as_of

    def previous(self) -> Scope:
        """The same scope over the previous period."""
        return Scope(self.period.previous(), self.unit, self.as_of)
