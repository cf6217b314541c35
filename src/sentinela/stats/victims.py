"""Victims identified per calendar year, against the yearly growth target; offenders recorded.

Both count the victim-identification records of ``db/victim_id.py``: an identification is a
row written once per victim (a unique ``victim_id``), with the date of identification, the
identifying unit and the lead source. Nothing here reads a status column that could be edited.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.victim_id import LEAD_SOURCES, Offender, VictimIdentification
from sentinela.stats.arithmetic import growth, meets_growth_target
from sentinela.stats.catalogue import Change, Definition, Metric, in_window
from sentinela.stats.period import Period, Scope
from sentinela.stats.results import ChartSpec, Column, Figure, MetricResult, Table

#: The yearly target: this many percent more victims identified than in the previous period.
TARGET_GROWTH_PERCENT = 10
#: How many periods the trend table shows (the selected one and those before it).
TREND_PERIODS = 5


def _identified(
    session: Session, first: Period, last: Period, scope: Scope
) -> dict[int, tuple[date, str, str]]:
    """victim id -> (date, unit, lead source), for identifications dated ``first``..``last``."""
    query = select(
        VictimIdentification.victim_id,
        VictimIdentification.identified_on,
        VictimIdentification.unit,
        VictimIdentification.lead_source,
    ).where(
        VictimIdentification.identified_on >= first.start,
        VictimIdentification.identified_on < last.end,
        VictimIdentification.recorded_at <= scope.as_of,
    )
    if scope.unit is not None:
        query = query.where(VictimIdentification.unit == scope.unit)
    return {int(v): (d, str(u), str(s)) for v, d, u, s in session.execute(query).all()}


class VictimsIdentified(Metric):
    """Unique victims identified in the period, by unit and lead source, against the target."""

    name = "victims_identified"
    definition = Definition(
        title="Victims identified",
        family="victims",
        version=1,
        counts="Victims with an identification record (one per victim, written once when a "
        "unit records the identification). Victims created but not identified do not count.",
        date_basis="The identification date recorded with the identification "
        "(identified_on, a calendar date), not the date it was typed in. An identification "
        "recorded after the as-of instant does not count, even when it is dated inside the "
        "period.",
        deduplication="Each victim counts once: the identification record is unique per "
        "victim, and a second unit that tries to identify the same victim is refused and "
        "counted for no one. Counts are distinct victim ids.",
        unit="The identifying unit stored in the identification record.",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=(
            "A victim identified in error cannot be withdrawn yet (issue 9 records no "
            "withdrawal), so a wrong identification stays counted.",
        ),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        periods = [scope.period]
        for _ in range(TREND_PERIODS):
            periods.append(periods[-1].previous())
        periods.reverse()  # oldest (the one before the trend) first
        dated = _identified(session, periods[0], periods[-1], scope)
        counts = [sum(1 for d, _, _ in dated.values() if p.start <= d < p.end) for p in periods]
        current, previous = counts[-1], counts[-2]
        now = [(u, s) for d, u, s in dated.values() if scope.period.start <= d < scope.period.end]
        by_unit = Counter(u for u, _ in now)
        by_source = Counter(s for _, s in now)
        target = previous * (100 + TARGET_GROWTH_PERCENT) / 100
        trend = tuple(
            (
                p.label,
                n,
                before * (100 + TARGET_GROWTH_PERCENT) / 100,
                meets_growth_target(n, before, TARGET_GROWTH_PERCENT),
            )
            for p, n, before in zip(periods[1:], counts[1:], counts[:-1], strict=True)
        )
        sources = [*LEAD_SOURCES, *sorted(set(by_source) - set(LEAD_SOURCES))]
        return self.result(
            scope,
            [
                Figure("victims", "Victims identified", current),
                Figure("previous", f"In {periods[-2].label}", previous),
                Figure(
                    "growth", "Change on the previous period", growth(current, previous), "share"
                ),
                Figure("target", f"Target (+{TARGET_GROWTH_PERCENT}%)", target, "number"),
                Figure(
                    "target_met",
                    "Target met",
                    meets_growth_target(current, previous, TARGET_GROWTH_PERCENT),
                    "flag",
                ),
            ],
            [
                Table(
                    "trend",
                    "Victims identified per period, against the target",
                    (
                        Column("period", "Period", "text"),
                        Column("victims", "Victims identified"),
                        Column(
                            "target",
                            f"Target (+{TARGET_GROWTH_PERCENT}% on the one before)",
                            "number",
                        ),
                        Column("target_met", "Target met", "flag"),
                    ),
                    trend,
                    ChartSpec("bar", "period", ("victims", "target"), "victims"),
                ),
                Table(
                    "by_unit",
                    "By identifying unit",
                    (Column("unit", "Unit", "text"), Column("victims", "Victims identified")),
                    tuple((u, by_unit[u]) for u in sorted(by_unit)),
                    ChartSpec("hbar", "unit", ("victims",), "victims"),
                ),
                Table(
                    "by_lead_source",
                    "By lead source",
                    (
                        Column("lead_source", "Lead source", "text"),
                        Column("victims", "Victims identified"),
                    ),
                    tuple((s, by_source[s]) for s in sources),
                    ChartSpec("hbar", "lead_source", ("victims",), "victims"),
                ),
            ],
        )


class OffendersIdentified(Metric):
    """Offender records created in the period, by the unit of their home case."""

    name = "offenders_identified"
    definition = Definition(
        title="Offenders identified",
        family="victims",
        version=1,
        counts="Offender records (pseudonymous; a name or alias may be known). 'Named' "
        "counts those recorded with a name or alias.",
        date_basis="The time the offender record was created (created_at).",
        deduplication="Each offender record counts once. Two records that turn out to be the "
        "same person are two records: Sentinela has no merge of offenders yet.",
        unit="The unit of the offender's home case.",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=(
            "Offenders have no identification record of their own (issue 9 gives victims one, "
            "not offenders), so the record's creation stands in for the identification, and "
            "'named' reflects the name or alias as stored now.",
        ),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        query = (
            select(Offender.id, Offender.known_as, Case.unit)
            .join(Case, Case.id == Offender.home_case_id)
            .where(in_window(Offender.created_at, scope))
        )
        if scope.unit is not None:
            query = query.where(Case.unit == scope.unit)
        rows = {int(i): (str(unit), bool(k.strip())) for i, k, unit in session.execute(query)}
        units = sorted({u for u, _ in rows.values()})
        table = tuple(
            (
                u,
                sum(1 for unit, _ in rows.values() if unit == u),
                sum(1 for unit, named in rows.values() if unit == u and named),
            )
            for u in units
        )
        return self.result(
            scope,
            [
                Figure("offenders", "Offenders identified", len(rows)),
                Figure("named", "With a name or alias", sum(1 for _, n in rows.values() if n)),
            ],
            [
                Table(
                    "by_unit",
                    "By unit of the home case",
                    (
                        Column("unit", "Unit", "text"),
                        Column("offenders", "Offenders identified"),
                        Column("named", "With a name or alias"),
                    ),
                    table,
                    ChartSpec("hbar", "unit", ("offenders", "named"), "offenders"),
                ),
            ],
        )
