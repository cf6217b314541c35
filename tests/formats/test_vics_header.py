from __future__ import annotations

import io
from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.vics_header import (
    VicsContext,
    first_line,
    parse_context,
    read_header,
    scheme_for_code,
)

from .helpers import V2_CASES, V2_MEDIA

V1 = "http://github.com/ICMEC/ProjectVic/DataModels/{version}.xml#{entity}"


@pytest.mark.parametrize(
    ("url", "version", "entity", "region", "scheme"),
    [
        (V2_MEDIA.format(region="Default"), "2.0", "Media", "Default", "project_vic_us"),
        (V2_CASES.format(region="US"), "2.0", "Cases", "US", "project_vic_us"),
        (V2_CASES.format(region="UK"), "2.0", "Cases", "UK", "uk_caid"),
        (V2_MEDIA.format(region="CUSTOM"), "2.0", "Media", "CUSTOM", "vics_custom"),
        (V2_MEDIA.format(region="us"), "2.0", "Media", "US", "project_vic_us"),
        (V1.format(version="1.1", entity="Cases"), "1.1", "Cases", None, "project_vic_us"),
        (V1.format(version="1.2", entity="Media"), "1.2", "Media", None, "project_vic_us"),
        (V1.format(version="1.3", entity="Media"), "1.3", "Media", None, "project_vic_us"),
    ],
)
def test_parse_context(
    url: str, version: str, entity: str, region: str | None, scheme: str
) -> None:
    context = parse_context(url)
    assert context == VicsContext(url, version, entity, region, scheme)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://example.org/$metadata#Media",
        V2_MEDIA.format(region="FR"),
        V2_MEDIA.format(region="US").replace("#Media", "#Users"),
        "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/3.0.xml/US/$metadata#Media",
    ],
)
def test_parse_context_refuses_unknown(url: str) -> None:
    assert parse_context(url) is None


def test_code_8_is_nist_caid_only_in_1x() -> None:
    v1 = parse_context(V1.format(version="1.2", entity="Media"))
    v2 = parse_context(V2_MEDIA.format(region="US"))
    assert v1 is not None and v2 is not None
    assert scheme_for_code(v1, "8") == "nist_caid"
    assert scheme_for_code(v1, "1") == "project_vic_us"
    assert scheme_for_code(v2, "8") == "project_vic_us"


def _header(text: str) -> tuple[VicsContext, tuple[object, ...]]:
    return read_header(io.BytesIO(text.encode()), Path("mem.json"))


def test_header_of_a_hash_set_stops_at_the_context() -> None:
    # Everything after the context is never read, so even garbage there is not seen.
    text = '{"@odata.context": "' + V2_MEDIA.format(region="US") + '", "value": [ GARBAGE'
    context, cases = _header(text)
    assert context.entity == "Media" and cases == ()


def test_header_finds_a_context_after_the_records() -> None:
    text = (
        '{"value": [{"MD5": "x", "Nested": {"@odata.context": 1}}], "@odata.context": "'
        + V2_MEDIA.format(region="UK")
        + '"}'
    )
    context, _ = _header(text)
    assert context.scheme == "uk_caid"


def test_header_collects_cases_written_after_media() -> None:
    text = (
        '{"@odata.context": "' + V2_CASES.format(region="US") + '", "value": ['
        '{"Media": [{"CaseNumber": "not-a-case-field"}],'
        ' "CaseNumber": "C-1", "TotalMediaFiles": "2"},'
        '{"CaseNumber": "C-2", "ContactEmail": "a@example.org"}]}'
    )
    _, cases = _header(text)
    assert [(c.case_number, c.total_media_files) for c in cases] == [("C-1", 2), ("C-2", None)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("[1, 2]", "a VICS file is a JSON object", "byte 0"),
        ('{"value": []}', "no '@odata.context'", "top level"),
        ('{"@odata.context": 5}', "must be a string", "@odata.context"),
        (
            '{"odata.metadata": "http://example.org/x#Media"}',
            "unknown VICS context",
            "odata.metadata",
        ),
        ('{"value": {}, "@odata.context": "x"}', "'value' must be an array", "value"),
        ('{"value": [', "malformed JSON: parse error: premature EOF", "header"),
        (
            '{"@odata.context": "'
            + V2_CASES.format(region="US")
            + '", "value": [{"TotalMediaFiles": "many"}]}',
            "TotalMediaFiles",
            "case 1",
        ),
    ],
)
def test_header_errors(text: str, message: str, position: str) -> None:
    with pytest.raises(FormatError, match=message) as caught:
        _header(text)
    assert caught.value.path == "mem.json"
    assert caught.value.position == position


def test_first_line_drops_the_echoed_input() -> None:
    assert first_line(ValueError(b"lexical error: bad\n  {junk}\n ^")) == "lexical error: bad"
    assert first_line(ValueError()) == "ValueError"
