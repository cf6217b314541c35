from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import DuplicateNameError, FormatError, UnknownFormatError
from sentinela.formats import build_format_registry, detect_format, get_importer, importers
from sentinela.formats.vics import VicsImporter

from .helpers import DATA

EXPECTED = {
    "vics2.0_Default_media_hashset_synthetic.json": "vics",
    "vics2.0_US_cases_synthetic.json": "vics",
    "vics1.3_cases_bom_synthetic.json": "vics",
    "nsrl_caid_ART_vics1.2.json": "vics",
    "nsrl_caid_BMP_vics1.2_excerpt5.json": "vics",
    "nsrl_rdsv3_minimal_synthetic.db": "nsrl_rdsv3",
    "NSRLFile_rds2_synthetic.txt": "nsrl_rds2",
    "ncmec_hashsharing_v2_entries_fixture.xml": "ncmec_xml",
    "icse_hash_export_synthetic.csv": "icse_csv",
    "plain_list_md5sum.txt": "plain_list",
    "plain_list_sha256sum.txt": "plain_list",
    "plain_list_pdq.txt": "plain_list",
}


def test_registry_names() -> None:
    registry = build_format_registry()
    assert registry.names() == [
        "icse_csv",
        "ncmec_xml",
        "nsrl_rds2",
        "nsrl_rdsv3",
        "plain_list",
        "vics",
    ]
    assert [imp.name for imp in importers(registry)] == registry.names()
    with pytest.raises(DuplicateNameError):
        registry.register(VicsImporter())


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_detect_each_fixture_exactly_once(name: str, expected: str) -> None:
    assert detect_format(DATA / name).name == expected


@pytest.mark.parametrize("name", ["nsrl_rdsv3_minimal.schema.sql", "vics2.0_truncated.json"])
def test_detect_by_name_skips_sniffing(name: str) -> None:
    assert detect_format(DATA / name, name="plain_list").name == "plain_list"


def test_unknown_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(UnknownFormatError, match="no known format") as caught:
        detect_format(path)
    assert caught.value.path == str(path)


def test_unknown_name() -> None:
    with pytest.raises(UnknownFormatError, match="unknown format 'csv'"):
        get_importer(build_format_registry(), "csv")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read file"):
        detect_format(tmp_path / "absent.json")
