"""`sentinela exhibit add` on bad input: one clear line, non-zero exit, nothing written.

Each case runs the real console script in a subprocess, as an examiner would. "Nothing
written" means no exhibit row and no audit event for the failed action.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.exhibits import Exhibit
from sentinela.services.context import open_context
from sentinela.settings import Settings
from tests.evidence.helpers import drop_file_access_privileges, make_unreadable

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"
SENTINELA = str(Path(sys.executable).with_name("sentinela"))


def _base_env(data: Path) -> dict[str, str]:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("SENTINELA_") and k != "COLUMNS"
    }
    return environ | {
        "SENTINELA_MODE": "development",
        "SENTINELA_DATA_DIR": str(data),
        "COLUMNS": "200",
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a case C1 holding EXH-001, built once through the real CLI."""
    data = tmp_path_factory.mktemp("template") / "data"
    environ = _base_env(data)
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "ex", "--role", "examiner"],
        ["--as", "ex", "case", "create", "C1", "--title", "T", "--unit", "U"],
        ["--as", "ex", "exhibit", "add", "C1", str(DATA / "EXH-001.dd"), "--label", "EXH-001"],
    ):
        done = subprocess.run(
            [SENTINELA, *args], env=environ, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    return data


@pytest.fixture
def env(template: Path, tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return _base_env(data)


def _counts(data: Path) -> tuple[int, int]:
    ctx = open_context(Settings(mode="development", data_dir=data))
    try:
        with ctx.transaction() as session:
            return (
                session.execute(select(func.count()).select_from(Exhibit)).scalar_one(),
                session.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
            )
    finally:
        ctx.close()


def _truncated(tmp: Path) -> list[str]:
    out = tmp / "truncated.E01"
    out.write_bytes((DATA / "EXH-001.E01").read_bytes()[:8000])
    return [str(out), "--label", "EXH-002"]


def _unreadable(tmp: Path) -> list[str]:
    out = tmp / "locked.dd"
    out.write_bytes((DATA / "EXH-001.dd").read_bytes())
    make_unreadable(out)
    return [str(out), "--label", "EXH-002"]


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "missing-path": (
        lambda tmp: [str(tmp / "nope.E01"), "--label", "EXH-002"],
        "does not exist",
    ),
    "unreadable-file": (_unreadable, "ermission denied"),
    "truncated-e01": (_truncated, "truncated E01"),
    "media-mismatch-e01": (
        lambda tmp: [str(DATA / "EXH-001-media-mismatch.E01"), "--label", "EXH-002"],
        "does not match the stored acquisition MD5",
    ),
    "duplicate-label": (
        lambda tmp: [str(DATA / "EXH-001.E01"), "--label", "EXH-001"],
        "already used",
    ),
    "malformed-date": (
        lambda tmp: [str(DATA / "EXH-001.E01"), "--label", "EXH-002", "--seized-at", "2026-13-45"],
        "malformed --seized-at",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_and_leaves_nothing(
    name: str, env: dict[str, str], tmp_path: Path
) -> None:
    make_args, expected = CASES[name]
    args = make_args(tmp_path)
    data = Path(env["SENTINELA_DATA_DIR"])
    before = _counts(data)
    done = subprocess.run(
        [SENTINELA, "--as", "ex", "exhibit", "add", "C1", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=drop_file_access_privileges if name == "unreadable-file" else None,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert expected in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    assert _counts(data) == before


def test_unreachable_database_is_one_line(env: dict[str, str]) -> None:
    env = env | {"SENTINELA_DATABASE_URL": "postgresql+psycopg://127.0.0.1:1/nowhere"}
    done = subprocess.run(
        [
            SENTINELA,
            "--as",
            "ex",
            "exhibit",
            "add",
            "C1",
            str(DATA / "EXH-001.E01"),
            "--label",
            "EXH-002",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach database"), done.stderr
    assert _counts(Path(env["SENTINELA_DATA_DIR"]))[0] == 1
