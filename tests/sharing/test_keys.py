"""The signing key file: 0600, never overwritten, refused when unsafe or altered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sentinela.errors import ConfigurationError
from sentinela.sharing.errors import ReleaseVerificationError
from sentinela.sharing.keys import ReleasePublicKey, create_signing_key, load_signing_key


def test_create_load_and_public_key_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "release.key"
    key = create_signing_key(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    loaded = load_signing_key(path, strict=True)
    assert repr(loaded) == f"ReleaseSigningKey(key_id={key.key_id!r})"
    public = ReleasePublicKey.from_text(key.public.to_text())
    assert public.key_id == key.key_id
    assert public.verify(key.sign(b"message"), b"message")
    assert not public.verify(key.sign(b"message"), b"other")
    with pytest.raises(ConfigurationError, match="already exists"):
        create_signing_key(path)


def test_unsafe_or_damaged_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "release.key"
    create_signing_key(path)
    os.chmod(path, 0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        load_signing_key(path, strict=True)
    load_signing_key(path, strict=False)
    header, body = path.read_text().splitlines()
    path.write_text(f"{header}\n{body[:-4]}AAA=\n")
    with pytest.raises(ConfigurationError):
        load_signing_key(path, strict=False)
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_signing_key(tmp_path / "missing.key", strict=False)


@pytest.mark.parametrize("text", ["rsa:AAAA", "ed25519:not base64!", "ed25519:AAAA"])
def test_malformed_public_keys(text: str) -> None:
    with pytest.raises(ReleaseVerificationError):
        ReleasePublicKey.from_text(text)
