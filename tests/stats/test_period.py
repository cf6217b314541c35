"""Periods: forms, boundaries and the period before."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sentinela.errors import InvalidInputError
from sentinela.stats.period import Scope, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2025"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2025-Q4"),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "2026-Q3"),
        ("2026-01", date(2026, 1, 1), date(2026, 2, 1), "2025-12"),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1), "2026-01"),
        ("2026-03-01..2026-03-10", date(2026, 3, 1), date(2026, 3, 11), "2026-02-19..2026-02-28"),
    ],
)
def test_forms(text: str, start: date, end: date, previous: str) -> None:
    p = parse_period(text)
    assert (p.start, p.end, p.label) == (start, end, text)
    assert p.previous().label == previous
    assert p.previous().end == p.start


@pytest.mark.parametrize(
    "text",
    ["", "26", "2026-Q5", "2026-13", "2026-02-30..2026-03-01", "2026-03-02..2026-03-01", "1969"],
)
def test_malformed(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_period(text)


def test_boundaries_are_half_open() -> None:
    p = parse_period("2026")
    assert p.contains(datetime(2026, 1, 1, tzinfo=UTC))
    assert p.contains(datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    assert not p.contains(datetime(2027, 1, 1, tzinfo=UTC))
    scope = Scope(p, None, datetime(2026, 6, 1, tzinfo=UTC))
    assert scope.counts(datetime(2026, 6, 1, tzinfo=UTC))
    assert not scope.counts(datetime(2026, 6, 1, 0, 0, 1, tzinfo=UTC))


def test_as_of_must_be_aware() -> None:
    with pytest.raises(InvalidInputError):
        Scope(parse_period("2026"), None, datetime(2026, 6, 1))
