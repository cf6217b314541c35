"""Errors of the reporting and takedown area (subclasses of the shared typed errors)."""

from __future__ import annotations

from sentinela.errors import AccessDenied, EvidenceError, InvalidInputError, SentinelaError

#: Why a partner key was refused (audited; the caller is told nothing more than 401).
KEY_MISSING = "missing"
KEY_MALFORMED = "malformed"
KEY_UNKNOWN = "unknown"
KEY_INACTIVE = "inactive"


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


class FormInvalid(InvalidInputError):
    """A report form is invalid, with a message code the public site shows in its language.

    Why a code and not only the English message: the public pages are in pt-PT and English,
    and their words live in ``content/<lang>.toml`` (the ``[validation]`` table), not in code.
    ``str(exc)`` stays the English message for the API, the CLI and logs.

    Attributes:
        code: the key of the message in the ``[validation]`` table.
        params: the values its ``{placeholders}`` take.
    """

    def __init__(self, message: str, code: str, **params: int | str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class PartnerKeyRejected(AccessDenied):
    """A partner API call came without a valid, active API key.

    The message is the same whatever the reason (callers learn nothing); ``reason`` (one of
    the ``KEY_*`` names) and ``key_prefix`` (the key's public id, when it has the key format)
    are for the audit trail only.
    """

    def __init__(
        self,
        message: str,
        reason: str = KEY_MISSING,
        key_prefix: str | None = None,
        partner_id: int | None = None,
        partner_name: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.key_prefix = key_prefix
        self.partner_id = partner_id
        self.partner_name = partner_name
