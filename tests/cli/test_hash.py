"""`sentinela hash FILE...`: the same hashes as ingest, as text or JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.hashing.hasher import hash_path
from tests.ingest.helpers import jpeg


def _files(tmp_path: Path) -> tuple[Path, Path]:
    photo = tmp_path / "photo.txt"  # a JPEG behind a text extension
    photo.write_bytes(jpeg(7, (120, 90), camera="Model Y"))
    text = tmp_path / "notes.txt"
    text.write_bytes(b"not an image\n")
    return photo, text


def test_text_output(tmp_path: Path) -> None:
    photo, text = _files(tmp_path)
    result = CliRunner().invoke(app, ["hash", str(photo), str(text)])
    assert result.exit_code == 0, result.output
    expected = hash_path(photo)
    lines = result.output.splitlines()
    assert lines[0] == str(photo)
    assert f"  md5      {hashlib.md5(photo.read_bytes()).hexdigest()}" in lines  # noqa: S324
    assert f"  sha1     {hashlib.sha1(photo.read_bytes()).hexdigest()}" in lines  # noqa: S324
    assert f"  sha256   {hashlib.sha256(photo.read_bytes()).hexdigest()}" in lines
    assert f"  pdq      {expected.pdq} (quality {expected.pdq_quality})" in lines
    assert "  type     image/jpeg, " in result.output and "120x90" in result.output
    assert "  warning  the extension does not match the content" in lines
    assert "  camera   TestCam Model Y, serial SN000042" in lines
    text_part = result.output.split(str(text))[1]
    assert "sha256" in text_part and "pdq" not in text_part


def test_json_output_and_a_missing_file(tmp_path: Path) -> None:
    photo, text = _files(tmp_path)
    missing = tmp_path / "gone.jpg"
    result = CliRunner().invoke(app, ["hash", "--json", str(photo), str(missing), str(text)])
    assert result.exit_code == 1
    out, _, err = result.output.partition("error: ")
    rows = json.loads(out)
    assert [r["file"] for r in rows] == [str(photo), str(missing), str(text)]
    assert rows[0] == {"file": str(photo), **hash_path(photo, want_thumbnail=False).to_dict()}
    assert rows[0]["pdq"] and rows[0]["metadata"]["serial_number"] == "SN000042"
    assert rows[1]["error_kind"] == "unreadable" and "sha256" not in rows[1]
    assert rows[2]["sha256"] == hashlib.sha256(b"not an image\n").hexdigest()
    assert rows[2]["pdq"] is None
    assert str(missing) in err
