"""Exhibit registration in one import: detect the kind, hash the container, verify it later.

This module gathers the public API that services call when an exhibit is registered or
re-verified; the work is done in :mod:`~sentinela.evidence.kinds`,
:mod:`~sentinela.evidence.container_hashes` and :mod:`~sentinela.evidence.verification`.
"""

from __future__ import annotations

from sentinela.evidence.container_hashes import ContainerHashes, hash_container
from sentinela.evidence.kinds import ExhibitKind, detect_kind, exhibit_segments
from sentinela.evidence.verification import Mismatch, VerificationResult, verify_container

__all__ = [
    "ContainerHashes",
    "ExhibitKind",
    "Mismatch",
    "VerificationResult",
    "detect_kind",
    "exhibit_segments",
    "hash_container",
    "verify_container",
]
