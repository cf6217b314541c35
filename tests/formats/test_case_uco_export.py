"""The CASE/UCO writer and reader: stable UUID IRIs, UCO hash vocabulary, malformed input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sentinela.errors import FormatError
from sentinela.formats.case_uco_export import CaseUcoExporter
from sentinela.formats.case_uco_reader import read_case_uco

from .export_helpers import case_document, render

UUID_END = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _graph() -> list[dict[str, object]]:
    nodes: list[dict[str, object]] = json.loads(render(CaseUcoExporter(), case_document()))[
        "@graph"
    ]
    return nodes


def _ids(value: object) -> list[str]:
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("@id"), str):
            found.append(value["@id"])
        for item in value.values():
            found += _ids(item)
    elif isinstance(value, list):
        for item in value:
            found += _ids(item)
    return found


def test_every_iri_ends_in_a_uuid_and_is_unique() -> None:
    nodes = _graph()
    ids = _ids(nodes)
    assert all(UUID_END.search(i) for i in ids)
    defined = [n["@id"] for n in nodes]
    assert len(defined) == len(set(defined))


def test_only_uco_hash_methods_are_written() -> None:
    text = json.dumps(_graph())
    methods = set(re.findall(r'"uco-types:hashMethod": "([A-Z0-9]+)"', text))
    assert methods == {"MD5", "SHA1", "SHA256"}


def test_custody_events_are_chained_actions() -> None:
    actions = [n for n in _graph() if n["@type"] == "case-investigation:InvestigativeAction"]
    assert [a["uco-core:name"] for a in actions] == ["seized", "received", "exported", "received"]
    assert "case-investigation:wasInformedBy" in actions[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{", "malformed JSON"), ('{"@graph": {}}', "@graph"), ('{"@graph": []}', "Investigation")],
)
def test_malformed_files_raise_format_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_text(content)
    with pytest.raises(FormatError, match=message):
        read_case_uco(path)
