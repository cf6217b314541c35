"""New items graded and analyst throughput, on the hand-checked fixture."""

from __future__ import annotations

from sentinela.services.context import ServiceContext
from tests.stats.helpers import compute


def test_new_items_graded_2026(shared: ServiceContext) -> None:
    # First grades: m2 alice 01-21 (C-A, 2); m1 02-01 12:00 bob (C-B, 1) and alice (C-A, 2)
    # at the same instant: bob's row was written first; m4 alice 03-05 (C-A, 1); m6 bob
    # 04-02 (C-B, 3). m5 was first graded in 2025. Grades given in 2026: 9 rows.
    r = compute(shared, "new_items_graded")
    assert r.figure("new_items_graded") == 4
    assert r.figure("grades_given") == 9
    assert r.table("by_unit").rows == (("Unit A", 2), ("Unit B", 2))
    assert r.table("by_category").rows == (
        ("project_vic_us", "1", 2),
        ("project_vic_us", "2", 1),
        ("project_vic_us", "3", 1),
    )


def test_new_items_graded_unit_filter(shared: ServiceContext) -> None:
    # Unit A: m2 and m4; grades given in C-A cases: 7.
    r = compute(shared, "new_items_graded", unit="Unit A")
    assert (r.figure("new_items_graded"), r.figure("grades_given")) == (2, 7)
    assert compute(shared, "new_items_graded", period="2025").figure("new_items_graded") == 1


def test_analyst_throughput_2026(shared: ServiceContext) -> None:
    # alice: m2, m1, m4, m5, m5 (5 grades, 4 media, 4 days); m5 blurred; m4 revealed.
    # bob: m2, m1, m4, m6 (4 grades, 4 media, 4 days); his display is in 2027.
    r = compute(shared, "analyst_throughput")
    assert r.table("by_analyst").rows == (
        ("alice", "Unit A", 5, 4, 4, 1, 1, 1),
        ("bob", "Unit B", 4, 4, 4, 0, 0, 0),
    )
    assert (r.figure("analysts"), r.figure("grades"), r.figure("revealed")) == (2, 9, 1)
    only_b = compute(shared, "analyst_throughput", unit="Unit B").table("by_analyst")
    assert [row[0] for row in only_b.rows] == ["bob"]
