"""The examination report: complete, self-contained, reproducible from the database."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from sentinela import __version__
from sentinela.db.exhibits import Exhibit
from sentinela.db.jobs import IngestJob
from sentinela.db.workspace import ExposureEvent
from sentinela.errors import AccessDenied, NotFoundError
from sentinela.services import cases
from sentinela.services.context import ServiceContext
from sentinela.services.hashset_views import list_hash_sets
from sentinela.services.hashsets import ImportRequest, import_hash_set
from sentinela.services.report import write_report
from sentinela.services.users import add_user
from tests.services.known_helpers import (
    HeldCase,
    add_error,
    add_thumbnails,
    audit_actions,
    count,
    drawing,
    encode,
    flip,
    full_pdq,
    hold,
    photo,
    vics_record,
    write_vics,
)

SEIZED = datetime(2024, 5, 3, 10, 30, tzinfo=UTC)


def _case(ctx: ServiceContext, tmp_path: Path) -> HeldCase:
    big = photo(1200)
    files = {
        "/DCIM/IMG_0001.jpg": encode(drawing(1)),
        "/DCIM/IMG_0002.jpg": encode(drawing(2)),
        "/DCIM/big.jpg": big,
        "/Backup/IMG_0001.jpg": encode(drawing(1)),
        "/Docs/readme.txt": b"known software readme\n",
    }
    held = hold(ctx, "C-7", files, seized_at=SEIZED)
    add_thumbnails(ctx, held)
    add_error(ctx, "C-7", "/DCIM/broken.jpg", "corrupt_image", "truncated JPEG data")
    with ctx.transaction() as session:
        exhibit = session.execute(select(Exhibit)).scalars().one()
        session.add(
            IngestJob(
                exhibit_id=exhibit.id,
                status="completed",
                executor="local",
                workers=2,
                started_by="alice",
                started_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
                updated_at=datetime(2026, 3, 1, 8, 1, tzinfo=UTC),
                finished_at=datetime(2026, 3, 1, 8, 1, tzinfo=UTC),
                files_done=5,
                bytes_done=sum(len(d) for d in files.values()),
                errors=1,
                elapsed_seconds=60.0,
            )
        )
    md5 = hashlib.md5(files["/DCIM/IMG_0001.jpg"]).hexdigest()  # noqa: S324
    vics = write_vics(
        tmp_path / "national.json",
        [vics_record(md5, 1, Series="S-3", VictimIdentified="true", IsDistributed="Y")],
    )
    import_hash_set(ctx, vics, ImportRequest(name="national", source="National unit"))
    near = tmp_path / "near.txt"
    near.write_text(flip(full_pdq(big), [0, 5, 9]) + "\n", encoding="utf-8")
    import_hash_set(
        ctx, near, ImportRequest(name="industry-pdq", hash_type="pdq", scheme="industry", code="B2")
    )
    readme = hashlib.sha1(files["/Docs/readme.txt"]).hexdigest()  # noqa: S324
    nsrl = tmp_path / "nsrl.sha1"
    nsrl.write_text(f"{readme}  readme.txt\n", encoding="utf-8")
    import_hash_set(ctx, nsrl, ImportRequest(name="nsrl-like", kind="benign"))
    return held


def _read(files: dict[str, Path]) -> dict[str, bytes]:
    return {k: p.read_bytes() for k, p in files.items()}


def test_report_is_reproducible_and_complete(ctx: ServiceContext, tmp_path: Path) -> None:
    held = _case(ctx, tmp_path)
    first = write_report(ctx, "C-7", out_dir=tmp_path / "one")
    list_hash_sets(ctx)  # audit-only activity changes nothing the report states
    second = write_report(ctx, "C-7", out_dir=tmp_path / "two")
    a = _read({"html": first.html, "json": first.json, "csv": first.csv})
    b = _read({"html": second.html, "json": second.json, "csv": second.csv})
    assert a == b and first.sha256 == second.sha256
    doc = json.loads(a["json"])
    assert doc["tool"] == {"name": "sentinela", "version": __version__}
    (exhibit,) = doc["exhibits"]
    assert exhibit["sha256"] == hashlib.sha256(b"C-7").hexdigest() and exhibit["md5"]
    assert exhibit["seized_at"] == SEIZED.isoformat()
    assert [c["action"] for c in exhibit["custody"]] == ["received"]
    assert doc["counts"]["by_class"] == {"known_benign": 1, "known_categorised": 2, "new": 1}
    assert doc["counts"]["by_category"] == {
        "industry:B2": 1,
        "project_vic_us:1": 1,
        "uncategorised": 1,
    }
    assert doc["counts"]["new_items"] == 1 and doc["counts"]["items"] == 4
    matched = {m["sha256"]: m for m in doc["matched"]}
    exact = matched[hashlib.sha256(held.data["/DCIM/IMG_0001.jpg"]).hexdigest()]
    assert [p["path"] for p in exact["paths"]] == ["/Backup/IMG_0001.jpg", "/DCIM/IMG_0001.jpg"]
    (line,) = exact["evidence"]
    assert (line["set"], line["hash_type"], line["distance"], line["method"]) == (
        "national",
        "md5",
        0,
        "exact",
    )
    assert line["series"] == "S-3" and line["victim_identified"] is True
    assert line["category_label"] == "Child abuse material" and line["set_version"] == "1"
    near = matched[hashlib.sha256(held.data["/DCIM/big.jpg"]).hexdigest()]
    assert [(x["method"], x["distance"]) for x in near["evidence"]] == [("pdq_confirmed_full", 3)]
    assert doc["errors"] == [
        {
            "exhibit": "EXH-001",
            "path": "/DCIM/broken.jpg",
            "code": "corrupt_image",
            "message": "truncated JPEG data",
            "recorded_at": doc["errors"][0]["recorded_at"],
        }
    ]
    assert doc["timing"][0]["elapsed_seconds"] == 60.0 and doc["timing"][0]["files"] == 5
    sets = {s["name"]: s for s in doc["hash_sets"]}
    assert set(sets) == {"national", "industry-pdq", "nsrl-like"}
    assert sets["national"]["versions"][0]["file_sha256"]
    assert doc["as_of"] is not None
    rows = list(csv.DictReader(io.StringIO(a["csv"].decode())))
    assert len(rows) == 5 and {r["triage_class"] for r in rows} == {
        "known_categorised",
        "known_benign",
        "new",
    }
    html = a["html"].decode()
    for text in ("S-3", "pdq_confirmed_full", "truncated JPEG data", "/Backup/IMG_0001.jpg"):
        assert text in html
    assert "<img" not in html and "data:image" not in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", html)
    assert "<script" not in html and "<link" not in html
    assert audit_actions(ctx).count("report.write") == 2


def test_blurred_thumbnails_only_on_request_and_in_the_ledger(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    _case(ctx, tmp_path)
    files = write_report(ctx, "C-7", out_dir=tmp_path / "t", thumbnails=True)
    html = files.html.read_text(encoding="utf-8")
    uris = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(uris) == files.thumbnails == 2  # the known-categorised items only
    for uri in uris:
        assert Image.open(io.BytesIO(base64.b64decode(uri))).mode == "L"  # greyscale blur
    assert count(ctx, ExposureEvent, ExposureEvent.mode == "blurred") == 2
    again = write_report(ctx, "C-7", out_dir=tmp_path / "t2", thumbnails=True)
    assert again.html.read_bytes() == files.html.read_bytes()


def test_scope_and_permissions(ctx: ServiceContext, tmp_path: Path) -> None:
    _case(ctx, tmp_path)
    with pytest.raises(AccessDenied):
        write_report(ctx.with_actor("bob"), "C-7", out_dir=tmp_path / "x")
    with pytest.raises(NotFoundError):
        write_report(ctx, "C-7", exhibit="EXH-404", out_dir=tmp_path / "x")
    add_user(ctx.with_actor("admin"), "pros", roles=["prosecutor"])
    cases.add_member(ctx, "C-7", "pros")
    prosecutor = ctx.with_actor("pros")
    files = write_report(prosecutor, "C-7", exhibit="EXH-001")
    assert files.html.parent == ctx.settings.data_dir / "reports" / "C-7" / "EXH-001"
    assert json.loads(files.json.read_bytes())["scope"] == {"exhibit": "EXH-001"}
    with pytest.raises(AccessDenied):
        write_report(prosecutor, "C-7", thumbnails=True, out_dir=tmp_path / "y")
