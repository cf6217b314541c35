"""Typed exceptions.

Every failure Sentinela reports is one of these. The CLI prints ``str(error)`` as a single
line and exits non-zero; the web layer maps them to HTTP status codes. Nothing in the
package raises a bare ``Exception`` or relies on ``assert``: in a law-enforcement tool a
failure that disappears silently is an evidential problem.
"""

from __future__ import annotations


class SentinelaError(Exception):
    """Base class of every error Sentinela raises on purpose."""

    exit_code: int = 1


class ConfigurationError(SentinelaError):
    """Settings are missing, malformed or unsafe."""


class DatabaseUnavailableError(SentinelaError):
    """The configured database cannot be reached or opened."""


class NotFoundError(SentinelaError):
    """A case, exhibit, user or other named object does not exist."""


class AlreadyExistsError(SentinelaError):
    """A name that must be unique is already taken."""


class AccessDenied(SentinelaError):
    """The acting user lacks the role or case membership the action needs."""


class InvalidInputError(SentinelaError):
    """A value given by a user is malformed (a date, a label, a role...)."""


class DuplicateNameError(SentinelaError):
    """A registry already holds an implementation under this name."""


class UnknownNameError(SentinelaError):
    """A registry holds no implementation under this name."""


class EvidenceError(SentinelaError):
    """An exhibit cannot be read, or does not match what was recorded."""


class UnsupportedSourceError(EvidenceError):
    """No evidence source recognises this exhibit."""


class CorruptEvidenceError(EvidenceError):
    """The exhibit's container is truncated, corrupt or fails its own checks."""


class IntegrityMismatchError(EvidenceError):
    """Recomputed hashes differ from the hashes stored or recorded for the exhibit."""


class InvalidHashError(SentinelaError):
    """A digest has the wrong length or is not hexadecimal."""


class UnsupportedMediaError(SentinelaError):
    """The bytes cannot be decoded as the media type they claim to be."""


class DecompressionBombError(UnsupportedMediaError):
    """An image or archive expands beyond the configured safety limits."""


class VaultError(SentinelaError):
    """The encrypted vault cannot store, find or decrypt an object."""


class AuditChainError(SentinelaError):
    """The audit chain is broken: an event was edited, deleted or reordered."""


class FormatError(SentinelaError):
    """An exchange file is malformed. The message names the file and the position."""

    def __init__(self, message: str, *, path: str | None = None, position: str | None = None):
        where = ", ".join(p for p in (path, position) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.position = position


class UnknownFormatError(FormatError):
    """No registered format recognises the file."""


class JobError(SentinelaError):
    """An ingest or other background job cannot run or resume."""
