"""The metric catalogue: every published figure, with a precise, versioned definition.

Why definitions live in code beside the computation: a figure sent to the government must be
reproducible, and a definition written only in a document drifts away from the query that
produces the number. Each :class:`Metric` carries its :class:`Definition` (what counts, which
date places it in a period, how duplicates are removed, what the unit filter selects) and an
integer ``version`` that changes whenever the meaning of the number changes. The catalogue as
a whole has :data:`CATALOGUE_VERSION`; ``tests/stats/test_catalogue.py`` pins it to a
fingerprint of every definition, so changing a definition without bumping the version fails.
``docs/statistics.md`` is generated from the same definitions (``python -m
sentinela.stats.docs``) and a test fails when it is stale.

Metric names are persisted (exports, annual reports, URLs), so they never change; a changed
meaning gets a new version, not a new name.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute, Session

from sentinela.registry import Registry
from sentinela.stats.period import Scope
from sentinela.stats.results import Figure, MetricResult, PeriodView, Table

#: The version of the catalogue as a whole (bump it with any definition's version).
CATALOGUE_VERSION = "2026.1"
#: Metric families, in the order the dashboard shows them. Stable names.
FAMILIES: tuple[str, ...] = ("victims", "ingest", "grading", "takedown", "industry")
#: Rules every definition relies on; part of the fingerprint.
GENERAL_RULES: tuple[str, ...] = (
    "Periods are whole days in UTC, half-open: from the first day's 00:00 UTC up to, not "
    "including, 00:00 UTC of the day after the last day.",
    "Timestamps are compared in UTC; calendar dates (identification dates) as dates.",
    "Every computation has an as-of instant: rows recorded after it are ignored, so the same "
    "figures come out again later from the same raw rows.",
    "Shares are numerator / denominator over the rows defined for the metric; with a zero "
    "denominator the share is undefined (shown empty), never 0.",
    "Percentiles use the nearest-rank method: p50 and p90 are the smallest observed values "
    "with at least 50% and 90% of the observations at or below them; no interpolation.",
    "A unit row counts each item once within that unit; the total row counts each item once "
    "in the country, so unit rows may add up to more than the total.",
)


@dataclass(frozen=True)
class Change:
    """One entry of a definition's history."""

    version: int
    on: str  # ISO date
    what: str


@dataclass(frozen=True)
class Definition:
    """What a metric's number means, precisely enough to recount it by hand.

    Attributes:
        title: the figure's name for people.
        family: one of :data:`FAMILIES`.
        version: bumped whenever the meaning changes.
        counts: what is counted (and what is not).
        date_basis: which timestamp or date places a row in a period.
        deduplication: how one thing counted twice is counted once.
        unit: what the unit filter selects.
        history: every version, oldest first; the last one is ``version``.
        limitations: known gaps, each naming what would close it.
    """

    title: str
    family: str
    version: int
    counts: str
    date_basis: str
    deduplication: str
    unit: str
    history: tuple[Change, ...]
    limitations: tuple[str, ...] = ()


class Metric(ABC):
    """One published figure: a name, its definition and how it is computed from raw rows.

    Why a metric reads rows rather than counters: every figure must be recomputable from the
    events themselves (an identification record, an occurrence, a grade, a stage timestamp),
    so a report can be checked years later. Counters kept on the side (a ``files_done`` on a
    job row) are never used.
    """

    name: ClassVar[str]
    definition: ClassVar[Definition]
    #: Whether rows name people (analysts); such metrics are limited to the viewer's unit
    #: unless the viewer is an administrator.
    personal: ClassVar[bool] = False

    @abstractmethod
    def compute(self, session: Session, scope: Scope) -> MetricResult:
        """Compute the metric over ``scope`` from the rows visible in ``session``."""

    def result(
        self,
        scope: Scope,
        figures: Sequence[Figure],
        tables: Sequence[Table],
        notes: Sequence[str] = (),
    ) -> MetricResult:
        """Wrap figures and tables with this metric's name, version and scope."""
        p = scope.period
        return MetricResult(
            metric=self.name,
            version=self.definition.version,
            title=self.definition.title,
            period=PeriodView(p.label, p.start, p.last_day),
            unit=scope.unit,
            as_of=scope.as_of,
            figures=tuple(figures),
            tables=tuple(tables),
            notes=tuple(notes),
        )


def in_window(column: InstrumentedAttribute[datetime], scope: Scope) -> ColumnElement[bool]:
    """``column`` is inside the scope's period and not after its as-of instant."""
    return and_(
        column >= scope.period.start_at,
        column < scope.period.end_at,
        column <= scope.as_of,
    )


def build_metric_registry() -> Registry[Metric]:
    """Every built-in metric, in catalogue order (one module per family)."""
    from sentinela.stats import grading, industry, ingest, takedown, victims

    registry: Registry[Metric] = Registry("metric")
    for metric in (
        victims.VictimsIdentified(),
        victims.OffendersIdentified(),
        ingest.MediaIngested(),
        ingest.MediaNeverShown(),
        grading.NewItemsGraded(),
        grading.AnalystThroughput(),
        takedown.TakedownStages(),
        industry.IndustryVolume(),
    ):
        registry.register(metric)
    return registry


#: The order the dashboard and the annual report show metrics in (others follow by name).
METRIC_ORDER: tuple[str, ...] = (
    "victims_identified",
    "offenders_identified",
    "media_ingested",
    "media_never_shown",
    "new_items_graded",
    "analyst_throughput",
    "takedown_stages",
    "industry_volume",
)


def ordered(registry: Registry[Metric]) -> list[Metric]:
    """The registry's metrics by family, then in :data:`METRIC_ORDER`, then by name."""

    def key(m: Metric) -> tuple[int, int, str]:
        rank = METRIC_ORDER.index(m.name) if m.name in METRIC_ORDER else len(METRIC_ORDER)
        return FAMILIES.index(m.definition.family), rank, m.name

    return sorted(registry, key=key)


def catalogue_document(registry: Registry[Metric]) -> dict[str, Any]:
    """The whole catalogue as plain data: version, general rules, every definition."""
    return {
        "catalogue_version": CATALOGUE_VERSION,
        "general_rules": list(GENERAL_RULES),
        "metrics": [{"name": m.name, **asdict(m.definition)} for m in ordered(registry)],
    }


def catalogue_fingerprint(registry: Registry[Metric]) -> str:
    """SHA-256 over the canonical JSON of :func:`catalogue_document` (without the version)."""
    doc = catalogue_document(registry)
    doc.pop("catalogue_version")
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
