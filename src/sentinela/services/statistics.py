"""Statistics for heads of unit and administrators: the dashboard, exports, the annual report.

Who may see them: administrators, and holders of the ``unit_head`` role. Statistics are
counts, never case content, so need-to-know per case does not apply; a unit head sees the
national figures and any unit's. The exception is metrics whose rows name people
(``Metric.personal``: analyst throughput and exposure): a unit head sees only the people of
their own unit, an administrator everyone. Every view and export is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.users import User
from sentinela.errors import InvalidInputError, UnknownNameError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role
from sentinela.stats import annual, export, pdf
from sentinela.stats.catalogue import (
    CATALOGUE_VERSION,
    GENERAL_RULES,
    Definition,
    Metric,
    build_metric_registry,
    catalogue_document,
    catalogue_fingerprint,
    ordered,
)
from sentinela.stats.period import Scope, parse_period, year_period
from sentinela.stats.results import MetricResult

#: Roles that may see statistics. ``unit_head`` is proposed for ``db/users.py`` ROLES.
STATISTICS_ROLES: tuple[str, ...] = ("admin", "unit_head")
EXPORT_FORMATS: tuple[str, ...] = ("csv", "json")
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf", "json")


@dataclass(frozen=True)
class Dashboard:
    """The figures of every requested metric over one period and unit."""

    catalogue_version: str
    period: str
    first_day: date
    last_day: date
    unit: str | None
    units: tuple[str, ...]
    as_of: datetime
    results: tuple[MetricResult, ...]


@dataclass(frozen=True)
class MetricDefinition:
    """A metric's name and definition."""

    name: str
    definition: Definition


@dataclass(frozen=True)
class Catalogue:
    """The catalogue as published: version, fingerprint, general rules, definitions."""

    catalogue_version: str
    fingerprint: str
    general_rules: tuple[str, ...]
    metrics: tuple[MetricDefinition, ...]


@dataclass(frozen=True)
class ExportFile:
    """An export ready to save or send."""

    filename: str
    media_type: str
    content: bytes


def require_statistics_viewer(user: User) -> None:
    """Raise AccessDenied unless the user may see statistics."""
    require_role(user, *STATISTICS_ROLES)


def known_units(session: Session) -> list[str]:
    """Every unit named on a case or a user account, sorted."""
    units = set(session.execute(select(Case.unit).distinct()).scalars())
    units |= set(session.execute(select(User.unit).distinct()).scalars())
    return sorted(u for u in units if u)


def _metrics(names: Sequence[str]) -> list[Metric]:
    registry = build_metric_registry()
    if not names:
        return ordered(registry)
    try:
        return [registry.get(n) for n in dict.fromkeys(names)]
    except UnknownNameError as exc:
        raise InvalidInputError(str(exc)) from None


def _scope(
    session: Session,
    ctx: ServiceContext,
    period: str | None,
    unit: str | None,
    as_of: datetime | None,
) -> Scope:
    now = ctx.clock()
    chosen = parse_period(period) if period else year_period(now.year)
    if unit is not None and unit not in known_units(session):
        raise InvalidInputError(f"unknown unit {unit!r}")
    when = as_of or now
    if when > now:
        raise InvalidInputError("as-of instant is in the future")
    return Scope(chosen, unit or None, when)


def _compute(session: Session, metric: Metric, scope: Scope, viewer: User) -> MetricResult:
    if metric.personal and "admin" not in viewer.role_names and scope.unit != viewer.unit:
        scope = replace(scope, unit=viewer.unit)
        note = f"Per-person rows are limited to your unit ({viewer.unit or 'none'})."
        result = metric.compute(session, scope)
        return replace(result, notes=(*result.notes, note))
    return metric.compute(session, scope)


def _audit(session: Session, ctx: ServiceContext, actor: User, action: str, **details: Any) -> None:
    record(
        session,
        actor=actor.username,
        action=action,
        object_type="statistics",
        object_id=str(details.get("period", "")),
        clock=ctx.clock,
        details=details,
    )


def _results(
    ctx: ServiceContext,
    action: str,
    period: str | None,
    unit: str | None,
    metrics: Sequence[str],
    as_of: datetime | None,
    **extra: Any,
) -> tuple[Scope, list[str], tuple[MetricResult, ...]]:
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_statistics_viewer(actor)
        chosen = _metrics(metrics)
        scope = _scope(session, ctx, period, unit, as_of)
        results = tuple(_compute(session, m, scope, actor) for m in chosen)
        _audit(
            session,
            ctx,
            actor,
            action,
            period=scope.period.label,
            unit=scope.unit,
            as_of=scope.as_of.isoformat(),
            metrics=[m.name for m in chosen],
            **extra,
        )
        return scope, known_units(session), results


def dashboard(
    ctx: ServiceContext,
    *,
    period: str | None = None,
    unit: str | None = None,
    metrics: Sequence[str] = (),
    as_of: datetime | None = None,
) -> Dashboard:
    """Compute the dashboard (audited as ``statistics.view``).

    Args:
        ctx: acting as a unit head or an administrator.
        period: ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD..YYYY-MM-DD``; the current
            year by default.
        unit: one unit's figures; all units by default.
        metrics: metric names; all by default.
        as_of: the snapshot instant; now by default.

    Raises:
        AccessDenied: the actor is neither a unit head nor an administrator.
        InvalidInputError: malformed period, unknown unit or metric, or an as-of instant in
            the future.
    """
    scope, units, results = _results(ctx, "statistics.view", period, unit, metrics, as_of)
    p = scope.period
    return Dashboard(
        CATALOGUE_VERSION,
        p.label,
        p.start,
        p.last_day,
        scope.unit,
        tuple(units),
        scope.as_of,
        results,
    )


def export_statistics(
    ctx: ServiceContext,
    *,
    fmt: str,
    period: str | None = None,
    unit: str | None = None,
    metrics: Sequence[str] = (),
    table: str | None = None,
    as_of: datetime | None = None,
) -> ExportFile:
    """Export figures as CSV or JSON (audited as ``statistics.export``).

    ``table`` (CSV only, with exactly one metric) exports that one table as shown; otherwise
    the CSV is in long form (one value per line) and the JSON carries the definitions.

    Raises:
        InvalidInputError: unknown format, unknown table, or ``table`` without exactly one
            metric.
        AccessDenied: as :func:`dashboard`.
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError(f"export format must be one of {', '.join(EXPORT_FORMATS)}")
    if table is not None and (fmt != "csv" or len(set(metrics)) != 1):
        raise InvalidInputError("a single table is exported as CSV, for exactly one metric")
    scope, _, results = _results(
        ctx, "statistics.export", period, unit, metrics, as_of, format=fmt, table=table
    )
    stem = f"statistics-{scope.period.label}" + (f"-{_slug(scope.unit)}" if scope.unit else "")
    if table is not None:
        try:
            text = export.table_csv(results[0], table)
        except KeyError:
            raise InvalidInputError(f"metric {results[0].metric} has no table {table!r}") from None
        return ExportFile(f"{stem}-{results[0].metric}-{table}.csv", "text/csv", text.encode())
    if fmt == "csv":
        body = export.long_csv(results, CATALOGUE_VERSION).encode()
        return ExportFile(f"{stem}.csv", "text/csv", body)
    doc = export.json_document(
        results,
        catalogue=catalogue_document(build_metric_registry()),
        period=scope.period.label,
        unit=scope.unit,
    )
    return ExportFile(f"{stem}.json", "application/json", export.json_bytes(doc))


def definitions(ctx: ServiceContext) -> Catalogue:
    """The metric catalogue (no figures, so not audited).

    Raises:
        AccessDenied: the actor may not see statistics.
    """
    with ctx.transaction() as session:
        require_statistics_viewer(ctx.actor(session))
    registry = build_metric_registry()
    return Catalogue(
        CATALOGUE_VERSION,
        catalogue_fingerprint(registry),
        GENERAL_RULES,
        tuple(MetricDefinition(m.name, m.definition) for m in ordered(registry)),
    )


def annual_report(
    ctx: ServiceContext, year: int, *, as_of: datetime | None = None
) -> annual.AnnualReport:
    """The annual report's content for calendar ``year`` (audited as ``statistics.annual_report``).

    ``as_of`` defaults to now; pass the instant printed on an earlier report to reproduce it.

    Raises:
        AccessDenied: the actor may not see statistics.
        InvalidInputError: the year is out of range or the as-of instant is in the future.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_statistics_viewer(actor)
        now = ctx.clock()
        when = as_of or now
        if when > now:
            raise InvalidInputError("as-of instant is in the future")
        report = annual.build_annual_report(session, build_metric_registry(), year, when)
        _audit(
            session,
            ctx,
            actor,
            "statistics.annual_report",
            period=str(year),
            as_of=when.isoformat(),
            figures_sha256=report.figures_sha256,
        )
        return report


def annual_report_file(
    ctx: ServiceContext, year: int, *, fmt: str, as_of: datetime | None = None
) -> ExportFile:
    """The annual report as an HTML, PDF or JSON file (audited).

    Raises:
        InvalidInputError: unknown format; and as :func:`annual_report`.
    """
    if fmt not in REPORT_FORMATS:
        raise InvalidInputError(f"report format must be one of {', '.join(REPORT_FORMATS)}")
    report = annual_report(ctx, year, as_of=as_of)
    name = f"sentinela-annual-statistics-{year}.{fmt}"
    if fmt == "pdf":
        return ExportFile(name, "application/pdf", pdf.render_pdf(report))
    if fmt == "json":
        return ExportFile(name, "application/json", annual.report_json(report))
    return ExportFile(name, "text/html", annual.render_html(report).encode())


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_") or "unit"
