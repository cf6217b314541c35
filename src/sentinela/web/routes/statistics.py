"""Statistics: the dashboard, the catalogue of definitions, exports and the annual report.

For unit heads and administrators (checked by ``services/statistics.py``). Pages take their
filters as query parameters, so every view is a plain, bookmarkable GET; the JSON twins
return the same figures without the charts, which are drawn only for the HTML pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from sentinela.dates import parse_when
from sentinela.services import statistics
from sentinela.stats.annual import AnnualReport
from sentinela.stats.charts import svg_chart
from sentinela.stats.period import LATEST_YEAR
from sentinela.stats.results import display
from sentinela.web.deps import CurrentUser
from sentinela.web.rendering import add_page, render, wants_json

router = APIRouter(tags=["statistics"])
Period = Annotated[
    str | None,
    Query(max_length=32, description="YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"),
]
Unit = Annotated[str | None, Query(max_length=200, description="One unit; all by default.")]
Metrics = Annotated[list[str] | None, Query(max_length=64, description="Metric names.")]
AsOf = Annotated[str | None, Query(max_length=40, description="Snapshot instant (ISO 8601, UTC).")]
Year = Annotated[int, Query(ge=1970, le=LATEST_YEAR)]


def _as_of(value: str | None) -> datetime | None:
    return parse_when(value, what="as-of instant") if value else None


def _download(file: statistics.ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"content-disposition": f'attachment; filename="{file.filename}"'},
    )


def statistics_dashboard(
    viewer: CurrentUser,
    request: Request,
    period: Period = None,
    unit: Unit = None,
    metric: Metrics = None,
    as_of: AsOf = None,
) -> Response:
    """Every metric over a period and unit, each chart with its table (audited)."""
    data = statistics.dashboard(
        viewer.ctx, period=period, unit=unit or None, metrics=metric or (), as_of=_as_of(as_of)
    )
    if wants_json(request):
        return render(request, "statistics/dashboard.html", data)
    charts = {
        f"{r.metric}.{t.key}": svg_chart(t, f"{r.metric}-{t.key}")
        for r in data.results
        for t in r.tables
    }
    query = {"period": data.period, **({"unit": data.unit} if data.unit else {})}
    query["as_of"] = data.as_of.isoformat()
    return render(
        request,
        "statistics/dashboard.html",
        data,
        extra={"charts": charts, "show": display, "query": urlencode(query)},
    )


def statistics_definitions(viewer: CurrentUser, request: Request) -> Response:
    """The metric catalogue: every definition and its version."""
    return render(request, "statistics/definitions.html", statistics.definitions(viewer.ctx))


def annual_statistics(
    viewer: CurrentUser, request: Request, year: Year, as_of: AsOf = None
) -> Response:
    """The annual report's figures for one calendar year (audited)."""
    report = statistics.annual_report(viewer.ctx, year, as_of=_as_of(as_of))
    query = urlencode({"year": year, "as_of": report.as_of.isoformat()})
    return render(
        request,
        "statistics/annual.html",
        report,
        extra={"show": display, "query": query},
    )


add_page(
    router,
    "/statistics",
    statistics_dashboard,
    name="statistics_dashboard",
    model=statistics.Dashboard,
    summary="Statistics over a period and unit",
)
add_page(
    router,
    "/statistics/definitions",
    statistics_definitions,
    name="statistics_definitions",
    model=statistics.Catalogue,
    summary="The metric catalogue",
)
add_page(
    router,
    "/statistics/annual",
    annual_statistics,
    name="annual_statistics",
    model=AnnualReport,
    summary="The annual report's figures",
)


@router.get("/statistics/export.csv", name="export_statistics_csv", response_class=Response)
def export_csv(
    viewer: CurrentUser,
    period: Period = None,
    unit: Unit = None,
    metric: Metrics = None,
    table: Annotated[str | None, Query(max_length=64)] = None,
    as_of: AsOf = None,
) -> Response:
    """CSV: one table as shown (``metric`` and ``table``), or every figure in long form."""
    file = statistics.export_statistics(
        viewer.ctx,
        fmt="csv",
        period=period,
        unit=unit or None,
        metrics=metric or (),
        table=table,
        as_of=_as_of(as_of),
    )
    return _download(file)


@router.get("/statistics/export.json", name="export_statistics_json", response_class=Response)
def export_json(
    viewer: CurrentUser,
    period: Period = None,
    unit: Unit = None,
    metric: Metrics = None,
    as_of: AsOf = None,
) -> Response:
    """JSON file: the figures with the catalogue version and the definitions used."""
    file = statistics.export_statistics(
        viewer.ctx,
        fmt="json",
        period=period,
        unit=unit or None,
        metrics=metric or (),
        as_of=_as_of(as_of),
    )
    return _download(file)


@router.get("/statistics/annual/report.html", name="annual_report_html", response_class=Response)
def annual_report_html(viewer: CurrentUser, year: Year, as_of: AsOf = None) -> Response:
    """The annual report as one self-contained HTML file (a download)."""
    return _download(
        statistics.annual_report_file(viewer.ctx, year, fmt="html", as_of=_as_of(as_of))
    )


@router.get("/statistics/annual/report.pdf", name="annual_report_pdf", response_class=Response)
def annual_report_pdf(viewer: CurrentUser, year: Year, as_of: AsOf = None) -> Response:
    """The annual report as PDF (a download)."""
    return _download(
        statistics.annual_report_file(viewer.ctx, year, fmt="pdf", as_of=_as_of(as_of))
    )
