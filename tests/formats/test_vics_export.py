"""The VICS writers: canonical context strings, value types per version, refusals."""

from __future__ import annotations

import json

import pytest

from sentinela.formats.export_base import ExportOptions, ExportRefusedError
from sentinela.formats.records import Category
from sentinela.formats.vics1_export import Vics1Exporter
from sentinela.formats.vics2_cases_export import Vics2CasesExporter
from sentinela.formats.vics2_media_export import Vics2MediaExporter
from sentinela.formats.vics_writer import content_relpath

from .export_helpers import case_document, empty_record, hash_set_document, png_record, render
from .helpers import PNG_MD5, V2_CASES, V2_MEDIA


def test_v2_hash_set_is_canonical() -> None:
    doc = json.loads(render(Vics2MediaExporter(), hash_set_document([png_record(occurrences=())])))
    assert doc["@odata.context"] == V2_MEDIA.format(region="US")
    (media,) = doc["value"]
    assert media["MD5"] == PNG_MD5.upper() and media["MediaSize"] == 10599
    assert media["Category"] == 1 and media["VictimIdentified"] == "true"
    assert {a["HashName"] for a in media["AlternativeHashes"]} == {"SHA256", "PDQ"}
    assert "DistributedFlag" not in media and "IsDistributed" not in media  # unknown: omitted


def test_v2_case_export_lists_the_case_before_its_media() -> None:
    raw = render(Vics2CasesExporter(), case_document())
    doc = json.loads(raw)
    assert doc["@odata.context"] == V2_CASES.format(region="US")
    (case,) = doc["value"]
    assert list(case)[-1] == "Media" and case["TotalMediaFiles"] == 3
    assert raw.index(b'"TotalMediaFiles"') < raw.index(b'"Media"')
    assert case["Media"][0]["MediaFiles"][0]["SourceID"] == "EXH-001"


def test_v1_uses_odata_metadata_and_string_sizes() -> None:
    options = ExportOptions(vics_version="1.3")
    doc = json.loads(
        render(Vics1Exporter(), hash_set_document([png_record(occurrences=())]), options)
    )
    assert doc["odata.metadata"] == "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media"
    (media,) = doc["value"]
    assert media["MediaSize"] == "10599" and media["odata.id"] == f'Media("{PNG_MD5}")'


def test_a_category_outside_the_document_scheme_is_refused() -> None:
    document = hash_set_document([empty_record(occurrences=(), category=Category("uk", "A"))])
    with pytest.raises(ExportRefusedError, match="uk:A"):
        render(Vics2MediaExporter(), document)


def test_content_path_uses_windows_separators_and_the_mime_extension() -> None:
    assert content_relpath(png_record()) == f"Files\\B7\\C7\\{PNG_MD5.upper()}.png"
    assert content_relpath(empty_record(mime=None)).endswith(".bin")
