"""Entry helpers: failures from errors, timestamps, paths."""

from __future__ import annotations

from datetime import UTC, datetime

from sentinela.errors import CorruptEvidenceError, DecompressionBombError
from sentinela.evidence.entries import (
    FailureCode,
    SourceLimits,
    failure_for_error,
    join_member,
    utc_from_timestamp,
)
from sentinela.evidence.errors import UnreadableEvidenceError


def test_failure_for_error() -> None:
    assert failure_for_error("a.zip!/b", DecompressionBombError("x")).code is FailureCode.ZIP_BOMB
    assert (
        failure_for_error("a.zip!/b", CorruptEvidenceError("x")).code is FailureCode.CORRUPT_ARCHIVE
    )
    assert failure_for_error("b.jpg", CorruptEvidenceError("x")).code is FailureCode.UNREADABLE
    assert failure_for_error("b.jpg", UnreadableEvidenceError("x")).code is FailureCode.UNREADABLE
    assert failure_for_error("b.jpg", OSError(5, "I/O error")).message == "[Errno 5] I/O error"
    assert "\n" not in failure_for_error("b", CorruptEvidenceError("one\ntwo")).message


def test_utc_from_timestamp() -> None:
    assert utc_from_timestamp(0) is None
    assert utc_from_timestamp(None) is None
    assert utc_from_timestamp(1_700_000_000, 123_456_789) == datetime(
        2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC
    )
    assert utc_from_timestamp(10**20) is None


def test_join_member() -> None:
    assert join_member("", "a.txt") == "a.txt"
    assert join_member("DCIM/a.zip", "b.jpg") == "DCIM/a.zip!/b.jpg"


def test_expansion_cap() -> None:
    limits = SourceLimits(max_ratio=100, ratio_floor_bytes=1000, max_expanded_bytes=50_000)
    assert limits.expansion_cap(1) == 1000
    assert limits.expansion_cap(100) == 10_000
    assert limits.expansion_cap(10_000) == 50_000
