"""Errors of the reporting and takedown area (subclasses of the shared typed errors)."""

from __future__ import annotations

from sentinela.errors import AccessDenied, EvidenceError, InvalidInputError, SentinelaError


class UnsafeUrlError(InvalidInputError):
    """The guarded fetcher refuses this URL: its scheme, credentials or address."""


class FetchError(EvidenceError):
    """A reported URL could not be fetched (network error, bad answer, limits)."""


class FetchTimeoutError(FetchError):
    """Fetching took longer than the total time allowed (a slow or stalled server)."""


class RedirectError(FetchError):
    """The redirect chain loops, or is longer than allowed."""


class RateLimited(SentinelaError):
    """Too many public submissions or status checks from one address; try again later.

    The public routes answer it with 429 and a ``Retry-After`` header themselves.
    """

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PartnerKeyRejected(AccessDenied):
    """A partner API call came without a valid, active API key."""
