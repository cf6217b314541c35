"""The public site: the report form, the receipt status, prevention pages and quizzes.

No sign-in, no cookie but the public forms' CSRF pair (double submit, also on the status and
quiz forms, which change nothing), no scripts at all (the pages work with plain HTML forms),
every page in pt-PT and English (``?lang=``, else the browser's
preference). Submissions and status checks are rate limited per client address, in memory.
What a reporter typed is only ever shown back escaped (Jinja autoescaping).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response

from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.reporting.content import Content, load_content, pick_language
from sentinela.reporting.errors import RateLimited
from sentinela.services import auth
from sentinela.services.reporting_intake import ReportForm, receipt_status, submit_public_report
from sentinela.web.deps import CSRF_FIELD, Public, WorkspaceState
from sentinela.web.rendering import add_page, render, wants_json
from sentinela.web.routes.reporting_site import Site, client_key

router = APIRouter(tags=["public"])
REPORT_COOKIE = "sentinela_report"
FORM_SECONDS = 3600
TextField = Annotated[str, Form(max_length=10_000)]


@dataclass(frozen=True)
class ReportFormView:
    """The report form: its CSRF token (also set as a cookie) and limits."""

    lang: str
    csrf_token: str
    max_urls: int
    error: str | None = None


@dataclass(frozen=True)
class ReceiptView:
    """The receipt: the code to keep, when, and how many addresses were received."""

    lang: str
    receipt: str
    received_at: datetime
    addresses: int


@dataclass(frozen=True)
class StatusView:
    """A receipt's status (``None`` on the empty form)."""

    lang: str
    status: str | None = None
    error: str | None = None
    csrf_token: str = ""


@dataclass(frozen=True)
class PageLink:
    """A prevention page or quiz in the index."""

    slug: str
    title: str
    summary: str


@dataclass(frozen=True)
class PreventionIndex:
    """The prevention pages and quizzes."""

    lang: str
    pages: tuple[PageLink, ...]
    quizzes: tuple[PageLink, ...]


@dataclass(frozen=True)
class PreventionPage:
    """One prevention page."""

    lang: str
    slug: str
    audience: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    """A question and its options, numbered from 0."""

    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class QuizView:
    """A quiz, and its result once answered."""

    lang: str
    id: str
    title: str
    intro: str
    questions: tuple[QuizQuestion, ...]
    score: int | None = None
    result: str | None = None
    error: str | None = None
    csrf_token: str = ""


def _lang(request: Request, given: str | None = None) -> str:
    requested = given or request.query_params.get("lang")
    return pick_language(requested, request.headers.get("accept-language", ""))


def _page(
    request: Request,
    template: str,
    data: Any,
    lang: str,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    content = load_content(lang)
    other = "en" if lang == "pt-PT" else "pt-PT"
    extra = {
        "ui": content.ui,
        "lang": lang,
        "other_lang": other,
        "other_name": load_content(other).name,
        "values": values or {},
    }
    return render(request, template, data, status_code=status_code, extra=extra)


def _too_many(request: Request, exc: RateLimited, lang: str) -> Response:
    headers = {"Retry-After": str(exc.retry_after_s)}
    if wants_json(request):
        body = {"error": "RateLimited", "detail": str(exc)}
        return JSONResponse(body, status_code=429, headers=headers)
    response = _page(request, "public/limited.html", StatusView(lang), lang, status_code=429)
    response.headers.update(headers)
    return response


def _token(request: Request) -> str:
    """The public forms' CSRF token: the cookie's, or a new one."""
    return request.cookies.get(REPORT_COOKIE) or secrets.token_urlsafe(32)


def _form_ok(request: Request, given: str) -> bool:
    return auth.csrf_matches(request.cookies.get(REPORT_COOKIE, ""), given)


def _with_cookie(response: Response, token: str) -> Response:
    """Pair ``token`` with the form (double submit): HttpOnly, Secure, SameSite=Strict."""
    response.set_cookie(
        REPORT_COOKIE,
        token,
        max_age=FORM_SECONDS,
        path="/",
        httponly=True,
        secure=True,
        samesite="strict",
    )
    return response


def _report_form(
    request: Request,
    site: Site,
    lang: str,
    *,
    error: str | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    token = _token(request)
    view = ReportFormView(lang, token, site.runtime.config.public.max_urls, error)
    response = _page(
        request, "public/report.html", view, lang, status_code=status_code, values=values
    )
    return _with_cookie(response, token)


def report_form(request: Request, site: Site) -> Response:
    """The public report form and its CSRF token (public)."""
    return _report_form(request, site, _lang(request))


add_page(
    router,
    "/report",
    report_form,
    name="public_report_form",
    model=ReportFormView,
    summary="The public report form and its CSRF token",
    dependencies=[Public],
)


@router.post(
    "/report", name="submit_public_report", dependencies=[Public], response_model=ReceiptView
)
def submit_report(
    request: Request,
    site: Site,
    workspace: WorkspaceState,
    urls: Annotated[str, Form(max_length=50_000)],
    description: TextField = "",
    contact_name: Annotated[str, Form(max_length=200)] = "",
    contact_email: Annotated[str, Form(max_length=200)] = "",
    lang: Annotated[str, Form(max_length=8)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=128)] = "",
) -> Response:
    """Send a report: one URL per line, optional description and contact (public, limited)."""
    language = _lang(request, lang)
    try:
        site.submissions.hit(client_key(request))
    except RateLimited as exc:
        return _too_many(request, exc, language)
    values = {
        "urls": urls,
        "description": description,
        "contact_name": contact_name,
        "contact_email": contact_email,
    }
    ui_text = load_content(language)
    ui = ui_text.ui
    if not _form_ok(request, csrf_token):
        return _report_form(
            request, site, language, error=ui["form_expired"], status_code=403, values=values
        )
    form = ReportForm(
        urls=urls.splitlines(),
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        language=language,
    )
    try:
        receipt = submit_public_report(
            workspace.context().with_actor(None), form, site.runtime.config
        )
    except InvalidInputError as exc:
        return _report_form(
            request, site, language, error=ui_text.explain(exc), status_code=422, values=values
        )
    view = ReceiptView(language, receipt.code, receipt.received_at, len(receipt.urls))
    return _page(request, "public/receipt.html", view, language)


def status_form(request: Request) -> Response:
    """The receipt status form (public)."""
    lang = _lang(request)
    token = _token(request)
    return _with_cookie(
        _page(request, "public/status.html", StatusView(lang, csrf_token=token), lang), token
    )


add_page(
    router,
    "/report/status",
    status_form,
    name="public_status_form",
    model=StatusView,
    summary="The receipt status form",
    dependencies=[Public],
)


@router.post(
    "/report/status", name="public_report_status", dependencies=[Public], response_model=StatusView
)
def report_status(
    request: Request,
    site: Site,
    workspace: WorkspaceState,
    receipt: Annotated[str, Form(max_length=64)],
    lang: Annotated[str, Form(max_length=8)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=128)] = "",
) -> Response:
    """A receipt's status: received, in progress or closed, and nothing else (public, limited)."""
    language = _lang(request, lang)
    try:
        site.status_checks.hit(client_key(request))
    except RateLimited as exc:
        return _too_many(request, exc, language)
    ui = load_content(language).ui
    token = _token(request)
    if not _form_ok(request, csrf_token):
        view = StatusView(language, None, ui["form_expired"], token)
        page = _page(request, "public/status.html", view, language, status_code=403)
        return _with_cookie(page, token)
    try:
        found = receipt_status(workspace.context(), receipt)
    except (InvalidInputError, NotFoundError):
        view = StatusView(language, None, ui["status_unknown"], token)
        return _page(request, "public/status.html", view, language, status_code=404)
    view = StatusView(language, found.status, None, token)
    return _page(request, "public/status.html", view, language)


def _index(content: Content) -> PreventionIndex:
    return PreventionIndex(
        content.lang,
        tuple(PageLink(p.slug, p.title, p.summary) for p in content.page),
        tuple(PageLink(q.id, q.title, q.intro) for q in content.quiz),
    )


def prevention_index(request: Request) -> Response:
    """Prevention pages and quizzes (public)."""
    lang = _lang(request)
    return _page(request, "public/prevention.html", _index(load_content(lang)), lang)


add_page(
    router,
    "/prevention",
    prevention_index,
    name="prevention_index",
    model=PreventionIndex,
    summary="Prevention pages and self-assessment quizzes",
    dependencies=[Public],
)


def prevention_page(slug: str, request: Request) -> Response:
    """One prevention page (public)."""
    lang = _lang(request)
    page = load_content(lang).find_page(slug)
    view = PreventionPage(lang, page.slug, page.audience, page.title, page.paragraphs)
    return _page(request, "public/page.html", view, lang)


add_page(
    router,
    "/prevention/{slug}",
    prevention_page,
    name="prevention_page",
    model=PreventionPage,
    summary="A prevention page",
    dependencies=[Public],
)


def _quiz_view(lang: str, quiz_id: str, token: str, answers: list[int] | None = None) -> QuizView:
    quiz = load_content(lang).find_quiz(quiz_id)
    questions = tuple(QuizQuestion(q.text, tuple(o.text for o in q.options)) for q in quiz.question)
    score: int | None = None
    result: str | None = None
    if answers is not None:
        score, band = quiz.score(answers)
        result = band.text
    return QuizView(
        lang, quiz.id, quiz.title, quiz.intro, questions, score, result, csrf_token=token
    )


def quiz_form(quiz_id: str, request: Request) -> Response:
    """A self-assessment quiz (public)."""
    lang = _lang(request)
    token = _token(request)
    page = _page(request, "public/quiz.html", _quiz_view(lang, quiz_id, token), lang)
    return _with_cookie(page, token)


add_page(
    router,
    "/quiz/{quiz_id}",
    quiz_form,
    name="quiz_form",
    model=QuizView,
    summary="A self-assessment quiz",
    dependencies=[Public],
)


@router.post("/quiz/{quiz_id}", name="quiz_result", dependencies=[Public], response_model=QuizView)
async def quiz_result(quiz_id: str, request: Request) -> Response:
    """Score a quiz; the answers are neither stored nor logged (public)."""
    form = await request.form()
    lang = _lang(request, str(form.get("lang") or ""))
    quiz = load_content(lang).find_quiz(quiz_id)
    answers: list[int] = []
    for number in range(len(quiz.question)):
        value = form.get(f"q{number}")
        answers.append(int(value) if isinstance(value, str) and value.isdigit() else -1)
    ui = load_content(lang).ui
    token = _token(request)
    given = form.get(CSRF_FIELD)
    if not _form_ok(request, given if isinstance(given, str) else ""):
        view = replace(_quiz_view(lang, quiz_id, token), error=ui["form_expired"])
        return _with_cookie(_page(request, "public/quiz.html", view, lang, status_code=403), token)
    try:
        view = _quiz_view(lang, quiz_id, token, answers)
    except InvalidInputError:
        view = replace(_quiz_view(lang, quiz_id, token), error=ui["quiz_incomplete"])
        return _page(request, "public/quiz.html", view, lang, status_code=422)
    return _page(request, "public/quiz.html", view, lang)
