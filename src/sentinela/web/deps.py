"""Typed dependencies. Every route declares exactly one permission dependency:

* :data:`Public` — anyone (the sign-in page, health, static files);
* :data:`CurrentUser` — any signed-in user (their own account, cases and exposure);
* :data:`RequireCaseMember` — a signed-in member of the case named in the path;
* :data:`RequireSupervisor` — a signed-in lead of at least one case;
* :func:`~sentinela.web.provider_auth.provider_key` — a provider's API key with a scope
  (``/api/v1`` only; see ``web/provider_auth.py``).

Unsafe methods add :data:`CsrfChecked`. ``tests/web/test_route_permissions.py`` walks every
route of the app and checks that it refuses the people it should.

Why the dependencies open their own short transactions instead of sharing a ``DbSession``
with the handler: each service owns its transaction and writes its audit event in it; a
dependency only answers "may this person be here?" and must not hold a transaction open
while the service runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyCookie

from sentinela.errors import AccessDenied
from sentinela.services import auth
from sentinela.services.case_media import require_supervisor
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member
from sentinela.web.config import WorkspaceConfig
from sentinela.web.provider_auth import provider_key
from sentinela.web.security import SESSION_COOKIE
from sentinela.web.state import Workspace

CSRF_FIELD = "csrf_token"


class CsrfFailed(AccessDenied):
    """A state-changing request came without the session's CSRF token."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of this request, and a service context acting as them."""

    session: auth.SignedIn
    ctx: ServiceContext

    @property
    def username(self) -> str:
        return self.session.username

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token


@dataclass(frozen=True)
class CaseMember:
    """A viewer who is a member of the case in the path."""

    viewer: Viewer
    number: str


def get_workspace(request: Request) -> Workspace:
    """The app's workspace state."""
    workspace: Workspace = request.app.state.workspace
    return workspace


WorkspaceState = Annotated[Workspace, Depends(get_workspace)]


def get_config(workspace: WorkspaceState) -> WorkspaceConfig:
    """The workspace configuration."""
    return workspace.config


Config = Annotated[WorkspaceConfig, Depends(get_config)]


def public() -> None:
    """Marks a route that anyone may call (it still goes through the security headers)."""


Public = Depends(public)
_session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    auto_error=False,
    description="Set by POST /sign-in.",
)


def current_user(
    request: Request,
    workspace: WorkspaceState,
    session_token: Annotated[str | None, Depends(_session_cookie)],
) -> Viewer:
    """The signed-in user, from the session cookie.

    Raises:
        SessionExpired: no cookie, or the session is unknown, ended or expired.
    """
    token = session_token
    if not token:
        raise auth.SessionExpired("not signed in")
    ctx = workspace.context()
    session = auth.resume_session(ctx, token, policy=workspace.config.auth)
    viewer = Viewer(session, ctx.with_actor(session.username))
    request.state.viewer = viewer
    return viewer


CurrentUser = Annotated[Viewer, Depends(current_user)]


async def csrf_checked(
    request: Request,
    viewer: CurrentUser,
    x_csrf_token: Annotated[
        str | None, Header(description="The session's CSRF token (GET /account.json).")
    ] = None,
) -> Viewer:
    """The viewer, once the request carries their CSRF token (form field or header).

    Raises:
        CsrfFailed: the token is missing or wrong.
    """
    given = x_csrf_token
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not auth.csrf_matches(viewer.csrf_token, given):
        raise CsrfFailed("missing or invalid CSRF token")
    return viewer


CsrfChecked = Annotated[Viewer, Depends(csrf_checked)]


def case_member(number: str, viewer: CurrentUser) -> CaseMember:
    """The viewer, if they are a member of case ``number``.

    Raises:
        AccessDenied: not a member; the same answer whether or not the case exists.
    """
    with viewer.ctx.transaction() as session:
        require_member(session, number, viewer.ctx.actor(session))
    return CaseMember(viewer, number)


RequireCaseMember = Annotated[CaseMember, Depends(case_member)]


def supervisor(viewer: CurrentUser) -> Viewer:
    """The viewer, if they lead at least one case.

    Raises:
        AccessDenied: they lead no case.
    """
    with viewer.ctx.transaction() as session:
        require_supervisor(session, viewer.ctx.actor(session))
    return viewer


RequireSupervisor = Annotated[Viewer, Depends(supervisor)]

#: The dependencies that count as a permission declaration (checked by the tests).
PERMISSION_DEPENDENCIES = (public, current_user, case_member, supervisor, provider_key)
