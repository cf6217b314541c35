"""New items graded, and each analyst's throughput and exposure.

Grades are rows that are only ever inserted (``db/workspace.py``), one per media item per
analyst decision, so the first grade an item ever received is a fact that later grades
cannot change. Exposure comes from the exposure ledger, which records every display.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.users import User
from sentinela.db.workspace import ExposureEvent, Grade
from sentinela.stats.catalogue import Change, Definition, Metric, in_window
from sentinela.stats.period import Scope
from sentinela.stats.results import ChartSpec, Column, Figure, MetricResult, Table


class NewItemsGraded(Metric):
    """Media graded for the first time in the period."""

    name = "new_items_graded"
    definition = Definition(
        title="New items graded",
        family="grading",
        version=1,
        counts="Media items whose first grade ever falls in the period: items that had "
        "never been graded before. Items only known from hash sets are not graded and do "
        "not count. 'Grades given' counts every grade row in the period, first or not.",
        date_basis="The time of the item's earliest grade (graded_at); grades recorded "
        "after the as-of instant are ignored, also when looking for the earliest.",
        deduplication="Each media item counts once, in the period of its first grade; later "
        "grades of the same item, by anyone, do not count it again. Two first grades at the "
        "same instant: the one recorded first (lowest id) decides the unit and code.",
        unit="The unit of the case in which the first grade was given.",
        history=(Change(1, "2026-11-29", "First definition."),),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        first = (
            select(Grade.media_id, func.min(Grade.graded_at).label("first_at"))
            .where(Grade.graded_at <= scope.as_of)
            .group_by(Grade.media_id)
            .subquery()
        )
        rows = session.execute(
            select(Grade.media_id, Grade.id, Grade.scheme, Grade.code, Case.unit)
            .join(
                first,
                (first.c.media_id == Grade.media_id) & (first.c.first_at == Grade.graded_at),
            )
            .join(Case, Case.id == Grade.case_id)
            .where(in_window(Grade.graded_at, scope))
            .order_by(Grade.media_id, Grade.id)
        ).all()
        firsts: dict[int, tuple[str, str, str]] = {}
        for media_id, _, scheme, code, unit in rows:
            firsts.setdefault(int(media_id), (str(unit), str(scheme), str(code)))
        if scope.unit is not None:
            firsts = {m: v for m, v in firsts.items() if v[0] == scope.unit}
        given = select(func.count(Grade.id)).join(Case, Case.id == Grade.case_id)
        given = given.where(in_window(Grade.graded_at, scope))
        if scope.unit is not None:
            given = given.where(Case.unit == scope.unit)
        grades = int(session.execute(given).scalar_one())
        by_unit = Counter(u for u, _, _ in firsts.values())
        by_code = Counter((s, c) for _, s, c in firsts.values())
        return self.result(
            scope,
            [
                Figure("new_items_graded", "New items graded", len(firsts)),
                Figure("grades_given", "Grades given", grades),
            ],
            [
                Table(
                    "by_unit",
                    "New items graded, by unit",
                    (Column("unit", "Unit", "text"), Column("items", "New items graded")),
                    tuple((u, by_unit[u]) for u in sorted(by_unit)),
                    ChartSpec("hbar", "unit", ("items",), "items"),
                ),
                Table(
                    "by_category",
                    "New items graded, by the category of their first grade",
                    (
                        Column("scheme", "Scheme", "text"),
                        Column("code", "Category", "text"),
                        Column("items", "New items graded"),
                    ),
                    tuple((s, c, by_code[s, c]) for s, c in sorted(by_code)),
                    ChartSpec("bar", "code", ("items",), "items"),
                ),
            ],
        )


class AnalystThroughput(Metric):
    """Per analyst: grades given, items graded, active days, and exposure."""

    name = "analyst_throughput"
    personal = True
    definition = Definition(
        title="Analyst throughput and exposure",
        family="grading",
        version=1,
        counts="Per analyst: grade rows given (a grade applied to a group of near-duplicates "
        "is one row per item), distinct media graded, active days (UTC dates with at least "
        "one grade), blurred previews and revealed displays from the exposure ledger, and "
        "distinct media revealed. Analysts with neither grades nor displays in the period "
        "are not listed.",
        date_basis="Grade time (graded_at) and display time (shown_at).",
        deduplication="Grades and displays are events and are not deduplicated; 'distinct "
        "media' columns count each item once per analyst.",
        unit="The analyst's unit as recorded on their account now (Sentinela keeps no "
        "history of a person's unit).",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=("An analyst who moved unit is counted entirely in their current unit.",),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        users = select(User.id, User.username, User.unit)
        if scope.unit is not None:
            users = users.where(User.unit == scope.unit)
        people = {int(i): (str(n), str(u)) for i, n, u in session.execute(users)}
        graded: dict[int, set[int]] = defaultdict(set)
        grades: Counter[int] = Counter()
        days: dict[int, set[date]] = defaultdict(set)
        for uid, media_id, at in session.execute(
            select(Grade.user_id, Grade.media_id, Grade.graded_at).where(
                in_window(Grade.graded_at, scope)
            )
        ):
            grades[uid] += 1
            graded[uid].add(int(media_id))
            days[uid].add(_utc_day(at))
        shown: Counter[tuple[int, str]] = Counter()
        revealed: dict[int, set[int]] = defaultdict(set)
        for uid, media_id, mode in session.execute(
            select(ExposureEvent.user_id, ExposureEvent.media_id, ExposureEvent.mode).where(
                in_window(ExposureEvent.shown_at, scope)
            )
        ):
            shown[uid, str(mode)] += 1
            if mode == "revealed":
                revealed[uid].add(int(media_id))
        active = sorted(
            (uid for uid in people if grades[uid] or uid in {u for u, _ in shown}),
            key=lambda uid: people[uid],
        )
        rows = tuple(
            (
                people[uid][0],
                people[uid][1],
                grades[uid],
                len(graded[uid]),
                len(days[uid]),
                shown[uid, "blurred"],
                shown[uid, "revealed"],
                len(revealed[uid]),
            )
            for uid in active
        )
        return self.result(
            scope,
            [
                Figure("analysts", "Analysts active", len(rows)),
                Figure("grades", "Grades given", sum(r[2] for r in rows)),
                Figure("revealed", "Revealed displays", sum(r[6] for r in rows)),
            ],
            [
                Table(
                    "by_analyst",
                    "Throughput and exposure per analyst",
                    (
                        Column("analyst", "Analyst", "text"),
                        Column("unit", "Unit", "text"),
                        Column("grades", "Grades given"),
                        Column("media_graded", "Distinct media graded"),
                        Column("active_days", "Active days"),
                        Column("blurred", "Blurred previews"),
                        Column("revealed", "Revealed displays"),
                        Column("media_revealed", "Distinct media revealed"),
                    ),
                    rows,
                    ChartSpec("hbar", "analyst", ("grades", "revealed"), "events"),
                ),
            ],
        )


def _utc_day(at: datetime) -> date:
    return at.date()
