"""Takedown stage durations and removal shares, on hand-checked reports.

2026 cohort (reported in 2026): r1, r2, r3, r4, r5, r7, r8 (r6 is reported in 2027).
Hours:       decision  notice  removal  total
  r1 a PT        2        4       24      30
  r2 a PT       10        2      100     112
  r3 b NL        1        1        -       -     never removed; 42 days have passed
  r4 b NL        5        5      504     514     open at the end of 2026, removed 2027-01-10
  r5 c ??        3        -        -       -     not illegal: closed, never notified
  r7 a PT        -        -        -       -     not decided yet
  r8 b NL        1      599        -       -     held, notified 2026-12-25; 42 days not passed
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentinela.services.context import ServiceContext
from sentinela.stats.catalogue import build_metric_registry
from sentinela.stats.period import Scope, year_period
from tests.stats.helpers import compute


@pytest.fixture
def test_stage_durations(shared: ServiceContext) -> None:
    r = compute(shared, "takedown_stages")
    # decision [1,1,2,3,5,10]: p50 rank 3 -> 2, p90 rank 6 -> 10; r7 is open.
    # notice [1,2,4,5,599]: p50 rank 3 -> 4, p90 rank 5 -> 599; none open (r5 is closed).
    # removal [24,100,504]: p50 100, p90 504; r3 and r8 open.
    # total [30,112,514]: p50 112, p90 514; r3, r7, r8 open.
    assert [row[:1] + row[2:] for row in r.table("stages").rows] == [
        ("decision", 6, 2.0, 10.0, 1),
        ("notice", 5, 4.0, 599.0, 0),
        ("removal", 3, 100.0, 504.0, 2),
        ("total", 3, 112.0, 514.0, 3),
    ]


def test_removal_shares(shared: ServiceContext) -> None:
    r = compute(shared, "takedown_stages")
    # Notified: r1, r2, r3, r4, r8. Within 72 h: r1 only, of 5 known -> 0.2.
    # Still up after 42 days: r3, of r1, r2, r3, r4 (r8's 42 days have not passed) -> 0.25.
    assert (r.figure("reports"), r.figure("notified"), r.figure("removed")) == (7, 5, 3)
    assert (r.figure("removal_p50_hours"), r.figure("removal_p90_hours")) == (100.0, 504.0)
    assert r.figure("share_removed_72h") == 0.2
    assert r.figure("share_up_42d") == 0.25


def test_by_host_and_country_slowest_first(shared: ServiceContext) -> None:
    r = compute(shared, "takedown_stages")
    assert r.table("by_host").rows == (
        ("b.example", 3, 3, 1, 504.0, 504.0, 0.0, 0.5, 2),
        ("a.example", 3, 2, 2, 24.0, 100.0, 0.5, 0.0, 0),
        ("c.example", 1, 0, 0, None, None, None, None, 0),
    )
    countries = [row[0] for row in r.table("by_country").rows]
    assert countries == ["NL", "PT", "(unknown)"]


def test_a_takedown_still_open_at_the_end_of_the_period(shared: ServiceContext) -> None:
    # Taken at the end of 2026, r4 is not removed yet: it is open, not a duration, and its
    # 42 days have not passed; its 72 hours have (not removed within them).
    metric = build_metric_registry().get("takedown_stages")
    with shared.transaction() as session:
        r = metric.compute(
            session, Scope(year_period(2026), None, datetime(2027, 1, 1, tzinfo=UTC))
        )
    removal = r.table("stages").rows[2]
    assert removal[0] == "removal" and removal[2:] == (2, 24.0, 100.0, 3)
    assert r.figure("share_removed_72h") == 0.2  # r1 of r1, r2, r3, r4, r8
    assert r.figure("share_up_42d") == pytest.approx(1 / 3)  # r3 of r1, r2, r3


def test_takedown_is_national(shared: ServiceContext) -> None:
    r = compute(shared, "takedown_stages", unit="Unit A")
    assert r.tables == () and r.figures == () and r.notes
