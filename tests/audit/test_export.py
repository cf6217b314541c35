"""Per-case audit export carries a checkable proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinela.audit.export import verify_case_export
from sentinela.errors import AuditChainError
from sentinela.services.audit import export_case_audit
from sentinela.services.cases import add_member, create_case
from sentinela.services.context import ServiceContext


def test_export_round_trip_and_tamper(ctx: ServiceContext, tmp_path: Path) -> None:
    create_case(ctx, "C-1", title="one", unit="Unit A")
    create_case(ctx, "C-2", title="two", unit="Unit A")
    add_member(ctx, "C-1", "bob")
    out = tmp_path / "c1.json"
    assert export_case_audit(ctx, "C-1", out) == 2
    doc = json.loads(out.read_text())
    assert {e["case_number"] for e in doc["events"]} == {"C-1"}
    check = verify_case_export(doc)
    assert check.events == 2 and check.head_hash
    # links of other cases carry no content
    assert all(len(link) == 3 for link in doc["links"])

    doc["events"][0]["actor"] = "mallory"
    with pytest.raises(AuditChainError):
        verify_case_export(doc)
