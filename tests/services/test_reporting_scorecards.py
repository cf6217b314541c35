"""Host scorecards: removal p50/p90 after notice, still up, re-uploads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sentinela.db.reporting import Report
from sentinela.services.takedown_scorecards import percentile, scorecard

T0 = datetime(2026, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def _report(
    i: int, notice_h: float | None, removed_h: float | None, sha: str = "", at: float = 0
) -> Report:
    first = T0 + at * H
    return Report(
        id=i,
        url=f"http://h.test/{i}",
        url_sha256=str(i),
        host="h.test",
        hosting_name="H",
        country="PT",
        first_reported_at=first,
        last_reported_at=first,
        deadline_at=first,
        first_notice_at=first + notice_h * H if notice_h is not None else None,
        removed_at=first + removed_h * H if removed_h is not None else None,
        content_sha256=sha or None,
    )


def test_percentiles_by_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 90) == 5.0
    values = [float(v) for v in range(1, 11)]
    assert (percentile(values, 50), percentile(values, 90)) == (5.0, 9.0)


def test_scorecard() -> None:
    reports = [
        _report(1, 1, 3, sha="aa"),  # removed 2 h after notice
        _report(2, 1, 11),  # 10 h
        _report(3, 1, 25),  # 24 h
        _report(4, 1, None),  # still up
        _report(5, None, None),  # never notified
        _report(6, 1, None, sha="aa", at=100),  # same content back after removal
    ]
    card = scorecard("h.test", reports)
    assert (card.reports, card.notified, card.removed_after_notice, card.still_up) == (6, 5, 3, 2)
    assert (card.removal_hours_p50, card.removal_hours_p90) == (10.0, 24.0)
    assert card.reuploads == 1
