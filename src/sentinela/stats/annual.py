"""The annual report for the government: the catalogue's figures for one calendar year.

Why the report is a pure function of (year, as-of instant, raw rows): the same call, made
again later, must give the same document, byte for byte, so anyone can check a published
figure. The report therefore states the catalogue version, a fingerprint of every definition
it used, the as-of instant and a SHA-256 of its figures, and it does not print who made it or
when (the audit log records that). Rows recorded after the as-of instant are ignored by every
metric, so late entries do not change a report that was already sent.

Figures are national (no unit filter). Metrics whose rows name people (analyst throughput)
contribute their totals only.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from sentinela import __version__
from sentinela.registry import Registry
from sentinela.stats.catalogue import (
    CATALOGUE_VERSION,
    GENERAL_RULES,
    Definition,
    Metric,
    catalogue_fingerprint,
    ordered,
)
from sentinela.stats.charts import svg_chart
from sentinela.stats.export import json_bytes
from sentinela.stats.period import Scope, year_period
from sentinela.stats.results import MetricResult, display

TEMPLATE = "statistics/annual_report.html"


@dataclass(frozen=True)
class NamedDefinition:
    """A definition with its metric's name."""

    name: str
    definition: Definition


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual report prints."""

    year: int
    as_of: datetime
    catalogue_version: str
    catalogue_fingerprint: str
    sentinela_version: str
    general_rules: tuple[str, ...]
    definitions: tuple[NamedDefinition, ...]
    results: tuple[MetricResult, ...]
    figures_sha256: str
    reproduce: str


def figures_digest(results: tuple[MetricResult, ...]) -> str:
    """SHA-256 of the canonical JSON of the results: equal figures, equal digest."""
    return hashlib.sha256(json_bytes({"results": [asdict(r) for r in results]})).hexdigest()


def build_annual_report(
    session: Session, registry: Registry[Metric], year: int, as_of: datetime
) -> AnnualReport:
    """Compute every metric of the catalogue over calendar ``year``, nationally.

    Raises:
        InvalidInputError: the year is out of range or ``as_of`` is naive.
    """
    scope = Scope(year_period(year), None, as_of)
    metrics = ordered(registry)
    results = []
    for metric in metrics:
        result = metric.compute(session, scope)
        if metric.personal:
            result = replace(
                result,
                tables=(),
                notes=(*result.notes, "Per-person rows are not published; totals only."),
            )
        results.append(result)
    frozen = tuple(results)
    return AnnualReport(
        year=year,
        as_of=as_of,
        catalogue_version=CATALOGUE_VERSION,
        catalogue_fingerprint=catalogue_fingerprint(registry),
        sentinela_version=__version__,
        general_rules=GENERAL_RULES,
        definitions=tuple(NamedDefinition(m.name, m.definition) for m in metrics),
        results=frozen,
        figures_sha256=figures_digest(frozen),
        reproduce=f"sentinela stats annual-report {year} --as-of {as_of.isoformat()}",
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sentinela.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["show"] = display
    return env


def render_html(report: AnnualReport) -> str:
    """The report as one self-contained HTML file (inline SVG charts, inline styles)."""
    charts = {
        f"{r.metric}.{t.key}": svg_chart(t, f"{r.metric}-{t.key}")
        for r in report.results
        for t in r.tables
    }
    return _environment().get_template(TEMPLATE).render(report=report, charts=charts)


def report_json(report: AnnualReport) -> bytes:
    """The report as canonical JSON."""
    return json_bytes(asdict(report))
