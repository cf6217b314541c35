"""Video ingest: vPDQ fingerprints and keyframe strips stored; a bad video is recorded.

Videos are rendered by code (moving shapes over a gradient, ``tests/video/helpers.py``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sentinela.db.media import Media
from sentinela.db.video import VideoFingerprint, VideoKeyframe
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.services.context import ServiceContext
from sentinela.vault.keys import load_master_key
from sentinela.vault.store import Vault
from sentinela.video.errors import VideoErrorKind
from sentinela.video.vpdq_format import read_vpdq
from tests.ingest.helpers import (
    counts,
    errors,
    jpeg,
    occurrences,
    open_case,
    register,
    sha256,
    vault_objects,
    write_tree,
)
from tests.video.helpers import make_video


def _fingerprints(ctx: ServiceContext) -> dict[str, tuple[VideoFingerprint, list[VideoKeyframe]]]:
    with ctx.transaction() as session:
        rows = session.execute(
            select(Media.sha256, VideoFingerprint).join(
                VideoFingerprint, VideoFingerprint.media_id == Media.id
            )
        ).all()
        out = {}
        for sha, fp in rows:
            frames = session.scalars(
                select(VideoKeyframe)
                .where(VideoKeyframe.media_id == fp.media_id)
                .order_by(VideoKeyframe.position)
            ).all()
            out[sha] = (fp, list(frames))
            session.expunge_all()
        return out


def test_videos_are_fingerprinted_and_bad_ones_recorded(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    clip = make_video("mp4", width=64, height=48, fps=10, seconds=2)
    mkv = make_video("matroska", width=64, height=48, fps=10, seconds=2, seed=3)
    cut = clip[: len(clip) // 2]
    write_tree(
        tmp_path / "exhibit",
        {
            "DCIM/clip.mp4": clip,
            "DCIM/copy.mov": clip,
            "Movies/other.mkv": mkv,
            "Movies/cut.mp4": cut,
            "DCIM/photo.jpg": jpeg(1),
        },
    )
    open_case(ctx)
    register(ctx, tmp_path / "exhibit")
    opts = IngestOptions(executor="inline", batch_size=2)

    ingest_exhibit(ctx, "C1", "EXH-001", opts)

    stored = occurrences(ctx)
    assert set(stored) == {
        "DCIM/clip.mp4",
        "DCIM/copy.mov",
        "Movies/other.mkv",
        "Movies/cut.mp4",
        "DCIM/photo.jpg",
    }
    prints = _fingerprints(ctx)
    assert set(prints) == {sha256(clip), sha256(mkv), sha256(cut)}
    vault = Vault(
        ctx.settings.data_dir / "vault", load_master_key(ctx.settings.key_file, strict=False)
    )
    for data in (clip, mkv):
        fp, keyframes = prints[sha256(data)]
        frames = read_vpdq(fp.vpdq)
        assert fp.frame_count == len(frames) == 2  # one per second of a 2 s video
        assert [f.frame_number for f in frames] == [0, 10]
        assert fp.error_kind is None and fp.codec == "h264"
        assert fp.duration_s is not None and 1.5 < fp.duration_s <= 2.5
        assert (fp.width, fp.height) == (64, 48)
        assert fp.keyframe_count == len(keyframes) >= 1
        for k in keyframes:
            image = vault.get(k.jpeg_sha256)  # decrypted
            assert image.startswith(b"\xff\xd8") and sha256(image) == k.jpeg_sha256
    broken, no_keyframes = prints[sha256(cut)]
    assert broken.error_kind == VideoErrorKind.CORRUPT_CONTAINER
    assert (broken.frame_count, broken.vpdq, no_keyframes) == (0, "", [])
    assert errors(ctx) == {"Movies/cut.mp4": {"corrupt_container"}}
    assert vault.get(sha256(cut)) == cut  # the file itself is still stored

    before = (counts(ctx), vault_objects(ctx.settings.data_dir), errors(ctx), _fingerprints(ctx))
    again = ingest_exhibit(ctx, "C1", "EXH-001", opts)
    after = (counts(ctx), vault_objects(ctx.settings.data_dir), errors(ctx), _fingerprints(ctx))
    assert (again.files_done, again.media_new, again.errors) == (0, 0, 0)
    assert after[1:3] == before[1:3]
    assert {k: v for k, v in after[0].items() if k != "ingest_jobs"} == {
        k: v for k, v in before[0].items() if k != "ingest_jobs"
    }
    assert {s: (fp.vpdq, len(k)) for s, (fp, k) in after[3].items()} == {
        s: (fp.vpdq, len(k)) for s, (fp, k) in before[3].items()
    }
