"""User administration."""

from __future__ import annotations

import pytest

from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError
from sentinela.services import users
from sentinela.services.context import ServiceContext


def test_roles_and_admin_only(ctx: ServiceContext) -> None:
    admin = ctx.with_actor("admin")
    view = users.add_user(admin, "carol", roles=["investigator", "prosecutor"])
    assert view.roles == ("investigator", "prosecutor")
    assert users.set_roles(admin, "carol", ["hotline_operator"]).roles == ("hotline_operator",)
    with pytest.raises(AccessDenied):
        users.add_user(ctx, "dave", roles=["examiner"])  # alice is not an admin
    with pytest.raises(AlreadyExistsError):
        users.add_user(admin, "carol", roles=["examiner"])
    with pytest.raises(InvalidInputError):
        users.add_user(admin, "erin", roles=["superuser"])
    assert [u.username for u in users.list_users(admin)] == ["admin", "alice", "bob", "carol"]
