"""Errors of the release format and of the provider-side client."""

from __future__ import annotations

from sentinela.errors import FormatError, SentinelaError


class ReleaseVerificationError(FormatError):
    """A release's signature, signer, tier or content does not check out: do not use it."""


class ReleaseStateMismatch(ReleaseVerificationError):
    """A correctly signed delta does not turn the local copy into the signed state: the copy
    is damaged, and a full snapshot is needed."""


class ReleaseReplayError(ReleaseVerificationError):
    """A correctly signed release that is not the next one for this list (old or replayed)."""


class ApiRequestError(SentinelaError):
    """The Sentinela API answered with an error, or could not be reached.

    Attributes:
        status: the HTTP status (0 when no answer came back).
    """

    def __init__(self, message: str, *, status: int = 0) -> None:
        super().__init__(message)
        self.status = status
