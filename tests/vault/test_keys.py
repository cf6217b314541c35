from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from sentinela.errors import ConfigurationError, VaultError
from sentinela.vault.keys import MasterKey, create_master_key, load_master_key


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_0600_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    key = create_master_key(path)
    assert _mode(path) == 0o600
    loaded = load_master_key(path, strict=True)
    assert loaded.key_id == key.key_id
    data_key = os.urandom(32)
    assert loaded.unwrap(key.wrap(data_key)) == data_key
    assert [p.name for p in tmp_path.iterdir()] == ["master.key"]  # no temp file left


def test_create_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        create_master_key(tmp_path / "master.key")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "master.key") == 0o600


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_master_key(path)
    before = path.read_bytes()
    with pytest.raises(ConfigurationError, match="refusing to overwrite"):
        create_master_key(path)
    assert path.read_bytes() == before


def test_create_refuses_a_dangling_symlink(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.symlink_to(tmp_path / "elsewhere.key")
    with pytest.raises(ConfigurationError, match="already exists"):
        create_master_key(path)
    assert not (tmp_path / "elsewhere.key").exists()


def test_file_format_has_versioned_header_with_key_id(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    key = create_master_key(path)
    header, body = path.read_text().splitlines()
    assert header == f"sentinela-vault-master-key v1 id={key.key_id}"
    assert len(base64.b64decode(body)) == 32


def test_strict_load_refuses_group_or_world_readable(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_master_key(path)
    path.chmod(0o644)
    with pytest.raises(ConfigurationError) as info:
        load_master_key(path, strict=True)
    message = str(info.value)
    assert "\n" not in message
    assert "0644" in message and "chmod 600" in message
    assert load_master_key(path, strict=False).key_id  # development mode accepts it


def test_strict_load_refuses_another_owner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "master.key"
    create_master_key(path)
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)
    with pytest.raises(ConfigurationError, match="not by this user"):
        load_master_key(path, strict=True)
    assert load_master_key(path, strict=False)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_master_key(tmp_path / "absent.key", strict=False)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "not a Sentinela key file"),
        (b"\xff\xfe", "not a Sentinela key file"),
        (b"something else v1 id=00\nAAAA\n", "not a Sentinela key file"),
        (b"sentinela-vault-master-key v9 id=00\nAAAA\n", "format v9"),
        (b"sentinela-vault-master-key v1 id=00\n!!!!\n", "base64"),
        (b"sentinela-vault-master-key v1 id=00\nAAAA\n", "not 32 bytes"),
        (b"x" * 5000, "not a Sentinela key file"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "master.key"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match=match):
        load_master_key(path, strict=True)


def test_key_id_mismatch_is_reported_as_corruption(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_master_key(path)
    header, body = path.read_text().splitlines()
    path.write_text(f"{header[:-1]}{'0' if header[-1] != '0' else '1'}\n{body}\n")
    with pytest.raises(ConfigurationError, match="corrupt"):
        load_master_key(path, strict=True)


def test_directory_is_not_a_key_file(tmp_path: Path) -> None:
    (tmp_path / "dir.key").mkdir(mode=0o700)
    with pytest.raises(ConfigurationError):
        load_master_key(tmp_path / "dir.key", strict=False)


def test_key_id_is_16_hex_and_repr_hides_the_key() -> None:
    raw = os.urandom(32)
    key = MasterKey(raw)
    assert len(key.key_id) == 16 and int(key.key_id, 16) >= 0
    assert key.key_id_bytes == bytes.fromhex(key.key_id)
    assert raw.hex() not in repr(key) and str(raw) not in repr(key)
    assert MasterKey(raw).key_id == key.key_id


def test_wrong_key_length_refused() -> None:
    with pytest.raises(ConfigurationError):
        MasterKey(b"short")


def test_unwrap_under_another_key_fails() -> None:
    a, b = MasterKey.generate(), MasterKey.generate()
    wrapped = a.wrap(os.urandom(32))
    assert len(wrapped) == 40
    with pytest.raises(VaultError, match=b.key_id):
        b.unwrap(wrapped)
    with pytest.raises(VaultError):
        a.unwrap(wrapped[:-1])
    with pytest.raises(VaultError):
        a.wrap(b"too short")
