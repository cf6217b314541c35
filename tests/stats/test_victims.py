"""Victims identified and offenders identified, on the hand-checked fixture."""

from __future__ import annotations

from datetime import date

import pytest

from sentinela.services import cases, victims
from sentinela.services.context import ServiceContext
from sentinela.services.users import set_roles
from sentinela.stats.victims import VictimsIdentified
from tests.stats.helpers import Fixture, compute


def test_victims_identified_2026(shared: ServiceContext) -> None:
    # 2026: v3 (A, 01-05), v4 (A, 02-10), v5 (B, 12-31, the last day). Not v6: dated
    # 2026-12-30 but recorded after the as-of instant. Not v7: dated 2027.
    # 2025: v1, v2. Target: 2 * 1.10 = 2.2; 3 >= 2.2; growth (3 - 2) / 2 = 0.5.
    r = compute(shared, "victims_identified")
    assert r.figure("victims") == 3
    assert r.figure("previous") == 2
    assert r.figure("growth") == 0.5
    assert r.figure("target") == pytest.approx(2.2)
    assert r.figure("target_met") is True
    assert r.table("by_unit").rows == (("Unit A", 2), ("Unit B", 1))
    sources = dict(r.table("by_lead_source").rows)
    assert sources["visual_link"] == 1 and sources["camera_link"] == 1
    assert sources["partner_agency"] == 1 and sources["hash_match"] == 0
    assert sum(int(v) for v in sources.values() if v is not None) == 3
    trend = r.table("trend").rows
    assert [row[:2] for row in trend] == [
        ("2022", 0),
        ("2023", 0),
        ("2024", 0),
        ("2025", 2),
        ("2026", 3),
    ]
    assert trend[3][2:] == (0.0, None)  # no growth rate from zero
    assert trend[4][2:] == (pytest.approx(2.2), True)


def test_victims_identified_by_unit_misses_target(shared: ServiceContext) -> None:
    # Unit B: 2025 v2, 2026 v5: 1 against a target of 1.1.
    r = compute(shared, "victims_identified", unit="Unit B")
    assert (r.figure("victims"), r.figure("previous"), r.figure("growth")) == (1, 1, 0.0)
    assert r.figure("target_met") is False
    assert r.table("by_unit").rows == (("Unit B", 1),)


def test_victims_identified_quarter(shared: ServiceContext) -> None:
    # 2026-Q1: v3, v4; 2025-Q4: none, so no growth rate and no verdict.
    r = compute(shared, "victims_identified", period="2026-Q1")
    assert (r.figure("victims"), r.figure("previous")) == (2, 0)
    assert r.figure("growth") is None and r.figure("target_met") is None
    assert [row[0] for row in r.table("trend").rows][-2:] == ["2025-Q4", "2026-Q1"]


def test_a_victim_identified_by_two_units_counts_once(ctx: ServiceContext, fx: Fixture) -> None:
    admin = ctx.with_actor("admin")
    set_roles(admin, "alice", ["examiner", "victim_id_specialist"])
    set_roles(admin, "bob", ["examiner", "victim_id_specialist"])
    cases.create_case(ctx, "C-X", title="shared", unit="Unit A")
    cases.add_member(ctx, "C-X", "bob")
    victim = victims.create_victim(ctx, "C-X")
    victims.identify_victim(
        ctx, victim, identified_on=date(2026, 3, 1), lead_source="visual_link", case_number="C-X"
    )
    with pytest.raises(victims.VictimAlreadyIdentified):
        victims.identify_victim(
            ctx.with_actor("bob"),
            victim,
            identified_on=date(2026, 2, 28),
            lead_source="hash_match",
            case_number="C-X",
        )
    r = compute(ctx, "victims_identified")
    # The fixture's 3, plus this victim once, for Unit A (alice's unit), who recorded first.
    assert r.figure("victims") == 4
    assert r.table("by_unit").rows == (("Unit A", 3), ("Unit B", 1))
    assert dict(r.table("by_lead_source").rows)["hash_match"] == 0


def test_offenders_identified(shared: ServiceContext) -> None:
    # 2026: o1 (C-A, named), o2 (C-B, unnamed). o3 is 2025.
    r = compute(shared, "offenders_identified")
    assert (r.figure("offenders"), r.figure("named")) == (2, 1)
    assert r.table("by_unit").rows == (("Unit A", 1, 1), ("Unit B", 1, 0))
    assert compute(shared, "offenders_identified", unit="Unit B").figure("offenders") == 1


def test_definition_is_versioned() -> None:
    d = VictimsIdentified.definition
    assert d.version == d.history[-1].version == 1
