"""Read-only streams and the byte cap."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sentinela.errors import DecompressionBombError
from sentinela.evidence.errors import UnreadableEvidenceError
from sentinela.evidence.streams import guarded, open_readonly, readonly_bytes


def test_open_readonly_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"data")
    with open_readonly(path) as stream:
        assert not stream.writable()
        with pytest.raises(io.UnsupportedOperation):
            stream.write(b"x")
        assert stream.read() == b"data"


def test_open_readonly_refuses_symlink_when_asked(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"data")
    (tmp_path / "l").symlink_to(tmp_path / "f")
    with pytest.raises(UnreadableEvidenceError, match="cannot open"):
        open_readonly(tmp_path / "l", follow_symlinks=False)
    with open_readonly(tmp_path / "l") as stream:
        assert stream.read() == b"data"


def test_guarded_stops_past_the_limit() -> None:
    stream = guarded(io.BytesIO(b"x" * 100), name="member", limit=10)
    with pytest.raises(DecompressionBombError, match="member"):
        stream.read()


def test_guarded_exactly_at_the_limit() -> None:
    assert guarded(io.BytesIO(b"x" * 10), name="m", limit=10).read() == b"x" * 10


def test_readonly_bytes_seeks_but_does_not_write() -> None:
    stream = readonly_bytes(b"abcdef")
    stream.seek(3)
    assert stream.read() == b"def"
    assert not stream.writable()
