"""The catalogue: versioned, complete, pinned to its fingerprint, and documented."""

from __future__ import annotations

from pathlib import Path

from sentinela.stats.catalogue import (
    CATALOGUE_VERSION,
    FAMILIES,
    build_metric_registry,
    catalogue_fingerprint,
    ordered,
)
from sentinela.stats.docs import END, START, render_catalogue, splice

DOC = Path(__file__).resolve().parents[2] / "docs" / "statistics.md"
#: Change a definition -> bump its version and CATALOGUE_VERSION, then update this pair.
PINNED = ("2026.1", "236d2e36c06bcf864ebe7c982a3dcc87c915cad27941fbf2976a9ea07fa1e534")


def test_definitions_cannot_change_without_a_new_version() -> None:
    registry = build_metric_registry()
    assert (CATALOGUE_VERSION, catalogue_fingerprint(registry)) == PINNED, (
        "a definition changed: bump its version, CATALOGUE_VERSION and PINNED"
    )


def test_every_definition_is_complete() -> None:
    for metric in build_metric_registry():
        d = metric.definition
        assert d.family in FAMILIES
        for text in (d.title, d.counts, d.date_basis, d.deduplication, d.unit):
            assert len(text) > 5, metric.name
        assert [c.version for c in d.history] == list(range(1, d.version + 1)), metric.name


def test_the_issue_s_catalogue_is_covered() -> None:
    names = [m.name for m in ordered(build_metric_registry())]
    assert names == [
        "victims_identified",
        "offenders_identified",
        "media_ingested",
        "media_never_shown",
        "new_items_graded",
        "analyst_throughput",
        "takedown_stages",
        "industry_volume",
    ]


def test_docs_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == splice(text, build_metric_registry()), (
        "docs/statistics.md is stale: run python -m sentinela.stats.docs"
    )
    assert START in text and END in text
    assert render_catalogue(build_metric_registry()) in text
