"""Case and national exports: formats read back, custody, audit, content, bad input."""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.exchange import ExchangeExport
from sentinela.db.exhibits import CustodyEvent
from sentinela.db.video import KnownVideo, VideoFingerprint
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.formats.case_uco_reader import read_case_uco
from sentinela.formats.export_base import ExportRefusedError
from sentinela.formats.records import Category, HashRecord
from sentinela.formats.vics import VicsImporter
from sentinela.services.context import ServiceContext
from sentinela.services.exports import export_case, list_exports
from sentinela.services.feed_destinations import UnmappedCategoriesError, add_destination
from sentinela.services.hashsets import ImportRequest, import_hash_set
from sentinela.services.national_exports import export_national
from sentinela.video import FrameHash, write_vpdq
from tests.services.exchange_helpers import (
    add_specialist,
    classify,
    link_series,
    seed_exchange_case,
)


def _records(path: Path) -> list[HashRecord]:
    return [r for r in VicsImporter().iter_records(path) if isinstance(r, HashRecord)]


def _actions(ctx: ServiceContext, action: str) -> list[AuditEvent]:
    with ctx.transaction() as session:
        return list(
            session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_vics_case_export_reads_back_with_category_series_and_custody(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    seeded = seed_exchange_case(ctx)
    first, second = seeded.media[:2]
    classify(ctx, first, "1")
    link_series(ctx, seeded.number, first, "Series Alpha", identified=True)
    view = export_case(ctx, seeded.number, tmp_path / "out")
    with VicsImporter().open(Path(view.path)) as stream:
        meta = stream.meta
        records = [r for r in stream if isinstance(r, HashRecord)]
    assert meta.case is not None and meta.case.case_number == seeded.number
    assert meta.case.total_media_files == 5
    assert [r.source_id for r in records] == [str(m) for m in seeded.media]
    top = records[0]
    assert top.category == Category("project_vic_us", "1")
    assert (top.series, top.victim_identified) == ("Series Alpha", True)
    assert top.digests["sha256"] == seeded.sha256[first]
    assert sorted(o.source_id or "" for o in top.occurrences) == ["EXH-001", "EXH-002"]
    assert records[1].category is None and records[1].occurrences[0].deleted is True
    assert second and not (tmp_path / "out" / "Files").exists()
    assert "RelativeFilePath" not in Path(view.path).read_text()
    with ctx.transaction() as session:
        exported = (
            session.execute(select(CustodyEvent).where(CustodyEvent.action == "exported"))
            .scalars()
            .all()
        )
        row = session.execute(select(ExchangeExport)).scalar_one()
    assert len(exported) == 2 and all(f"export {row.id}" in e.note for e in exported)
    assert (
        row.file_sha256 == hashlib.sha256(Path(view.path).read_bytes()).hexdigest() == view.sha256
    )
    (event,) = _actions(ctx, "export.case")
    assert json.loads(event.details)["content_files"] == []
    assert [v.id for v in list_exports(ctx, seeded.number)] == [row.id]


def test_case_uco_export_validates_and_lists_its_own_export_event(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    ctx = sqlite_ctx  # validation does not depend on the database: one backend is enough
    case_validate = pytest.importorskip("case_utils.case_validate")
    seeded = seed_exchange_case(ctx, items=2)
    classify(ctx, seeded.media[0], "2")
    view = export_case(ctx, seeded.number, tmp_path / "uco", format="case_uco")
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser warns about its own deprecated ConjunctiveGraph.
        warnings.simplefilter("ignore", DeprecationWarning)
        result = case_validate.validate(view.path, case_version="case-1.5.0")
    assert result.conforms, result.text
    document = read_case_uco(Path(view.path))
    assert [e.label for e in document.exhibits] == ["EXH-001", "EXH-002"]
    assert [c.action for c in document.exhibits[0].custody] == ["seized", "received", "exported"]
    assert document.exhibits[0].kind == "e01"
    records = list(document.records)
    assert records[0].category == Category("project_vic_us", "2")
    assert records[0].digests["sha256"] == seeded.sha256[seeded.media[0]]


def test_content_export_needs_authorisation_and_a_case_lead(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    with pytest.raises(InvalidInputError, match="authorisation"):
        export_case(ctx, seeded.number, tmp_path / "a", include_content=True)
    with pytest.raises(AccessDenied, match="lead"):
        export_case(
            ctx.with_actor("bob"),
            seeded.number,
            tmp_path / "b",
            include_content=True,
            authorisation="MLA-1",
        )
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert _actions(ctx, "export.case") == []
    view = export_case(
        ctx, seeded.number, tmp_path / "c", include_content=True, authorisation="MLA-2026-17"
    )
    document = json.loads(Path(view.path).read_text())
    files = []
    for media in document["value"][0]["Media"]:
        target = tmp_path / "c" / Path(*media["RelativeFilePath"].split("\\"))
        data = target.read_bytes()
        assert hashlib.md5(data).hexdigest().upper() == media["MD5"]  # noqa: S324
        assert target.stat().st_mode & 0o077 == 0
        files.append(hashlib.sha256(data).hexdigest())
    assert view.content_files == 2
    (event,) = _actions(ctx, "export.case")
    details = json.loads(event.details)
    assert sorted(details["content_files"]) == sorted(files)
    assert details["authorisation"] == "MLA-2026-17"


def test_non_empty_folder_is_refused_unless_forced(ctx: ServiceContext, tmp_path: Path) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(InvalidInputError, match="not empty"):
        export_case(ctx, seeded.number, target)
    assert _actions(ctx, "export.case") == []
    view = export_case(ctx, seeded.number, target, force=True)
    assert Path(view.path).is_file() and (target / "notes.txt").read_text() == "keep me"


def test_need_to_know_applies_to_administrators(ctx: ServiceContext, tmp_path: Path) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    with pytest.raises(AccessDenied):
        export_case(ctx.with_actor("admin"), seeded.number, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_vics_13_case_export(ctx: ServiceContext, tmp_path: Path) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    classify(ctx, seeded.media[1], "3")
    view = export_case(ctx, seeded.number, tmp_path / "v13", vics_version="1.3")
    with VicsImporter().open(Path(view.path)) as stream:
        assert (stream.meta.version, stream.meta.entity) == ("1.3", "Cases")
        records = [r for r in stream if isinstance(r, HashRecord)]
    assert records[1].category == Category("project_vic_us", "3")
    with pytest.raises(InvalidInputError, match=r"1\.9"):
        export_case(ctx, seeded.number, tmp_path / "v19", vics_version="1.9")


def test_national_hash_set_export_by_scheme_code_and_date(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    seeded = seed_exchange_case(ctx)
    vic = add_specialist(ctx)
    for media_id, code in zip(seeded.media, ("1", "1", "2", "0"), strict=True):
        classify(ctx, media_id, code)
    with pytest.raises(AccessDenied):
        export_national(ctx, tmp_path / "denied", scheme="project_vic_us")
    view = export_national(vic, tmp_path / "all", scheme="project_vic_us", codes=("1", "2"))
    records = _records(Path(view.path))
    assert [r.source_id for r in records] == [str(m) for m in seeded.media[:3]]
    assert all(not r.occurrences for r in records)
    since = ctx.clock()
    classify(ctx, seeded.media[3], "4")
    recent = export_national(vic, tmp_path / "recent", scheme="project_vic_us", since=since)
    assert [r.source_id for r in _records(Path(recent.path))] == [str(seeded.media[3])]


def test_icse_hash_set_needs_a_reviewed_mapping(ctx: ServiceContext, tmp_path: Path) -> None:
    seeded = seed_exchange_case(ctx, items=3)
    vic = add_specialist(ctx)
    classify(ctx, seeded.media[0], "1")
    classify(ctx, seeded.media[1], "2")
    with pytest.raises(ExportRefusedError, match="interpol_baseline"):
        export_national(vic, tmp_path / "raw", scheme="project_vic_us", format="icse_csv")
    add_destination(
        vic,
        "icse",
        format="icse_csv",
        scheme="interpol_baseline",
        mapping=["project_vic_us:1=baseline"],
        reviewed_by="Head of VID",
    )
    with pytest.raises(UnmappedCategoriesError, match=r"project_vic_us:2 \(1 item\)"):
        export_national(
            vic, tmp_path / "mapped", scheme="project_vic_us", format="icse_csv", destination="icse"
        )
    assert not (tmp_path / "mapped").exists()


def test_video_fingerprints_are_exported_and_import_back_as_known_videos(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    video, picture = seeded.media[:2]
    frames = [FrameHash(n * 30, 100, f"{n + 1:064x}", float(n)) for n in range(3)]
    text = write_vpdq(frames)
    with ctx.transaction() as session:
        session.add(VideoFingerprint(media_id=video, vpdq=text, frame_count=3))
    case_view = export_case(ctx, seeded.number, tmp_path / "case")
    by_id = {r.source_id: r for r in _records(Path(case_view.path))}
    assert by_id[str(video)].vpdq == text and by_id[str(picture)].vpdq is None
    assert by_id[str(video)].digests["vpdq"] == hashlib.sha256(text.encode()).hexdigest()
    vic = add_specialist(ctx)
    classify(ctx, video, "1")
    view = export_national(vic, tmp_path / "national", scheme="project_vic_us")
    (record,) = _records(Path(view.path))
    assert record.vpdq == text
    request = ImportRequest(name="partner", source="partner (test)", legal_basis="Statute X s.1")
    import_hash_set(ctx, Path(view.path), request)
    with ctx.transaction() as session:
        (known,) = session.execute(select(KnownVideo)).scalars()
        assert (known.vpdq, known.frame_count) == (text, 3)
