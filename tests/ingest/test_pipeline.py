"""ingest_exhibit end to end, on SQLite and PostgreSQL: folders, archives, disk images."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.exhibits import CustodyEvent
from sentinela.db.media import Media, MediaMetadata
from sentinela.errors import AccessDenied, InvalidInputError, UnknownNameError
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.services.context import ServiceContext
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault
from tests.evidence.helpers import DD, E01, PNG_PATH, PNG_SHA256, delete_fat_file, simple_zip
from tests.ingest.helpers import (
    audit_actions,
    counts,
    errors,
    image_folder,
    jpeg,
    occurrences,
    open_case,
    register,
    sha256,
    vault_objects,
    write_tree,
)


def _exhibit(root: Path) -> dict[str, bytes]:
    """Images, a zip holding a copy of one of them and a new one, a disguised image, text."""
    files = image_folder(root, 9)
    extra = {
        "Documents/notes.txt": b"shopping list: bread, milk\n",
        "Documents/holiday.txt": jpeg(100),  # an image behind a text extension
        "DCIM/camera.jpg": jpeg(101, camera="Model X"),
        "Downloads/album.zip": simple_zip(
            {"album/copy.jpg": files["DCIM/IMG_0001.jpg"], "album/new.png": jpeg(102)}
        ),
    }
    write_tree(root, extra)
    files.update(extra)
    files["Downloads/album.zip!/album/copy.jpg"] = files["DCIM/IMG_0001.jpg"]
    files["Downloads/album.zip!/album/new.png"] = jpeg(102)
    return files


@pytest.mark.parametrize("executor", ["inline", "local"])
def test_folder_ingest_records_every_file_once(
    ctx: ServiceContext, tmp_path: Path, executor: str
) -> None:
    files = _exhibit(tmp_path / "exhibit")
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")

    job = ingest_exhibit(
        ctx, "C1", "EXH-001", IngestOptions(executor=executor, workers=2, batch_size=4)
    )

    found = occurrences(ctx)
    assert {path: [s.sha256 for s in stored] for path, stored in found.items()} == {
        path: [sha256(data)] for path, data in files.items()
    }
    distinct = {sha256(data) for data in files.values()}
    assert counts(ctx)["media"] == len(distinct)
    assert (job.status, job.files_done, job.media_new, job.errors) == (
        "completed",
        len(files),
        len(distinct),
        0,
    )
    assert job.bytes_done == sum(len(d) for d in files.values())
    assert found["Downloads/album.zip!/album/copy.jpg"][0].parent_container == (
        "Downloads/album.zip"
    )
    assert found["Documents/holiday.txt"][0].extension_mismatch
    assert not found["DCIM/IMG_0001.jpg"][0].extension_mismatch
    # The zip member is named .png but holds a JPEG: flagged too.
    assert found["Downloads/album.zip!/album/new.png"][0].extension_mismatch

    with ctx.transaction() as session:
        media = {m.sha256: m for m in session.execute(select(Media)).scalars()}
        meta = session.execute(select(MediaMetadata)).scalars().all()
        custody = session.execute(select(CustodyEvent.action)).scalars().all()
        image = media[sha256(files["DCIM/IMG_0001.jpg"])]
        text = media[sha256(files["Documents/notes.txt"])]
        assert image.pdq is not None and image.pdq_quality is not None
        assert (image.width, image.height, image.mime) == (96, 64, "image/jpeg")
        assert image.vault_stored and image.has_thumbnail
        assert text.pdq is None and not text.has_thumbnail and text.family != "image"
        assert [(m.camera_make, m.camera_model, m.camera_serial, m.software) for m in meta] == [
            ("TestCam", "Model X", "SN000042", "sentinela-tests")
        ]
        assert meta[0].media_id == media[sha256(files["DCIM/camera.jpg"])].id
        assert "ingested" in custody

    vault = Vault(
        ctx.settings.data_dir / "vault", load_master_key(ctx.settings.key_file, strict=False)
    )
    for data in files.values():
        assert vault.get(sha256(data)) == data
    images = sum(1 for m in media.values() if m.pdq is not None)
    assert len(vault_objects(ctx.settings.data_dir)) == len(distinct) + images
    actions = audit_actions(ctx)
    assert actions.count("ingest.start") == 1 and actions[-1] == "ingest.completed"
    assert actions.count("ingest.batch") >= 3  # batches of 4


def test_ingesting_again_adds_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    files = _exhibit(tmp_path / "exhibit")
    (tmp_path / "exhibit" / "empty.dat").write_bytes(b"")
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")
    opts = IngestOptions(executor="inline", batch_size=5)
    first = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    before = (counts(ctx), vault_objects(ctx.settings.data_dir), occurrences(ctx), errors(ctx))

    again = ingest_exhibit(ctx, "C1", "EXH-001", opts)

    after = (counts(ctx), vault_objects(ctx.settings.data_dir), occurrences(ctx), errors(ctx))
    before[0]["ingest_jobs"] += 1  # the second run is a job of its own
    assert after == before
    assert errors(ctx) == {"empty.dat": {"empty"}}
    assert again.id != first.id
    assert (again.status, again.files_done, again.media_new, again.errors) == ("completed", 0, 0, 0)
    assert again.files_skipped == len(files) + 1  # every file, empty.dat included


def test_same_content_in_two_cases_is_one_media(ctx: ServiceContext, tmp_path: Path) -> None:
    shared = image_folder(tmp_path / "a", 4)
    write_tree(tmp_path / "b", {f"copied/{k}": v for k, v in shared.items()})
    write_tree(tmp_path / "b", {"own.jpg": jpeg(500)})
    open_case(ctx, "C1")
    open_case(ctx, "C2")
    register(ctx, tmp_path / "a", "EXH-001", "C1")
    register(ctx, tmp_path / "b", "EXH-001", "C2")
    opts = IngestOptions(executor="inline")

    first = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    second = ingest_exhibit(ctx, "C2", "EXH-001", opts)

    assert (first.media_new, second.media_new) == (4, 1)
    assert counts(ctx)["media"] == 5
    assert counts(ctx)["occurrences"] == 4 + 5


def test_disk_images_and_deleted_files(ctx: ServiceContext, tmp_path: Path) -> None:
    deleted = tmp_path / "deleted.dd"
    deleted.write_bytes(delete_fat_file(DD.read_bytes(), b"SYNTHE~1PNG"))
    open_case(ctx)
    register(ctx, E01, "EXH-001")
    register(ctx, deleted, "EXH-002")
    opts = IngestOptions(executor="inline")

    e01 = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    raw = ingest_exhibit(ctx, "C1", "EXH-002", opts)

    assert occurrences(ctx, "EXH-001")[PNG_PATH][0].sha256 == PNG_SHA256
    stored = occurrences(ctx, "EXH-002")[PNG_PATH][0]
    assert stored.sha256 == PNG_SHA256 and stored.deleted
    assert not occurrences(ctx, "EXH-001")[PNG_PATH][0].deleted
    assert (e01.media_new, raw.media_new, counts(ctx)["media"]) == (1, 0, 1)


def test_refusals(ctx: ServiceContext, tmp_path: Path) -> None:
    image_folder(tmp_path / "exhibit", 1)
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")
    with pytest.raises(AccessDenied):
        ingest_exhibit(ctx.with_actor("bob"), "C1", "EXH-001", IngestOptions(executor="inline"))
    with pytest.raises(UnknownNameError):
        ingest_exhibit(ctx, "C1", "EXH-001", IngestOptions(executor="carrier_pigeon"))
    with pytest.raises(InvalidInputError):
        ingest_exhibit(ctx, "C1", "EXH-001", IngestOptions(executor="inline", batch_size=0))
    assert counts(ctx)["ingest_jobs"] == 0
