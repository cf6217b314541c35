"""Victims: pseudonyms, and an identification recorded exactly once, even under a race."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.victim_id import VictimIdentification
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.services import cases, victims
from sentinela.services.context import ServiceContext
from sentinela.services.victims import VictimAlreadyIdentified
from tests.services.victim_id_helpers import World, make_world, open_case


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "vera", "A-1", "Unit A", members=("viktor",))
    open_case(w, "viktor", "B-1", "Unit B", members=("vera",))
    return w


def test_victims_are_pseudonymous_and_identified_once(world: World) -> None:
    vera = world.as_("vera")
    vid = victims.create_victim(vera, "A-1", description="child, about 8")
    detail = victims.show_victim(vera, vid)
    assert re.fullmatch(r"V-[0-9A-F]{8}", detail.pseudonym)
    assert detail.status == "unidentified" and detail.identification is None
    view = victims.identify_victim(
        vera, vid, identified_on=date(2026, 2, 20), lead_source="visual_link", case_number="A-1"
    )
    assert (view.unit, view.lead_source, view.recorded_by) == ("Unit A", "visual_link", "vera")
    shown = victims.show_victim(vera, vid)
    assert shown.status == "identified" and shown.identification == view
    with pytest.raises(VictimAlreadyIdentified, match="Unit A"):
        victims.identify_victim(
            world.as_("viktor"),
            vid,
            identified_on=date(2026, 2, 21),
            lead_source="hash_match",
            case_number="A-1",
        )
    with world.ctx.transaction() as session:
        assert session.execute(select(func.count(VictimIdentification.id))).scalar_one() == 1
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "victim.identify")
        ).scalar_one()
        assert '"lead_source":"visual_link"' in event.details.replace(" ", "")


def test_two_units_identifying_at_the_same_moment(world: World) -> None:
    vid = victims.create_victim(world.as_("vera"), "A-1")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def identify(user: str, case_number: str) -> None:
        barrier.wait()
        try:
            outcomes[user] = victims.identify_victim(
                world.as_(user),
                vid,
                identified_on=date(2026, 2, 20),
                lead_source="partner_agency",
                case_number=case_number,
            )
        except VictimAlreadyIdentified as exc:
            outcomes[user] = exc

    threads = [
        threading.Thread(target=identify, args=("vera", "A-1")),
        threading.Thread(target=identify, args=("viktor", "B-1")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    told = [u for u, o in outcomes.items() if isinstance(o, VictimAlreadyIdentified)]
    recorded = [u for u, o in outcomes.items() if isinstance(o, victims.IdentificationView)]
    assert len(told) == 1 and len(recorded) == 1, outcomes
    winner_unit = {"vera": "Unit A", "viktor": "Unit B"}[recorded[0]]
    assert winner_unit in str(outcomes[told[0]])
    with world.ctx.transaction() as session:
        rows = session.execute(select(VictimIdentification)).scalars().all()
        assert [(r.victim_id, r.unit) for r in rows] == [(vid, winner_unit)]
        identify_events = session.execute(
            select(func.count()).where(AuditEvent.action == "victim.identify")
        ).scalar_one()
        assert identify_events == 1


def test_identification_input_is_checked(world: World) -> None:
    vera = world.as_("vera")
    vid = victims.create_victim(vera, "A-1")
    kwargs = {"lead_source": "visual_link", "case_number": "A-1"}
    with pytest.raises(InvalidInputError):
        victims.identify_victim(vera, vid, identified_on=date(2099, 1, 1), **kwargs)
    with pytest.raises(InvalidInputError):
        victims.identify_victim(
            vera, vid, identified_on=date(2026, 1, 1), lead_source="rumour", case_number="A-1"
        )
    cases.create_case(world.as_("ivan"), "C-1", title="c", unit="Unit C")
    with pytest.raises(AccessDenied):  # not a member of C-1
        victims.identify_victim(
            vera, vid, identified_on=date(2026, 1, 1), **{**kwargs, "case_number": "C-1"}
        )
    with pytest.raises(AccessDenied):  # an investigator is not a victim-identification specialist
        victims.create_victim(world.as_("ivan"), "C-1")
    assert victims.show_victim(vera, vid).status == "unidentified"
    assert [v.pseudonym for v in victims.list_victims(vera)] == [
        victims.show_victim(vera, vid).pseudonym
    ]
