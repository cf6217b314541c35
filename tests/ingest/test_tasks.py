"""Worker tasks: hash, store encrypted, report failures as values."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from sentinela.errors import ConfigurationError, VaultError
from sentinela.ingest.tasks import WorkerConfig, process_stream, process_task
from sentinela.vault.keys import create_master_key, load_master_key
from sentinela.vault.store import Vault
from tests.ingest.helpers import jpeg, sha256


@pytest.fixture
def cfg(tmp_path: Path) -> dict[str, Any]:
    create_master_key(tmp_path / "master.key")
    return WorkerConfig(str(tmp_path / "vault"), str(tmp_path / "master.key"), True).as_dict()


def _vault(cfg: dict[str, Any]) -> Vault:
    return Vault(Path(cfg["vault_root"]), load_master_key(Path(cfg["key_file"]), strict=True))


def test_bytes_task_hashes_and_stores_encrypted(cfg: dict[str, Any]) -> None:
    data = jpeg(1)
    result = process_task({"key": "k", "path": "a.jpg", "file": None, "data": data}, cfg)
    assert result["ok"] and result["key"] == "k" and result["stored"] and result["thumbnail"]
    assert result["hashes"]["sha256"] == sha256(data) and result["hashes"]["pdq"]
    vault = _vault(cfg)
    assert vault.get(sha256(data)) == data
    assert vault.exists(sha256(data), kind="thumbnail")
    again = process_task({"key": "k2", "path": "b.jpg", "file": None, "data": data}, cfg)
    assert again["hashes"] == {**result["hashes"], "name": "b.jpg"}


def test_file_task_reads_the_file(cfg: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"plain text")
    result = process_task({"key": "k", "path": "notes.txt", "file": str(target), "data": None}, cfg)
    assert result["ok"] and not result["thumbnail"]
    assert _vault(cfg).get(sha256(b"plain text")) == b"plain text"


def test_large_file_is_streamed(
    cfg: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sentinela.ingest.tasks.IN_MEMORY_BYTES", 10)
    target = tmp_path / "big.bin"
    target.write_bytes(bytes(range(256)) * 100)
    result = process_task({"key": "k", "path": "big.bin", "file": str(target), "data": None}, cfg)
    assert result["ok"]
    assert _vault(cfg).get(sha256(target.read_bytes())) == target.read_bytes()


def test_missing_file_and_symlink_are_failures(cfg: dict[str, Any], tmp_path: Path) -> None:
    missing = process_task(
        {"key": "k", "path": "x", "file": str(tmp_path / "x"), "data": None}, cfg
    )
    assert missing == {"key": "k", "ok": False, "code": "unreadable", "message": missing["message"]}
    (tmp_path / "link").symlink_to(tmp_path / "master.key")
    linked = process_task(
        {"key": "k", "path": "l", "file": str(tmp_path / "link"), "data": None}, cfg
    )
    assert linked["ok"] is False and linked["code"] == "unreadable"


def test_unexpected_errors_are_recorded_not_raised(cfg: dict[str, Any]) -> None:
    def broken() -> io.BytesIO:
        raise ValueError("library bug\nsecond line")

    result = process_stream(broken, "k", "p", cfg)
    assert result == {
        "key": "k",
        "ok": False,
        "code": "processing_failed",
        "message": "ValueError: library bug",
    }


def test_vault_and_key_problems_stop_the_run(cfg: dict[str, Any], tmp_path: Path) -> None:
    task = {"key": "k", "path": "a", "file": None, "data": b"abc"}
    with pytest.raises(ConfigurationError):
        process_task(task, {**cfg, "key_file": str(tmp_path / "nokey")})
    (tmp_path / "blocked").write_text("a file where the vault folder should be")
    with pytest.raises((VaultError, OSError)):
        process_task(task, {**cfg, "vault_root": str(tmp_path / "blocked")})
