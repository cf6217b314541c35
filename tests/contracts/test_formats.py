"""Contract every importer in the formats registry must meet.

Subclass :class:`ImporterContract` for each importer: give it the importer, its fixtures in
``tests/data/formats`` and a builder of malformed files. The base class checks that it sniffs
its own fixtures (and no one else's), yields valid, normalised records, and reports malformed
input as a typed :class:`FormatError` naming the file and a position.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import shutil
import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest

import sentinela.formats
from sentinela.errors import FormatError
from sentinela.formats import build_format_registry, detect_format
from sentinela.formats.base import Importer, ImportOptions, read_head
from sentinela.formats.icse_csv import IcseCsvImporter
from sentinela.formats.ncmec_xml import NcmecXmlImporter
from sentinela.formats.nsrl_rds2 import NsrlRds2Importer
from sentinela.formats.nsrl_rdsv3 import NsrlRdsV3Importer
from sentinela.formats.plain_list import PlainListImporter
from sentinela.formats.records import Deletion, HashRecord, normalise_digest
from sentinela.formats.vics import VicsImporter
from sentinela.hashsets.schemes import default_catalogue
from tests.contracts.test_exporters import EXPORT_MODULES
from tests.formats.helpers import DATA, PNG_PDQ, media, write_vics

# The write side (exporters and their support modules) is checked in test_exporters.py.
SUPPORT_MODULES = {"base", "fields", "records", "vics_header", "vics_media"} | EXPORT_MODULES

FIXTURES: dict[str, tuple[str, ...]] = {
    "vics": (
        "vics2.0_Default_media_hashset_synthetic.json",
        "vics2.0_US_cases_synthetic.json",
        "vics1.3_cases_bom_synthetic.json",
        "nsrl_caid_ART_vics1.2.json",
        "nsrl_caid_BMP_vics1.2_excerpt5.json",
    ),
    "nsrl_rdsv3": ("nsrl_rdsv3_minimal_synthetic.db",),
    "nsrl_rds2": ("NSRLFile_rds2_synthetic.txt",),
    "ncmec_xml": ("ncmec_hashsharing_v2_entries_fixture.xml",),
    "icse_csv": ("icse_hash_export_synthetic.csv",),
    "plain_list": ("plain_list_md5sum.txt", "plain_list_sha256sum.txt", "plain_list_pdq.txt"),
}


class ImporterContract:
    """Reusable checks; subclasses set ``importer`` and override :meth:`malformed`."""

    importer: ClassVar[Importer]
    options: ClassVar[ImportOptions | None] = None

    def malformed(self, tmp_path: Path) -> list[Path]:
        """Files this importer must refuse with a positioned FormatError."""
        raise NotImplementedError

    @property
    def fixtures(self) -> list[Path]:
        return [DATA / name for name in FIXTURES[self.importer.name]]

    def test_is_registered_under_its_name(self) -> None:
        registered = build_format_registry().get(self.importer.name)
        assert type(registered) is type(self.importer)
        assert self.importer.title

    def test_sniffs_its_own_fixtures(self) -> None:
        for path in self.fixtures:
            assert self.importer.sniff(read_head(path), path.name), path.name
            assert detect_format(path).name == self.importer.name, path.name

    def test_does_not_sniff_other_formats(self) -> None:
        for name, files in FIXTURES.items():
            if name == self.importer.name:
                continue
            for file in files:
                assert not self.importer.sniff(read_head(DATA / file), file), file

    def test_records_are_valid_and_normalised(self) -> None:
        catalogue = default_catalogue()
        for path in self.fixtures:
            with self.importer.open(path, self.options) as stream:
                assert stream.meta.format == self.importer.name
                assert stream.meta.path == str(path)
                items = list(stream)
            assert items, path.name
            positions = [item.position for item in items]
            assert all(positions) and len(set(positions)) == len(positions)
            for item in items:
                assert isinstance(item, HashRecord | Deletion)
                for hash_type, digest in item.digests.items():
                    assert normalise_digest(hash_type, digest) == digest
                if isinstance(item, HashRecord) and item.category is not None:
                    catalogue.validate(item.category)

    def test_malformed_input_gives_a_positioned_format_error(self, tmp_path: Path) -> None:
        cases = self.malformed(tmp_path)
        assert cases
        for path in cases:
            with pytest.raises(FormatError) as caught:
                list(self.importer.iter_records(path, self.options))
            assert caught.value.path == str(path), path.name
            assert caught.value.position, f"{path.name}: {caught.value}"
            assert "\n" not in str(caught.value)

    def test_stopping_early_closes_cleanly(self) -> None:
        stream = self.importer.open(self.fixtures[0], self.options)
        next(iter(stream))
        stream.close()


class TestVicsContract(ImporterContract):
    importer = VicsImporter()

    def malformed(self, tmp_path: Path) -> list[Path]:
        truncated = tmp_path / "truncated.json"
        shutil.copyfile(DATA / "vics2.0_truncated.json", truncated)
        unknown = tmp_path / "context.json"
        unknown.write_text(json.dumps({"@odata.context": "http://example.org/#Media", "value": []}))
        return [
            truncated,
            unknown,
            write_vics(tmp_path / "category.json", [media(Category="abc")]),
            write_vics(tmp_path / "md5.json", [media(MD5=1234)]),
            write_vics(tmp_path / "hex.json", [media(SHA1="q" * 40)]),
            write_vics(tmp_path / "pdq.json", [media(PDQ=PNG_PDQ[:60])]),
        ]


class TestNsrlRdsV3Contract(ImporterContract):
    importer = NsrlRdsV3Importer()

    def malformed(self, tmp_path: Path) -> list[Path]:
        path = tmp_path / "no_version.db"
        shutil.copyfile(DATA / "nsrl_rdsv3_minimal_synthetic.db", path)
        with sqlite3.connect(path) as connection:
            connection.execute("DROP TABLE VERSION")
        connection.close()
        garbage = tmp_path / "garbage.db"
        garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 100)
        return [path, garbage]


class TestNsrlRds2Contract(ImporterContract):
    importer = NsrlRds2Importer()

    def malformed(self, tmp_path: Path) -> list[Path]:
        header = (DATA / "NSRLFile_rds2_synthetic.txt").read_text().splitlines()[0]
        path = tmp_path / "NSRLFile.txt"
        path.write_text(
            f'{header}\r\n"NOTHEX","D41D8CD98F00B204E9800998ECF8427E","0","a",0,1,"1",""\r\n'
        )
        return [path]


class TestNcmecXmlContract(ImporterContract):
    importer = NcmecXmlImporter()

    def malformed(self, tmp_path: Path) -> list[Path]:
        bomb = tmp_path / "bomb.xml"
        shutil.copyfile(DATA / "ncmec_billion_laughs.xml", bomb)
        broken = tmp_path / "broken.xml"
        broken.write_text("<queryResult><images><image></images></queryResult>")
        return [bomb, broken]


class TestIcseCsvContract(ImporterContract):
    importer = IcseCsvImporter()

    def malformed(self, tmp_path: Path) -> list[Path]:
        lines = (DATA / "icse_hash_export_synthetic.csv").read_text().splitlines()
        path = tmp_path / "icse.csv"
        path.write_text(f"{lines[0]}\n{lines[1].replace(';No', ';Perhaps')}\n")
        return [path]


class TestPlainListContract(ImporterContract):
    importer = PlainListImporter()

    def malformed(self, tmp_path: Path) -> list[Path]:
        short_pdq = tmp_path / "short.pdq"
        short_pdq.write_text(f"{PNG_PDQ[:-1]},100\n")
        non_hex = tmp_path / "nonhex.md5"
        non_hex.write_text("x" * 32 + "  a.png\n")
        return [short_pdq, non_hex]


def test_every_module_in_formats_is_registered() -> None:
    registry = build_format_registry()
    found: dict[str, type[Importer]] = {}
    for info in pkgutil.iter_modules(sentinela.formats.__path__):
        module = importlib.import_module(f"sentinela.formats.{info.name}")
        classes = [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Importer)
            and cls.__module__ == module.__name__
            and not inspect.isabstract(cls)
        ]
        if not classes:
            assert info.name in SUPPORT_MODULES, f"formats/{info.name}.py defines no importer"
        for cls in classes:
            found[cls.name] = cls
    assert sorted(found) == registry.names()
    for name, cls in found.items():
        assert type(registry.get(name)) is cls


def test_every_importer_has_a_contract_test() -> None:
    covered = {cls.importer.name for cls in ImporterContract.__subclasses__()}
    assert covered == set(build_format_registry().names()) == set(FIXTURES)
