"""Typed errors of the matching package.

They live here, beside the code that raises them, because ``sentinela.errors`` is shared by
every area; both subclass :class:`~sentinela.errors.SentinelaError` so the CLI and the web
layer report them like any other failure.
"""

from __future__ import annotations

from sentinela.errors import SentinelaError


class IndexFileError(SentinelaError):
    """A saved index cannot be read: a file is missing, malformed or of the wrong shape."""


class IndexChecksumError(IndexFileError):
    """A saved index's data files do not match the SHA-256 digests in its manifest."""


class UnsupportedIndexVersionError(IndexFileError):
    """A saved index was written in a format version (or for a hash type) we cannot read."""
