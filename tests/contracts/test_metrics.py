"""Contract for every metric of the statistics catalogue (see ``stats/catalogue.py``).

Every metric class in ``sentinela.stats`` is registered; names are stable lower_snake and
unique; each computes on an empty database, over any period and unit, a result that carries
its own name and version, with rows as wide as their columns and charts naming real columns.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import UTC, datetime

import pytest

import sentinela.stats
from sentinela.errors import DuplicateNameError
from sentinela.services.context import ServiceContext
from sentinela.stats.catalogue import Metric, build_metric_registry
from sentinela.stats.period import Scope, parse_period
from sentinela.stats.results import COLUMN_KINDS

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)


def _metric_classes() -> set[type[Metric]]:
    found: set[type[Metric]] = set()
    for info in pkgutil.iter_modules(sentinela.stats.__path__):
        module = importlib.import_module(f"sentinela.stats.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Metric) and obj is not Metric and not inspect.isabstract(obj):
                found.add(obj)
    return found


def test_every_metric_module_is_registered() -> None:
    registered = {type(m) for m in build_metric_registry()}
    assert _metric_classes() == registered


def test_duplicates_are_refused() -> None:
    registry = build_metric_registry()
    first = next(iter(registry))
    with pytest.raises(DuplicateNameError):
        registry.register(first)


@pytest.mark.parametrize("period", ["2026", "2026-Q2", "2026-02", "2026-01-01..2026-01-01"])
@pytest.mark.parametrize("unit", [None, "Unit A"])
def test_metric_contract_on_an_empty_store(
    sqlite_ctx: ServiceContext, period: str, unit: str | None
) -> None:
    scope = Scope(parse_period(period), unit, AS_OF)
    with sqlite_ctx.transaction() as session:
        for metric in build_metric_registry():
            result = metric.compute(session, scope)
            assert (result.metric, result.version) == (metric.name, metric.definition.version)
            assert result.period.label == period and result.unit == unit
            for table in result.tables:
                keys = [c.key for c in table.columns]
                assert len(set(keys)) == len(keys)
                assert all(c.kind in COLUMN_KINDS for c in table.columns)
                assert all(len(row) == len(keys) for row in table.rows)
                if table.chart is not None:
                    assert {table.chart.x, *table.chart.y} <= set(keys)
