"""`sentinela export`, `sentinela feed` and `sentinela import-case` through the CLI."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sentinela.cli.main import app
from sentinela.services.context import ServiceContext, open_context
from sentinela.settings import Settings
from tests.cli.helpers import use_cli_settings
from tests.formats.helpers import DATA
from tests.services.exchange_helpers import classify, seed_exchange_case


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, list[int]]]:
    use_cli_settings(monkeypatch, tmp_path)
    runner = CliRunner()
    for args in (
        ["init"],
        ["user", "add", "admin", "--role", "admin"],
        ["--as", "admin", "user", "add", "alice", "--role", "examiner"],
        ["--as", "admin", "user", "add", "bob", "--role", "examiner"],
        ["--as", "admin", "user", "add", "vic", "--role", "victim_id_specialist"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    ctx: ServiceContext = open_context(
        Settings(mode="development", data_dir=tmp_path / "data"), "alice"
    )
    try:
        seeded = seed_exchange_case(ctx, items=2)
        classify(ctx, seeded.media[0], "1")
    finally:
        ctx.close()
    yield tmp_path / "data", seeded.media


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_export_case_refuses_a_busy_folder_and_content_without_authorisation(
    data: tuple[Path, list[int]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, output = _run("--as", "alice", "export", "case", "C-EX", str(out), "--json")
    assert code == 0, output
    assert json.loads(output)["records"] == 2
    code, output = _run("--as", "alice", "export", "case", "C-EX", str(out))
    assert code == 1 and "not empty" in output
    code, output = _run(
        "--as", "alice", "export", "case", "C-EX", str(out), "--force", "--format", "case_uco"
    )
    assert code == 0 and "case_uco" in output
    code, output = _run(
        "--as", "alice", "export", "case", "C-EX", str(tmp_path / "c"), "--with-content"
    )
    assert code == 1 and "authorisation" in output
    code, output = _run("--as", "alice", "export", "list", "--case", "C-EX", "--json")
    assert code == 0 and [e["format"] for e in json.loads(output)] == ["vics2_cases", "case_uco"]


def test_feed_icse_since_last_list_and_verify(data: tuple[Path, list[int]]) -> None:
    code, output = _run(
        "--as", "vic", "feed", "destination", "add", "icse", "--format", "icse_csv",
        "--scheme", "interpol_baseline", "--map", "project_vic_us:1=baseline",
        "--reviewed-by", "Head of VID",
    )  # fmt: skip
    assert code == 0, output
    code, output = _run("--as", "vic", "feed", "icse")
    assert code == 1 and "--since-last" in output
    code, output = _run("--as", "vic", "feed", "icse", "--since-last")
    assert code == 0 and "1 new" in output
    code, output = _run("--as", "vic", "feed", "icse", "--since-last", "--json")
    assert code == 0 and json.loads(output)["new"] == 0
    code, output = _run("--as", "vic", "feed", "list", "--json")
    assert [f["sequence"] for f in json.loads(output)] == [1, 2]
    code, output = _run("--as", "vic", "feed", "verify")
    assert code == 0 and "chain intact" in output
    package = Path(
        json.loads(_run("--as", "vic", "feed", "list", "icse", "--json")[1])[0]["package_dir"]
    )
    (package / "manifest.json").write_text("{}")
    code, output = _run("--as", "vic", "feed", "verify", "icse")
    assert code == 3 and "manifest differs" in output
    code, output = _run("--as", "vic", "feed", "icse", "--since-last")
    assert code == 3 and "damaged" in output
    code, output = _run("--as", "vic", "feed", "repair", "icse", "1", "--note", "restored")
    assert code == 0, output
    assert _run("--as", "vic", "feed", "verify")[0] == 0


def test_import_case(data: tuple[Path, list[int]]) -> None:
    code, output = _run(
        "--as", "vic", "import-case", str(DATA / "vics2.0_US_cases_synthetic.json"),
        "--agency", "Partner (synthetic)", "--legal-basis", "MLA 1",
    )  # fmt: skip
    assert code == 0, output
    assert "SYNTHETIC-CASE-0001" in output and "Partner (synthetic)" in output


@pytest.mark.slow
def test_case_uco_export_of_the_demo_case_passes_case_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_validate = pytest.importorskip("case_utils.case_validate")
    use_cli_settings(monkeypatch, tmp_path)
    evidence = Path(__file__).resolve().parents[1] / "data" / "evidence"
    code, output = _run("demo", "--testdata", str(evidence), "--images", "8", "--no-progress")
    assert code == 0, output
    code, output = _run(
        "--as", "demo-examiner", "export", "case", "DEMO-0001", str(tmp_path / "uco"),
        "--format", "case_uco", "--json",
    )  # fmt: skip
    assert code == 0, output
    view = json.loads(output)
    assert view["records"] > 8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own ConjunctiveGraph
        result = case_validate.validate(view["path"], case_version="case-1.5.0")
    assert result.conforms, result.text[:2000]
