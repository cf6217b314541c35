"""Industry volume: hashes examined and matches per provider, from the daily usage counters.

The provider API counts every remote-match call as it answers it, per provider per UTC day
(``db/industry.py``: :class:`ProviderUsage`), and ``sentinela scan`` reports its local counts
into the same row. Only counts reach the police, never the hashes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.industry import Provider, ProviderUsage
from sentinela.stats.arithmetic import share
from sentinela.stats.catalogue import Change, Definition, Metric
from sentinela.stats.period import Scope
from sentinela.stats.results import ChartSpec, Column, Figure, MetricResult, Table

COUNTERS: tuple[str, ...] = (
    "match_requests",
    "hashes_examined",
    "hashes_matched",
    "local_examined",
    "local_matched",
    "downloads",
)


def complete_days_before(scope: Scope) -> date:
    """The first day not counted: the period's end, or the as-of day if that is earlier
    (the as-of day's counters may still grow, so it is left out)."""
    return min(scope.period.end, scope.as_of.date())


class IndustryVolume(Metric):
    """Per provider: requests, hashes examined and matched (remote and local), downloads."""

    name = "industry_volume"
    definition = Definition(
        title="Industry scanning volume",
        family="industry",
        version=1,
        counts="Per provider, summed over the days of the period: remote-match requests, "
        "hashes examined and matched by the remote-match API, hashes examined and matched "
        "locally by 'sentinela scan' (as the provider reported them), and hash-list "
        "downloads. The match share is all matches / all hashes examined.",
        date_basis="The UTC day the provider's calls were counted on. Only whole days "
        "before the as-of instant's day count: the as-of day's counters may still grow.",
        deduplication="None: a hash examined twice is examined twice (providers scan new "
        "uploads, and the same upload may be checked again). A match counts against the "
        "list as it was on that day; a hash later revoked or removed from a set does not "
        "undo matches already counted.",
        unit="None: providers are national. With a unit filter the figures are not shown.",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=("Local scan counts are what the provider reported and cannot be checked.",),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        if scope.unit is not None:
            return self.result(
                scope, [], [], ["Industry sharing is national: no figures per unit."]
            )
        end = complete_days_before(scope)
        rows = session.execute(
            select(Provider.name, Provider.display_name, ProviderUsage)
            .join(Provider, Provider.id == ProviderUsage.provider_id)
            .where(ProviderUsage.day >= scope.period.start, ProviderUsage.day < end)
        ).all()
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (len(COUNTERS) + 1))
        for name, display, usage in rows:
            totals = sums[str(name), str(display)]
            for i, counter in enumerate(COUNTERS):
                totals[i] += int(getattr(usage, counter))
            totals[-1] += 1  # days with activity
        table = []
        for (name, display), t in sorted(sums.items()):
            examined, matched = t[1] + t[3], t[2] + t[4]
            table.append((name, display, *t[:-1], t[-1], share(matched, examined)))
        grand = [sum(t[i] for t in sums.values()) for i in range(len(COUNTERS))]
        examined, matched = grand[1] + grand[3], grand[2] + grand[4]
        return self.result(
            scope,
            [
                Figure("providers", "Providers active", len(table)),
                Figure("hashes_examined", "Hashes examined (remote and local)", examined),
                Figure("hashes_matched", "Matches (remote and local)", matched),
                Figure("share_matched", "Match share", share(matched, examined), "share"),
            ],
            [
                Table(
                    "by_provider",
                    "Per provider",
                    (
                        Column("provider", "Provider", "text"),
                        Column("name", "Name", "text"),
                        Column("match_requests", "Match requests"),
                        Column("hashes_examined", "Hashes examined (API)"),
                        Column("hashes_matched", "Matches (API)"),
                        Column("local_examined", "Examined locally"),
                        Column("local_matched", "Matched locally"),
                        Column("downloads", "List downloads"),
                        Column("active_days", "Active days"),
                        Column("share_matched", "Match share", "share"),
                    ),
                    tuple(table),
                    ChartSpec("hbar", "provider", ("hashes_examined", "local_examined"), "hashes"),
                ),
            ],
            [f"Counted up to {end - timedelta(days=1)} (whole days)."],
        )
