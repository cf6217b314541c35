"""Lookups shared by the industry services: tiers and providers by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.industry import Provider, ProviderTier
from sentinela.errors import NotFoundError


def load_tier(session: Session, name: str) -> ProviderTier:
    """Load a tier by name.

    Raises:
        NotFoundError: no such tier.
    """
    tier = session.execute(
        select(ProviderTier).where(ProviderTier.name == name)
    ).scalar_one_or_none()
    if tier is None:
        raise NotFoundError(f"no provider tier {name!r}")
    return tier


def load_provider(session: Session, name: str) -> Provider:
    """Load a provider by name.

    Raises:
        NotFoundError: no such provider.
    """
    provider = session.execute(select(Provider).where(Provider.name == name)).scalar_one_or_none()
    if provider is None:
        raise NotFoundError(f"no provider {name!r}")
    return provider
