"""Errors specific to the vault.

Both are :class:`~sentinela.errors.VaultError` subclasses, so callers that only care that
"the vault failed" catch one class; the web layer can still map a missing object to 404.
"""

from __future__ import annotations

from sentinela.errors import NotFoundError, VaultError


class ObjectMissingError(VaultError, NotFoundError):
    """No object is stored under this SHA-256 and kind."""


class CorruptObjectError(VaultError):
    """An object fails authentication: tampered, truncated, reordered or misplaced."""
