from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import av
import pytest
from PIL import Image

from sentinela.errors import InvalidInputError
from sentinela.hashing.filetype import HEAD_BYTES, detect
from sentinela.vault import render_thumbnail
from sentinela.video import VIDEO_MIME_TYPES, VideoLimits, fingerprint_video
from sentinela.video.result import VideoResult
from tests.video.helpers import make_video


def test_one_frame_a_second_with_number_and_timestamp(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video)
    assert result.error is None and result.error_kind is None
    assert [f.frame_number for f in result.frames] == [0, 10, 20]
    assert [f.timestamp for f in result.frames] == [0.0, 1.0, 2.0]
    for frame in result.frames:
        assert len(frame.pdq) == 64 and 0 <= frame.quality <= 100
    assert result.usable


def test_path_bytes_and_stream_give_the_same_fingerprint(mp4_video: bytes, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(mp4_video)
    from_path = fingerprint_video(path)
    from_str = fingerprint_video(str(path))
    from_bytes = fingerprint_video(mp4_video)
    with path.open("rb") as handle:
        from_stream = fingerprint_video(handle)
    assert from_path.frames == from_str.frames == from_bytes.frames == from_stream.frames
    assert from_path.metadata == from_bytes.metadata


def test_metadata_records_duration_codec_and_creation_time(mp4_video: bytes) -> None:
    metadata = fingerprint_video(mp4_video).metadata
    assert metadata is not None
    assert metadata.codec == "h264"
    assert metadata.container.startswith("mov,mp4")
    assert (metadata.width, metadata.height) == (96, 72)
    assert metadata.frame_rate == 10.0
    assert metadata.duration == pytest.approx(3.0)
    assert metadata.declared_duration == pytest.approx(3.0)
    assert metadata.decoded_frames == 30
    assert metadata.created == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)
    assert metadata.created_source == "creation_time"
    assert metadata.pixel_format == "yuv420p"


@pytest.mark.parametrize(
    ("fmt", "codec", "size", "container"),
    [
        ("mp4", "libx264", (96, 72), "mov,mp4"),
        ("mov", "libx264", (96, 72), "mov,mp4"),
        ("avi", "mpeg4", (96, 72), "avi"),
        ("matroska", "libx264", (96, 72), "matroska"),
        ("webm", "libvpx-vp9", (96, 72), "matroska,webm"),
        ("3gp", "h263", (128, 96), "mov,mp4"),
    ],
)
def test_every_container_the_issue_lists_is_fingerprinted(
    fmt: str, codec: str, size: tuple[int, int], container: str
) -> None:
    data = make_video(fmt, codec, width=size[0], height=size[1], seconds=2)
    assert detect(data[:HEAD_BYTES]).mime in VIDEO_MIME_TYPES
    result = fingerprint_video(data)
    assert result.error_kind is None, result.error
    assert [f.frame_number for f in result.frames] == [0, 10]
    assert result.metadata is not None and result.metadata.container.startswith(container)


def test_keyframe_strip_is_small_jpegs_that_the_vault_can_blur(mp4_video: bytes) -> None:
    limits = VideoLimits(max_keyframes=4, keyframe_side=64)
    keyframes = fingerprint_video(mp4_video, limits).keyframes
    assert 1 <= len(keyframes) <= 4
    assert keyframes[0].frame_number == 0 and keyframes[0].key
    assert [k.timestamp for k in keyframes] == sorted(k.timestamp for k in keyframes)
    for keyframe in keyframes:
        image = Image.open(io.BytesIO(keyframe.jpeg))
        assert image.format == "JPEG" and max(image.size) <= 64
        blurred = Image.open(io.BytesIO(render_thumbnail(keyframe.jpeg, "blurred")))
        assert blurred.mode == "L"


def test_keyframes_can_be_skipped(mp4_video: bytes) -> None:
    assert fingerprint_video(mp4_video, want_keyframes=False).keyframes == ()
    assert fingerprint_video(mp4_video, VideoLimits(max_keyframes=0)).keyframes == ()


def test_long_video_strip_stays_bounded_and_spread() -> None:
    data = make_video("mp4", width=32, height=24, fps=2, seconds=40, codec_options={"g": "4"})
    keyframes = fingerprint_video(data, VideoLimits(max_keyframes=5)).keyframes
    assert len(keyframes) == 5
    times = [k.timestamp for k in keyframes]
    assert times[0] == 0.0 and times[-1] >= 30.0
    assert all(k.key for k in keyframes)


def test_decode_threads_do_not_change_the_fingerprint(mp4_video: bytes) -> None:
    one = fingerprint_video(mp4_video, decode_threads=1)
    two = fingerprint_video(mp4_video, decode_threads=2)
    assert one.frames == two.frames


def test_seconds_per_hash_changes_the_sampling(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video, VideoLimits(seconds_per_hash=0.5))
    assert [f.frame_number for f in result.frames] == [0, 5, 10, 15, 20, 25]


def test_frame_limit_keeps_the_frames_decoded_so_far(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video, VideoLimits(max_frames=15))
    assert result.error_kind == "limit_reached"
    assert [f.frame_number for f in result.frames] == [0, 10]
    assert result.usable


def test_duration_limit_stops_decoding(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video, VideoLimits(max_duration_s=1.5))
    assert result.error_kind == "limit_reached"
    assert result.metadata is not None and result.metadata.decoded_frames == 16


def test_wall_clock_limit_stops_decoding(mp4_video: bytes) -> None:
    ticks = iter(range(1000))
    result = fingerprint_video(
        mp4_video, VideoLimits(max_wall_s=5), clock=lambda: float(next(ticks))
    )
    assert result.error_kind == "limit_reached"
    assert "decoding" in (result.error or "")


def test_frame_size_limit_refuses_before_decoding(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video, VideoLimits(max_frame_pixels=96 * 72 - 1))
    assert result.error_kind == "frame_too_large"
    assert result.frames == ()
    assert result.metadata is not None and result.metadata.codec == "h264"


def test_ffmpeg_log_settings_are_restored(mp4_video: bytes) -> None:
    level, repeated = av.logging.get_level(), av.logging.get_skip_repeated()
    fingerprint_video(mp4_video)
    assert av.logging.get_level() == level
    assert av.logging.get_skip_repeated() == repeated


def test_result_round_trips_through_json(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video)
    again = VideoResult.from_dict(result.to_dict(include_keyframes=True))
    assert again == result
    light = VideoResult.from_dict(result.to_dict())
    assert light.frames == result.frames and all(k.jpeg == b"" for k in light.keyframes)


@pytest.mark.parametrize(
    "bad", [{"seconds_per_hash": 0}, {"max_frames": 0}, {"max_keyframes": -1}, {"max_wall_s": -1}]
)
def test_limits_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(InvalidInputError):
        VideoLimits(**bad)  # type: ignore[arg-type]
