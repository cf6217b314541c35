"""Errors specific to exhibits, refining the shared ones in :mod:`sentinela.errors`."""

from __future__ import annotations

from sentinela.errors import CorruptEvidenceError, EvidenceError, IntegrityMismatchError


class ExhibitNotFoundError(EvidenceError):
    """The exhibit path does not exist."""


class UnreadableEvidenceError(EvidenceError):
    """The exhibit, or a file inside it, cannot be opened or read (permissions, I/O error)."""


class MediaHashMismatchError(IntegrityMismatchError):
    """An E01's media stream no longer matches the acquisition hash stored inside it.

    Attributes:
        algorithm: ``"md5"`` or ``"sha1"``.
        stored: the hash recorded in the image at acquisition.
        computed: the hash of the media stream as read now.
    """

    def __init__(self, path: str, algorithm: str, stored: str, computed: str) -> None:
        super().__init__(
            f"{path}: media {algorithm.upper()} {computed} does not match the stored "
            f"acquisition {algorithm.upper()} {stored}"
        )
        self.algorithm = algorithm
        self.stored = stored
        self.computed = computed


class TruncatedImageError(CorruptEvidenceError):
    """A disk image (an E01 segment) ends before its own structure says it should."""
