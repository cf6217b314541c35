"""Sign-in, sign-out, the account page and password change."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sentinela.errors import InvalidInputError
from sentinela.services import accounts, auth
from sentinela.web.deps import (
    CSRF_FIELD,
    Config,
    CsrfChecked,
    CsrfFailed,
    CurrentUser,
    Public,
    WorkspaceState,
)
from sentinela.web.rendering import add_page, render, to_json, wants_json
from sentinela.web.security import SIGN_IN_COOKIE, clear_session_cookie, set_session_cookie

router = APIRouter(tags=["auth"])
SIGN_IN_FORM_SECONDS = 3600


@dataclass(frozen=True)
class SignInForm:
    """The sign-in form: its CSRF token (also set as a cookie), and any error to show."""

    csrf_token: str
    error: str | None = None


@dataclass(frozen=True)
class Account:
    """The signed-in user and their session."""

    username: str
    display_name: str
    roles: tuple[str, ...]
    csrf_token: str
    expires_at: datetime
    message: str | None = None


@dataclass(frozen=True)
class PasswordChanged:
    """The answer to a password change."""

    sessions_ended: int


def _sign_in_page(request: Request, config: Config, error: str | None, status: int) -> Response:
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "auth/sign_in.html", SignInForm(token, error), status_code=status)
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=SIGN_IN_FORM_SECONDS,
        path="/sign-in",
        httponly=True,
        secure=True,
        samesite="strict",
    )
    return response


def sign_in_form(request: Request, config: Config) -> Response:
    """The sign-in form (public)."""
    return _sign_in_page(request, config, None, 200)


add_page(
    router,
    "/sign-in",
    sign_in_form,
    name="sign_in_form",
    model=SignInForm,
    summary="The sign-in form and its CSRF token",
    dependencies=[Public],
)


@router.post("/sign-in", name="sign_in", dependencies=[Public], response_model=Account)
def sign_in(
    request: Request,
    workspace: WorkspaceState,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=16)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=128)] = "",
) -> Response:
    """Sign in with a password and a TOTP code; sets the session cookie."""
    config = workspace.config
    if not auth.csrf_matches(request.cookies.get(SIGN_IN_COOKIE, ""), csrf_token):
        raise CsrfFailed("the sign-in form has expired; reload it and try again")
    remote = request.client.host if request.client else ""
    try:
        new = auth.sign_in(
            workspace.context(), username, password, code, remote_addr=remote, policy=config.auth
        )
    except (auth.AuthenticationFailed, auth.SignInThrottled) as exc:
        if wants_json(request):
            raise
        status = 429 if isinstance(exc, auth.SignInThrottled) else 401
        return _sign_in_page(request, config, str(exc), status)
    s = new.session
    account = Account(s.username, s.display_name, s.roles, s.csrf_token, s.expires_at)
    response: Response = (
        JSONResponse(to_json(account))
        if wants_json(request)
        else RedirectResponse("/cases", status_code=303)
    )
    lifetime = int(config.auth.session_lifetime.total_seconds())
    set_session_cookie(response, new.token, lifetime)
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in", secure=True, httponly=True)
    return response


@router.post("/sign-out", name="sign_out")
def sign_out(viewer: CsrfChecked, request: Request, config: Config) -> Response:
    """End the session and clear its cookie."""
    auth.sign_out(viewer.ctx, viewer.session.session_id)
    response: Response = (
        JSONResponse({"signed_out": True})
        if wants_json(request)
        else RedirectResponse("/sign-in", status_code=303)
    )
    clear_session_cookie(response)
    return response


def _account(viewer: CurrentUser, message: str | None = None) -> Account:
    s = viewer.session
    return Account(s.username, s.display_name, s.roles, s.csrf_token, s.expires_at, message)


def account(viewer: CurrentUser, request: Request) -> Response:
    """The signed-in user's account and session (the CSRF token for API clients is here)."""
    return render(request, "auth/account.html", _account(viewer))


add_page(router, "/account", account, name="show_account", model=Account, summary="Your account")


@router.post("/account/password", name="change_password", response_model=PasswordChanged)
def change_password(
    viewer: CsrfChecked,
    request: Request,
    config: Config,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
    confirm_password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Change your password; your other sessions end."""
    if new_password != confirm_password:
        raise InvalidInputError("the new password and its confirmation differ")
    ended = accounts.change_password(
        viewer.ctx,
        current_password,
        new_password,
        keep_session_id=viewer.session.session_id,
        policy=config.auth,
    )
    if wants_json(request):
        return JSONResponse(to_json(PasswordChanged(ended)))
    message = f"Password changed; {ended} other session(s) ended."
    return render(request, "auth/account.html", _account(viewer, message))


@router.get("/", name="home", include_in_schema=False)
def home(viewer: CurrentUser) -> Response:
    """The start page is the case list."""
    return RedirectResponse("/cases", status_code=303)


@router.get("/health", name="health", dependencies=[Public])
def health() -> dict[str, str]:
    """Liveness (public; says nothing about the data)."""
    return {"status": "ok"}


@router.get("/openapi.json", name="openapi", include_in_schema=False)
def openapi(viewer: CurrentUser, request: Request) -> JSONResponse:
    """The OpenAPI description of the JSON API (signed-in users)."""
    return JSONResponse(request.app.openapi())
