"""The registration facade exposes the whole exhibit API."""

from __future__ import annotations

from sentinela.evidence import containers
from tests.evidence.helpers import E01


def test_facade_round_trip() -> None:
    kind = containers.detect_kind(E01)
    hashes = containers.hash_container(E01, kind)
    assert isinstance(hashes, containers.ContainerHashes)
    result = containers.verify_container(E01, hashes)
    assert isinstance(result, containers.VerificationResult) and result.matches
