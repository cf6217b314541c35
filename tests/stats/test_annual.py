"""The annual report: every metric, national, reproducible from the raw rows."""

from __future__ import annotations

from datetime import UTC, datetime

from sentinela.services.context import ServiceContext
from sentinela.stats.annual import build_annual_report, render_html, report_json
from sentinela.stats.catalogue import CATALOGUE_VERSION, build_metric_registry
from sentinela.stats.pdf import render_pdf
from tests.stats.helpers import AS_OF, Fixture


def _report(ctx: ServiceContext, as_of: datetime = AS_OF):  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        return build_annual_report(session, build_metric_registry(), 2026, as_of)


def test_report_figures(shared: ServiceContext) -> None:
    report = _report(shared)
    assert report.catalogue_version == CATALOGUE_VERSION
    by_name = {r.metric: r for r in report.results}
    assert by_name["victims_identified"].figure("victims") == 3
    assert all(r.unit is None for r in report.results)
    people = by_name["analyst_throughput"]
    assert people.tables == () and people.figure("grades") == 9 and people.notes
    assert report.reproduce.endswith("--as-of 2027-02-01T00:00:00+00:00")


def test_reproducible_and_as_of_matters(shared: ServiceContext) -> None:
    first, again = _report(shared), _report(shared)
    assert first.figures_sha256 == again.figures_sha256
    assert report_json(first) == report_json(again)
    # v6 (dated 2026-12-30) was recorded on 2027-03-01: a later as-of counts it.
    later = _report(shared, datetime(2027, 4, 1, tzinfo=UTC))
    assert {r.metric: r for r in later.results}["victims_identified"].figure("victims") == 4
    assert later.figures_sha256 != first.figures_sha256


def test_html_and_pdf(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    report = _report(sqlite_ctx)
    html = render_html(report)  # byte-identical re-rendering: tests/cli/test_statistics.py
    assert f"catalogue version <strong>{CATALOGUE_VERSION}</strong>" in html
    assert report.figures_sha256 in html and html.count("<svg") >= 8
    assert "victims_identified v1" in html  # the definitions appendix
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    assert b"CreationDate" not in pdf
