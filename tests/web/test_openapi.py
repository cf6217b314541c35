"""The committed OpenAPI snapshot is current, and operation ids are stable and unique."""

from __future__ import annotations

import json
from pathlib import Path

from sentinela.web.openapi import openapi_document, render_document

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

#: Operation ids are a contract with API clients: renaming one is a breaking change.
OPERATIONS = {
    "add_identifier",
    "adjudication_queue",
    "annual_report_html",
    "annual_report_pdf",
    "annual_statistics",
    "camera_links",
    "change_password",
    "create_offender",
    "create_series",
    "create_victim",
    "decide_access_request",
    "decide_adjudication",
    "decide_feedback",
    "export_statistics_csv",
    "export_statistics_json",
    "deconfliction_check",
    "feedback_queue",
    "get_hashlist_delta",
    "get_hashlist_public_key",
    "get_hashlist_snapshot",
    "gps_plot",
    "grade_group",
    "grade_media",
    "health",
    "holder_page",
    "identify_victim",
    "link_offender",
    "link_series",
    "link_victim",
    "list_cases",
    "list_hashlist_releases",
    "match_hashes",
    "media_keyframe",
    "media_thumbnail",
    "my_exposure",
    "provider_usage",
    "region_form",
    "region_search",
    "report_scan_counts",
    "request_access",
    "reveal_keyframe",
    "reveal_media",
    "review_queue",
    "send_feedback",
    "set_holder_preferences",
    "show_account",
    "show_case",
    "show_report",
    "show_media",
    "show_offender",
    "show_series",
    "show_victim",
    "sign_in",
    "sign_in_form",
    "sign_out",
    "similar_media",
    "statistics_dashboard",
    "statistics_definitions",
    "team_exposure",
    "victim_id_desk",
    # public reporting and takedown (issue 8)
    "add_isp_preservation_request",
    "decide_report",
    "isp_preservation_requests",
    "isp_request_answered",
    "partner_report_status",
    "partner_submit_report",
    "preserve_report",
    "prevention_index",
    "prevention_page",
    "public_report_form",
    "public_report_status",
    "public_status_form",
    "quiz_form",
    "quiz_result",
    "recheck_report",
    "submit_public_report",
    "takedown_queue",
    "takedown_report",
    "takedown_scorecards",
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
