"""Contract every exporter must meet: what it writes, our importer reads back as the same data.

Subclass :class:`ExporterContract` for each exporter: give it sample documents and the
documents it must refuse. The base class checks registration, that the named reader reads
the output back with every field the exporter claims to carry unchanged, that the output is
byte-for-byte reproducible, and that refused documents raise a typed error before any byte
is written.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
from pathlib import Path
from typing import ClassVar

import pytest

import sentinela.formats
from sentinela.formats import build_format_registry, detect_format
from sentinela.formats.case_uco_export import CaseUcoExporter
from sentinela.formats.case_uco_reader import read_case_uco
from sentinela.formats.export_base import Exporter, ExportOptions, ExportRefusedError
from sentinela.formats.export_records import CaseDocument, ExportDocument
from sentinela.formats.exporters import build_exporter_registry
from sentinela.formats.icse_csv_export import IcseCsvExporter
from sentinela.formats.records import Category, HashRecord
from sentinela.formats.vics import VicsImporter
from sentinela.formats.vics1_export import Vics1Exporter
from sentinela.formats.vics2_cases_export import Vics2CasesExporter
from sentinela.formats.vics2_media_export import Vics2MediaExporter
from tests.formats.export_helpers import (
    carried,
    case_document,
    empty_record,
    hash_set_document,
    png_record,
    render,
    video_record,
    write,
)

EXPORT_SUPPORT_MODULES = frozenset(
    {
        "export_base",
        "export_records",
        "exporters",
        "vics_writer",
        "case_uco_nodes",
        "case_uco_reader",
    }
)
EXPORTER_MODULES = frozenset(
    {
        "vics2_cases_export",
        "vics2_media_export",
        "vics1_export",
        "case_uco_export",
        "icse_csv_export",
    }
)
#: Every module of the write side; ``test_formats.py`` skips them in its importer check.
EXPORT_MODULES = EXPORT_SUPPORT_MODULES | EXPORTER_MODULES


def _hash_set_records() -> list[HashRecord]:
    return [png_record(occurrences=()), empty_record(occurrences=())]


class ExporterContract:
    """Reusable checks; subclasses set ``exporter`` and override the document builders."""

    exporter: ClassVar[Exporter]
    options: ClassVar[ExportOptions] = ExportOptions()

    def documents(self) -> list[ExportDocument]:
        """Documents this exporter must write and read back unchanged."""
        raise NotImplementedError

    def refused(self) -> list[ExportDocument]:
        """Documents this exporter must refuse with ExportRefusedError."""
        raise NotImplementedError

    def read_back(self, path: Path) -> list[HashRecord]:
        """Read ``path`` with the exporter's reader."""
        if self.exporter.reader == "case_uco":
            return list(read_case_uco(path).records)  # type: ignore[arg-type]
        importer = build_format_registry().get(self.exporter.reader)
        assert detect_format(path).name == self.exporter.reader
        return [item for item in importer.iter_records(path) if isinstance(item, HashRecord)]  # type: ignore[attr-defined]

    def test_is_registered_under_its_name(self) -> None:
        registered = build_exporter_registry().get(self.exporter.name)
        assert type(registered) is type(self.exporter)
        assert self.exporter.title and self.exporter.carries and self.exporter.hash_types
        assert self.exporter.entities <= {"case", "hash_set"}

    def test_round_trip_keeps_every_carried_field(self, tmp_path: Path) -> None:
        for number, document in enumerate(self.documents()):
            path = write(
                tmp_path / f"export{number}{self.exporter.suffix}",
                self.exporter,
                document,
                self.options,
            )
            records = list(document.records)
            back = self.read_back(path)
            assert [carried(r, self.exporter) for r in back] == [
                carried(r, self.exporter) for r in records
            ]

    def test_output_is_reproducible(self) -> None:
        for document in self.documents():
            assert render(self.exporter, document, self.options) == render(
                self.exporter, document, self.options
            )

    def test_refuses_what_it_cannot_express(self) -> None:
        cases = self.refused()
        assert cases
        for document in cases:
            with pytest.raises(ExportRefusedError):
                self.exporter.check(document, self.options)
                self.exporter.write(document, io.BytesIO(), self.options)


class TestVics2CasesContract(ExporterContract):
    exporter = Vics2CasesExporter()

    def documents(self) -> list[ExportDocument]:
        return [
            case_document(),
            case_document(records=[]),
            case_document(records=[png_record(), video_record()]),
        ]

    def refused(self) -> list[ExportDocument]:
        return [
            hash_set_document(_hash_set_records()),
            case_document(scheme="uk"),
            case_document(records=[png_record(category=Category("uk", "A"))]),
        ]

    def test_case_metadata_round_trips(self, tmp_path: Path) -> None:
        path = write(tmp_path / "case.json", self.exporter, case_document())
        with VicsImporter().open(path) as stream:
            meta = stream.meta
        assert (meta.version, meta.entity, meta.region, meta.scheme) == (
            "2.0",
            "Cases",
            "US",
            "project_vic_us",
        )
        case = meta.case
        assert case is not None
        assert (case.case_number, case.case_id, case.total_media_files) == (
            "SYN-0001",
            "d70397a5-316f-5790-adc9-8dde0abe38ac",
            3,
        )
        assert case.contact_organization == "National Cybercrime Unit (synthetic)"
        assert case.source_application_name == "Sentinela"


class TestVics2MediaContract(ExporterContract):
    exporter = Vics2MediaExporter()

    def documents(self) -> list[ExportDocument]:
        return [
            hash_set_document(_hash_set_records()),
            hash_set_document(
                [empty_record(occurrences=(), category=Category("uk_caid", "7"))], "uk_caid"
            ),
            hash_set_document([]),
            hash_set_document([video_record(occurrences=())]),
        ]

    def refused(self) -> list[ExportDocument]:
        return [
            case_document(),
            hash_set_document(_hash_set_records(), "industry"),
            hash_set_document([png_record(digests={"sha256": png_record().digests["sha256"]})]),
        ]


class TestVics1Contract(ExporterContract):
    exporter = Vics1Exporter()
    options = ExportOptions(vics_version="1.2")

    def documents(self) -> list[ExportDocument]:
        nist = empty_record(occurrences=(), category=Category("nist_caid", "8"))
        video = video_record(occurrences=())
        return [
            hash_set_document([*_hash_set_records(), nist, video]),
            case_document(),
            case_document(records=[video_record()]),
        ]

    def refused(self) -> list[ExportDocument]:
        return [
            hash_set_document(_hash_set_records(), "uk_caid"),
            case_document(scheme="vics_custom"),
        ]

    def test_unknown_version_is_refused(self) -> None:
        with pytest.raises(ExportRefusedError, match=r"1\.9"):
            self.exporter.check(case_document(), ExportOptions(vics_version="1.9"))


class TestCaseUcoContract(ExporterContract):
    exporter = CaseUcoExporter()

    def documents(self) -> list[ExportDocument]:
        return [case_document(), case_document(records=[])]

    def refused(self) -> list[ExportDocument]:
        return [hash_set_document(_hash_set_records())]

    def test_exhibits_custody_and_case_round_trip(self, tmp_path: Path) -> None:
        document = case_document()
        back = read_case_uco(write(tmp_path / "case.jsonld", self.exporter, document))
        assert isinstance(back, CaseDocument)
        assert back.exhibits == document.exhibits
        assert (back.case, back.producer.application, back.created_at) == (
            document.case,
            "Sentinela",
            document.created_at,
        )


class TestIcseCsvContract(ExporterContract):
    exporter = IcseCsvExporter()

    def documents(self) -> list[ExportDocument]:
        baseline = png_record(
            occurrences=(),
            category=Category("interpol_baseline", "baseline"),
            baseline=True,
            media_type="image",
            distributed=True,
        )
        unknown = empty_record(occurrences=(), media_type="video")
        not_baseline = empty_record(
            occurrences=(), category=Category("interpol_baseline", "not_baseline"), baseline=False
        )
        return [hash_set_document([baseline, unknown, not_baseline], "interpol_baseline")]

    def refused(self) -> list[ExportDocument]:
        return [
            hash_set_document(_hash_set_records()),
            case_document(),
            hash_set_document(
                [png_record(occurrences=(), digests={"sha256": "0" * 64})], "interpol_baseline"
            ),
        ]


def test_every_exporter_module_is_registered() -> None:
    registry = build_exporter_registry()
    found: dict[str, type[Exporter]] = {}
    modules: set[str] = set()
    for info in pkgutil.iter_modules(sentinela.formats.__path__):
        module = importlib.import_module(f"sentinela.formats.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Exporter)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found[cls.name] = cls
                modules.add(info.name)
    assert sorted(found) == registry.names()
    assert modules == EXPORTER_MODULES
    for name, cls in found.items():
        assert type(registry.get(name)) is cls


def test_every_exporter_has_a_contract_test_and_a_reader() -> None:
    covered = {cls.exporter.name for cls in ExporterContract.__subclasses__()}
    assert covered == set(build_exporter_registry().names())
    importers = build_format_registry()
    for exporter in build_exporter_registry():
        assert exporter.reader in importers or exporter.reader == "case_uco"


def test_vics_exporters_write_the_vpdq_fingerprint() -> None:
    """The fingerprint is a ``vPDQ`` alternative hash; other exporters leave it out."""
    record = video_record(occurrences=())
    body = render(Vics2MediaExporter(), hash_set_document([record]), ExportOptions())
    alternatives = json.loads(body)["value"][0]["AlternativeHashes"]
    assert {"HashName": "vPDQ", "HashValue": record.vpdq} in alternatives
    for exporter in (CaseUcoExporter(), IcseCsvExporter()):
        assert "vpdq" not in exporter.carries and "vpdq" not in exporter.hash_types
