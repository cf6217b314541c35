"""Industry volume per provider, on hand-checked usage counters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentinela.services.context import ServiceContext
from sentinela.stats.catalogue import build_metric_registry
from sentinela.stats.period import Scope, year_period
from tests.stats.helpers import compute


@pytest.fixture
def test_volume_per_provider_2026(shared: ServiceContext) -> None:
    # hostco: 01-01 (2 req, 1000/3, dl 1) + 06-30 (1 req, 500/0, local 2000/4): 7 of 3500.
    # socialnet: 12-31 (5 req, 100/10): 10 of 100. Its 2025 day and hostco's 2027 day are out.
    r = compute(shared, "industry_volume")
    assert r.table("by_provider").rows == (
        ("hostco", "Host Co", 3, 1500, 3, 2000, 4, 1, 2, 0.002),
        ("socialnet", "Social Net", 5, 100, 10, 0, 0, 0, 1, 0.1),
    )
    assert (r.figure("hashes_examined"), r.figure("hashes_matched")) == (3600, 17)
    assert r.figure("share_matched") == pytest.approx(17 / 3600)


def test_the_as_of_day_is_left_out(shared: ServiceContext) -> None:
    metric = build_metric_registry().get("industry_volume")
    as_of = datetime(2026, 6, 30, 12, tzinfo=UTC)
    with shared.transaction() as session:
        r = metric.compute(session, Scope(year_period(2026), None, as_of))
    assert r.table("by_provider").rows == (("hostco", "Host Co", 2, 1000, 3, 0, 0, 1, 1, 0.003),)


def test_industry_is_national(shared: ServiceContext) -> None:
    assert compute(shared, "industry_volume", unit="Unit A").tables == ()
