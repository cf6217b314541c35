"""The demo's known-material step, on a stand-in for the ingested demo exhibit."""

from __future__ import annotations

import json

from sentinela.services.context import ServiceContext
from sentinela.services.demo import DEMO_CASE, DEMO_FOLDER_LABEL
from sentinela.services.demo_known import run_demo_known
from tests.services.known_helpers import drawing, encode, hold, photo


def test_demo_sets_are_imported_matched_and_reported(sqlite_ctx: ServiceContext) -> None:
    ctx = sqlite_ctx
    files = {f"/DCIM/100PHOTO/IMG_{n:04d}.jpg": encode(drawing(n)) for n in range(12)}
    files["/DCIM/100PHOTO/IMG_0006.jpg"] = photo(1200)  # drafted at ingest
    files["/Backup/IMG_0000.jpg"] = files["/DCIM/100PHOTO/IMG_0000.jpg"]
    files["/Documents/notes.txt"] = b"Shopping list: bread, milk, batteries.\n"
    files["/Documents/invoice.pdf"] = b"%PDF-1.4\n%%EOF\n"
    hold(ctx, DEMO_CASE, files, label=DEMO_FOLDER_LABEL)
    result = run_demo_known(ctx)
    assert result.imported == ["demo-national", "demo-industry-pdq", "demo-nsrl"]
    assert result.classes["known_categorised"] >= 8 and result.classes["known_benign"] == 2
    assert result.matches_by_method["exact"] >= 6 + 2
    assert result.matches_by_method["pdq_confirmed_full"] == 1
    assert result.report is not None and result.report.html.exists()
    doc = json.loads(result.report.json.read_bytes())
    assert {s["name"] for s in doc["hash_sets"]} == {
        "demo-national",
        "demo-industry-pdq",
        "demo-nsrl",
    }
    again = run_demo_known(ctx)
    assert again.imported == [] and len(again.skipped) == 3
    assert again.report is not None
    assert again.report.sha256 == result.report.sha256
