"""A hand-checked statistics fixture, written as raw rows.

Everything is benign bookkeeping: media rows are digests of short strings, never pictures.
The expected values of every metric over this fixture are worked out by hand in the tests,
each next to the rows it comes from. Units: "Unit A" (alice, case C-A) and "Unit B" (bob,
case C-B); the users come from ``tests/conftest.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.industry import Provider, ProviderTier, ProviderUsage
from sentinela.db.media import Media, Occurrence
from sentinela.db.reporting import Report
from sentinela.db.users import User
from sentinela.db.victim_id import Offender, Victim, VictimIdentification
from sentinela.db.workspace import ExposureEvent, Grade
from sentinela.services.context import ServiceContext
from sentinela.stats.catalogue import build_metric_registry
from sentinela.stats.industry import COUNTERS
from sentinela.stats.period import Scope, parse_period
from sentinela.stats.results import MetricResult

#: The instant the fixture's figures are taken at.
AS_OF = datetime(2027, 2, 1, tzinfo=UTC)


def at(text: str) -> datetime:
    """``YYYY-MM-DD[THH:MM[:SS]]`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def sha(text: str, n: int = 64) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


@dataclass
class Fixture:
    """Ids of what :func:`build` wrote, by the names the tests use."""

    users: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    exhibits: dict[str, int] = field(default_factory=dict)
    media: dict[str, int] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)
    victims: dict[str, int] = field(default_factory=dict)


class _Writer:
    def __init__(self, session: Session, fx: Fixture) -> None:
        self.s = session
        self.fx = fx
        self.paths = 0

    def add(self, row: object) -> None:
        self.s.add(row)
        self.s.flush()

    def case(self, number: str, unit: str, lead: str, members: tuple[str, ...] = ()) -> None:
        case = Case(number=number, title=number, unit=unit, created_at=at("2024-01-01"))
        self.add(case)
        for name, role in ((lead, "lead"), *((m, "member") for m in members)):
            self.add(
                Membership(
                    case_id=case.id,
                    user_id=self.fx.users[name],
                    case_role=role,
                    added_at=at("2024-01-01"),
                )
            )
        exhibit = Exhibit(
            case_id=case.id,
            label="EXH-001",
            kind="folder",
            source_path=f"/evidence/{number}",
            size_bytes=0,
            sha256=sha(number),
            md5="0" * 32,
            registered_at=at("2024-01-01"),
            registered_by=self.fx.users[lead],
        )
        self.add(exhibit)
        self.fx.cases[number], self.fx.exhibits[number] = case.id, exhibit.id

    def hash_set(self, name: str, kind: str) -> int:
        hs = HashSet(
            name=name,
            source="test",
            version="1",
            scheme="project_vic_us",
            kind=kind,
            format="plain_list",
            imported_at=at("2026-01-01"),
            imported_by="admin",
        )
        self.add(hs)
        return hs.id

    def known(
        self, name: str, set_id: int, added: str, removed: str | None = None, digest: str = ""
    ) -> None:
        entry = KnownHash(
            hash_set_id=set_id,
            hash_type="sha256",
            digest=digest or sha(name),
            category_scheme="project_vic_us",
            category_code="1",
            added_at=at(added),
            updated_at=at(added),
            removed_at=at(removed) if removed else None,
        )
        self.add(entry)
        self.fx.known[name] = entry.id

    def media(self, name: str, first_seen: str, case: str) -> None:
        m = Media(
            sha256=sha(name),
            sha1=sha(name, 40),
            md5=sha(name, 32),
            size=1,
            mime="image/jpeg",
            family="image",
            first_seen_at=at(first_seen),
            first_exhibit_id=self.fx.exhibits[case],
        )
        self.add(m)
        self.fx.media[name] = m.id

    def match(self, media: str, known: str, when: str) -> None:
        self.add(
            MediaMatch(
                media_id=self.fx.media[media],
                known_hash_id=self.fx.known[known],
                hash_type="sha256",
                method="exact",
                matched_at=at(when),
            )
        )

    def file(self, media: str, case: str, found: str) -> None:
        self.paths += 1
        path = f"/files/{self.paths}.jpg"
        self.add(
            Occurrence(
                media_id=self.fx.media[media],
                exhibit_id=self.fx.exhibits[case],
                path=path,
                path_key=sha(path),
                found_at=at(found),
            )
        )

    def shown(self, user: str, media: str, mode: str, when: str) -> None:
        self.add(
            ExposureEvent(
                user_id=self.fx.users[user],
                media_id=self.fx.media[media],
                case_id=None,
                mode=mode,
                shown_at=at(when),
            )
        )

    def grade(self, user: str, media: str, case: str, code: str, when: str) -> None:
        self.add(
            Grade(
                media_id=self.fx.media[media],
                user_id=self.fx.users[user],
                case_id=self.fx.cases[case],
                scheme="project_vic_us",
                code=code,
                graded_at=at(when),
            )
        )

    def victim(
        self, name: str, case: str, unit: str, lead: str, on: str, recorded: str | None = None
    ) -> None:
        victim = Victim(
            pseudonym=name,
            home_case_id=self.fx.cases[case],
            created_by=self.fx.users["alice"],
            created_at=at("2024-06-01"),
        )
        self.add(victim)
        self.fx.victims[name] = victim.id
        self.add(
            VictimIdentification(
                victim_id=victim.id,
                identified_on=date.fromisoformat(on),
                unit=unit,
                lead_source=lead,
                case_id=self.fx.cases[case],
                recorded_by=self.fx.users["alice"],
                recorded_at=at(recorded or on),
            )
        )

    def offender(self, name: str, case: str, known_as: str, created: str) -> None:
        self.add(
            Offender(
                pseudonym=name,
                home_case_id=self.fx.cases[case],
                known_as=known_as,
                created_by=self.fx.users["alice"],
                created_at=at(created),
            )
        )


def build(ctx: ServiceContext) -> Fixture:
    """Write the fixture (see the module docstring and the tests for the expected values)."""
    fx = Fixture()
    with ctx.transaction() as session:
        fx.users = {u.username: u.id for u in session.execute(select(User)).scalars()}
        w = _Writer(session, fx)
        w.case("C-A", "Unit A", "alice", ("bob",))
        w.case("C-B", "Unit B", "bob")
        agency = w.hash_set("agency", "categorised")
        nsrl = w.hash_set("nsrl", "benign")
        w.known("k1", agency, "2026-01-01")
        # A hash removed from a set: m2's own SHA-256, matched exactly. The re-triage after
        # the removal deleted its match row (as services/triage.py does), so none is written.
        w.known("k2", agency, "2026-01-01", removed="2026-02-01", digest=sha("m2"))
        w.known("k3", nsrl, "2026-01-01")
        w.known("k4", agency, "2026-03-15")  # added after m4 was first ingested
        for name, seen, case in (
            ("m1", "2026-01-10", "C-A"),
            ("m2", "2026-01-20", "C-A"),
            ("m3", "2026-01-10", "C-A"),
            ("m4", "2026-03-01", "C-A"),
            ("m5", "2025-12-31T08:00", "C-A"),
            ("m6", "2026-04-01", "C-B"),
        ):
            w.media(name, seen, case)
        for media, known, when in (
            ("m1", "k1", "2026-01-10T00:01"),
            ("m3", "k3", "2026-01-10T00:01"),
            ("m4", "k4", "2026-03-15T00:01"),
            ("m6", "k1", "2026-04-01T00:01"),
            ("m6", "k3", "2026-04-01T00:01"),
        ):
            w.match(media, known, when)
        for media, case, found in (
            ("m5", "C-A", "2025-12-31T08:00"),  # 2025: outside the 2026 figures
            ("m1", "C-A", "2026-01-10"),
            ("m2", "C-A", "2026-01-20"),
            ("m2", "C-A", "2026-03-01"),  # k2 was removed on 2026-02-01
            ("m3", "C-A", "2026-01-10"),
            ("m4", "C-A", "2026-03-01"),
            ("m5", "C-A", "2026-03-01"),
            ("m1", "C-B", "2026-04-01"),
            ("m4", "C-B", "2026-04-01"),
            ("m6", "C-B", "2026-04-01"),
        ):
            w.file(media, case, found)
        w.shown("alice", "m4", "revealed", "2026-03-05T09:30")
        w.shown("alice", "m5", "blurred", "2026-03-05T09:40")
        w.shown("bob", "m1", "blurred", "2027-01-05")  # after 2026, before AS_OF
        w.shown("alice", "m3", "revealed", "2027-03-01")  # after AS_OF
        w.grade("bob", "m5", "C-A", "2", "2025-12-31T20:00")
        w.grade("alice", "m2", "C-A", "2", "2026-01-21")
        w.grade("bob", "m2", "C-A", "2", "2026-01-25")
        w.grade("bob", "m1", "C-B", "1", "2026-02-01T12:00")  # same instant as the next:
        w.grade("alice", "m1", "C-A", "2", "2026-02-01T12:00")  # the lower id decides
        w.grade("alice", "m4", "C-A", "1", "2026-03-05T09:00")
        w.grade("bob", "m4", "C-A", "1", "2026-03-05T10:00")
        w.grade("alice", "m5", "C-A", "2", "2026-03-05T11:00")
        w.grade("alice", "m5", "C-A", "2", "2026-03-06")
        w.grade("bob", "m6", "C-B", "3", "2026-04-02")
        w.grade("alice", "m6", "C-B", "3", "2027-03-01")  # after AS_OF
        w.victim("v1", "C-A", "Unit A", "visual_link", "2025-03-01")
        w.victim("v2", "C-B", "Unit B", "hash_match", "2025-06-01")
        w.victim("v3", "C-A", "Unit A", "visual_link", "2026-01-05")
        w.victim("v4", "C-A", "Unit A", "camera_link", "2026-02-10")
        w.victim("v5", "C-B", "Unit B", "partner_agency", "2026-12-31")
        w.victim("v6", "C-A", "Unit A", "other", "2026-12-30", recorded="2027-03-01")
        w.victim("v7", "C-A", "Unit A", "other", "2027-01-02")
        w.offender("o1", "C-A", "J. Doe", "2026-02-01")
        w.offender("o2", "C-B", "", "2026-05-01")
        w.offender("o3", "C-A", "X", "2025-11-01")
    return fx


def compute(
    ctx: ServiceContext, name: str, period: str = "2026", unit: str | None = None
) -> MetricResult:
    """Compute one metric straight from the registry (no permission check)."""
    metric = build_metric_registry().get(name)
    with ctx.transaction() as session:
        return metric.compute(session, Scope(parse_period(period), unit, AS_OF))


def report(
    session: Session,
    url: str,
    host: str,
    country: str,
    reported: str,
    *,
    decided: float | None = None,
    notice: float | None = None,
    removed: float | None = None,
    closed: bool = False,
) -> None:
    """A takedown report; ``decided`` is hours after the report, ``notice`` hours after the
    decision, ``removed`` hours after the notice."""
    start = at(reported)
    decided_at = start + timedelta(hours=decided) if decided is not None else None
    notice_at = decided_at + timedelta(hours=notice) if decided_at and notice is not None else None
    removed_at = notice_at + timedelta(hours=removed) if notice_at and removed is not None else None
    session.add(
        Report(
            url=url,
            url_sha256=sha(url),
            host=host,
            country=country,
            first_reported_at=start,
            last_reported_at=start,
            deadline_at=start + timedelta(hours=24),
            decided_at=decided_at,
            first_notice_at=notice_at,
            removed_at=removed_at,
            closed_at=decided_at if closed else None,
            status="removed" if removed_at else "notified",
        )
    )


def build_takedown(ctx: ServiceContext) -> None:
    """Takedown reports (expected values worked out in tests/stats/test_takedown.py)."""
    with ctx.transaction() as s:
        report(
            s,
            "https://a.example/1",
            "a.example",
            "PT",
            "2026-03-01",
            decided=2,
            notice=4,
            removed=24,
        )
        report(
            s,
            "https://a.example/2",
            "a.example",
            "PT",
            "2026-03-10",
            decided=10,
            notice=2,
            removed=100,
        )
        report(s, "https://b.example/3", "b.example", "NL", "2026-05-01", decided=1, notice=1)
        # Open at the end of 2026: removed on 2027-01-10 10:00, 504 h after its notice.
        report(
            s,
            "https://b.example/4",
            "b.example",
            "NL",
            "2026-12-20",
            decided=5,
            notice=5,
            removed=504,
        )
        report(s, "https://c.example/5", "c.example", "", "2026-06-01", decided=3, closed=True)
        report(s, "https://b.example/6", "b.example", "NL", "2027-01-20", decided=1)
        report(s, "https://a.example/7", "a.example", "PT", "2026-12-31T20:00")
        # Held: decided 2026-11-30 01:00, notified 2026-12-25 00:00 (599 h later).
        report(s, "https://b.example/8", "b.example", "NL", "2026-11-30", decided=1, notice=599)


def build_industry(ctx: ServiceContext) -> None:
    """Provider usage (expected values worked out in tests/stats/test_industry.py)."""
    with ctx.transaction() as s:
        tier = ProviderTier(
            name="baseline",
            hash_sets='["agency"]',
            hash_types='["sha256"]',
            created_at=at("2025-01-01"),
            created_by="admin",
        )
        s.add(tier)
        s.flush()
        ids = {}
        for name, display in (("hostco", "Host Co"), ("socialnet", "Social Net")):
            provider = Provider(
                name=name,
                display_name=display,
                tier_id=tier.id,
                scopes='["remote_match"]',
                created_at=at("2025-01-01"),
                created_by="admin",
            )
            s.add(provider)
            s.flush()
            ids[name] = provider.id
        for name, day, counts in (
            ("hostco", "2026-01-01", (2, 1000, 3, 0, 0, 1)),
            ("hostco", "2026-06-30", (1, 500, 0, 2000, 4, 0)),
            ("socialnet", "2026-12-31", (5, 100, 10, 0, 0, 0)),
            ("socialnet", "2025-12-31", (9, 9999, 99, 0, 0, 0)),
            ("hostco", "2027-02-01", (1, 7, 7, 0, 0, 0)),
        ):
            s.add(
                ProviderUsage(
                    provider_id=ids[name],
                    day=date.fromisoformat(day),
                    **dict(zip(COUNTERS, counts, strict=True)),
                )
            )
