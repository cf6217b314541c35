"""The committed OpenAPI snapshot is current, and operation ids are stable and unique."""

from __future__ import annotations

import json
from pathlib import Path

from sentinela.web.openapi import openapi_document, render_document

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

#: Operation ids are a contract with API clients: renaming one is a breaking change.
OPERATIONS = {
    "adjudication_queue",
    "change_password",
    "decide_adjudication",
    "grade_group",
    "grade_media",
    "health",
    "list_cases",
    "media_thumbnail",
    "my_exposure",
    "review_queue",
    "reveal_media",
    "show_account",
    "show_case",
    "show_media",
    "sign_in",
    "sign_in_form",
    "sign_out",
    "team_exposure",
}


def test_snapshot_is_current() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == render_document(), (
        "docs/openapi.json is stale: run python -m sentinela.web.openapi > docs/openapi.json"
    )


def test_operation_ids_are_stable_and_unique() -> None:
    ids = [
        op["operationId"] for path in openapi_document()["paths"].values() for op in path.values()
    ]
    assert len(ids) == len(set(ids))
    assert set(ids) == OPERATIONS


def test_json_pages_document_their_shape() -> None:
    doc = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    queue = doc["paths"]["/cases/{number}/review.json"]["get"]
    schema = queue["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ReviewQueue"}
    assert doc["components"]["securitySchemes"]["session"]["in"] == "cookie"
