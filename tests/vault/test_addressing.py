from __future__ import annotations

import pytest

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.vault.addressing import check_kind, normalise_sha256, object_relpath

DIGEST = "ab" + "cd" + "0" * 60


def test_relpaths_fan_out_by_prefix() -> None:
    assert object_relpath(DIGEST, "media") == f"media/ab/cd/{DIGEST}.sv"
    assert object_relpath(DIGEST.upper(), "thumbnail") == f"thumbnails/ab/cd/{DIGEST}.sv"


def test_normalise() -> None:
    assert normalise_sha256(f" {DIGEST.upper()}\n") == DIGEST
    for bad in ("", DIGEST[:-1], DIGEST + "0", "z" * 64, "../" + DIGEST[3:]):
        with pytest.raises(InvalidHashError):
            normalise_sha256(bad)


def test_kinds() -> None:
    assert check_kind("media") == "media" and check_kind("thumbnail") == "thumbnail"
    with pytest.raises(InvalidInputError):
        check_kind("thumbnails")
