"""Media ingested, known at ingest and never shown, on the hand-checked fixture."""

from __future__ import annotations

import pytest

from sentinela.services.context import ServiceContext
from tests.stats.helpers import compute

# 2026 files (see helpers.build):
#   Unit A: m1 (k1 live: categorised), m2 on 01-20 (k2, its exact SHA-256, live: categorised;
#           no match row is left, the digest itself decides), m2 on 03-01 (k2 removed on 02-01:
#           not known), m3 (k3: benign), m4 on 03-01 (k4 only added 03-15:
#           not known), m5 (no match: not known). m5's 2025 file is outside 2026.
#   Unit B: m1 (k1), m4 on 04-01 (k4 now live), m6 (k1 and k3: categorised wins).
# New to the store in 2026: all but m5 (first seen 2025-12-31).
UNIT_A = ("Unit A", 6, 5, 4, 2, 1, 3, 0.5, 3)
UNIT_B = ("Unit B", 3, 3, 3, 3, 0, 0, 1.0, 3)
TOTAL = ("(all units)", 9, 6, 5, 5, 1, 3, pytest.approx(6 / 9), 5)


def test_media_ingested_2026(shared: ServiceContext) -> None:
    r = compute(shared, "media_ingested")
    table = r.table("by_unit")
    assert table.rows == (UNIT_A, UNIT_B, TOTAL)
    assert table.has_total and table.body == (UNIT_A, UNIT_B)
    assert r.figure("files") == 9
    assert r.figure("distinct_media") == 6
    assert r.figure("new_to_store") == 5
    assert r.figure("share_known") == pytest.approx(6 / 9)
    assert r.figure("share_known_media") == pytest.approx(5 / 6)


def test_a_hash_removed_from_a_set(shared: ServiceContext) -> None:
    # m2: known in January while k2 was live; its March copy, after the removal, is not.
    # Recounting later does not change January: the removal is not applied backwards.
    jan = compute(shared, "media_ingested", period="2026-01").table("by_unit")
    assert jan.rows[0][:7] == ("Unit A", 3, 3, 3, 2, 1, 0)
    march = compute(shared, "media_ingested", period="2026-03").table("by_unit")
    # March, Unit A: m2 (removed), m4 (not yet added), m5: three files, none known.
    assert march.rows[0][:8] == ("Unit A", 3, 3, 1, 0, 0, 3, 0.0)


def test_media_ingested_unit_filter_and_empty(shared: ServiceContext) -> None:
    r = compute(shared, "media_ingested", unit="Unit B")
    assert r.table("by_unit").rows == (UNIT_B, ("(all units)", *UNIT_B[1:]))
    empty = compute(shared, "media_ingested", period="2024")
    assert empty.figure("files") == 0
    assert empty.figure("share_known") is None  # 0/0 is undefined, not 0
    assert empty.table("by_unit").rows == ()


def test_year_boundary(shared: ServiceContext) -> None:
    # m5's file at 2025-12-31T08:00 belongs to 2025 only.
    r = compute(shared, "media_ingested", period="2025")
    assert r.figure("files") == 1 and r.figure("new_to_store") == 1


def test_media_never_shown(shared: ServiceContext) -> None:
    # Shown up to the as-of instant: m4 revealed, m5 blurred (2026), m1 blurred in 2027.
    # m3's reveal comes after the as-of instant and does not count.
    # Unit A: m1..m5 -> shown m1, m4, m5; never m2, m3.
    # Unit B: m1, m4, m6 -> shown m1, m4; never m6.
    r = compute(shared, "media_never_shown")
    assert r.table("by_unit").rows == (
        ("Unit A", 5, 3, 1, 2, 0.4),
        ("Unit B", 3, 2, 1, 1, pytest.approx(1 / 3)),
        ("(all units)", 6, 3, 1, 3, 0.5),
    )
    assert (r.figure("never_shown"), r.figure("share_never_shown")) == (3, 0.5)
