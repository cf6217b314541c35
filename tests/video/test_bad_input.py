"""Each bad input the issue lists is recorded as an error; nothing raises, the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import EvidenceError
from sentinela.video import VideoErrorKind, fingerprint_video
from tests.video.helpers import (
    audio_only,
    make_video,
    set_avi_fourcc,
    set_avi_frame_size,
    set_matroska_duration,
)


def test_truncated_mp4_without_its_index_is_a_corrupt_container(mp4_video: bytes) -> None:
    result = fingerprint_video(mp4_video[: len(mp4_video) // 2])
    assert result.error_kind == VideoErrorKind.CORRUPT_CONTAINER
    assert "moov atom not found" in (result.error or "")
    assert result.frames == () and result.metadata is None


def test_truncated_faststart_mp4_keeps_the_frames_before_the_cut(tmp_path: Path) -> None:
    data = make_video("mp4", path=tmp_path / "f.mp4", options={"movflags": "faststart"})
    result = fingerprint_video(data[: len(data) * 2 // 5])
    assert result.error_kind == VideoErrorKind.DECODE_ERROR
    assert [f.frame_number for f in result.frames] == [0, 10]
    assert "header declares 3.000 s" in (result.error or "")
    assert result.usable


def test_truncated_matroska_is_a_duration_mismatch(mkv_video: bytes) -> None:
    result = fingerprint_video(mkv_video[: len(mkv_video) * 2 // 5])
    assert result.error_kind == VideoErrorKind.DURATION_MISMATCH
    assert result.frames and result.metadata is not None
    assert result.metadata.duration is not None and result.metadata.duration < 2


def test_header_claiming_ten_hours_for_three_seconds(mkv_video: bytes) -> None:
    result = fingerprint_video(set_matroska_duration(mkv_video, 10 * 3600))
    assert result.error_kind == VideoErrorKind.DURATION_MISMATCH
    assert result.metadata is not None
    assert result.metadata.declared_duration == pytest.approx(36000)
    assert result.metadata.duration == pytest.approx(3.0)
    assert [f.frame_number for f in result.frames] == [0, 10, 20]
    assert "36000.000 s" in (result.error or "")


def test_file_with_no_video_stream() -> None:
    result = fingerprint_video(audio_only())
    assert result.error_kind == VideoErrorKind.NO_VIDEO_STREAM
    assert "pcm_s16le" in (result.error or "")
    assert result.metadata is not None and result.metadata.audio_codecs == ("pcm_s16le",)


def test_codec_ffmpeg_cannot_decode() -> None:
    data = set_avi_fourcc(make_video("avi", "mpeg4"), b"FMP4", b"ZQ9X")
    result = fingerprint_video(data)
    assert result.error_kind == VideoErrorKind.UNSUPPORTED_CODEC
    assert result.frames == ()
    assert result.metadata is not None and result.metadata.codec is None


def test_frames_of_100000_by_100000_pixels() -> None:
    # FFV1 carries no frame size of its own, so the AVI header's size is the one FFmpeg sees.
    data = set_avi_frame_size(make_video("avi", "ffv1"), 100_000, 100_000)
    result = fingerprint_video(data)
    assert result.error_kind == VideoErrorKind.FRAME_TOO_LARGE
    assert "100000x100000" in (result.error or "")
    assert result.frames == ()


def test_frames_of_100000_by_100000_twice_in_a_row() -> None:
    # FFmpeg's identical messages must not be folded away between two videos.
    data = set_avi_frame_size(make_video("avi", "ffv1"), 100_000, 100_000)
    kinds = [fingerprint_video(data).error_kind for _ in range(2)]
    assert kinds == [VideoErrorKind.FRAME_TOO_LARGE] * 2


def test_a_run_over_every_bad_input_goes_on(mp4_video: bytes, mkv_video: bytes) -> None:
    batch = [
        mp4_video[: len(mp4_video) // 2],
        set_matroska_duration(mkv_video, 36000),
        audio_only(),
        set_avi_fourcc(make_video("avi", "mpeg4"), b"FMP4", b"ZQ9X"),
        set_avi_frame_size(make_video("avi", "ffv1"), 100_000, 100_000),
        mp4_video,
    ]
    results = [fingerprint_video(data) for data in batch]
    assert [r.error_kind is not None for r in results] == [True] * 5 + [False]
    assert results[-1].frames


def test_empty_file() -> None:
    assert fingerprint_video(b"").error_kind == VideoErrorKind.EMPTY


def test_bytes_that_are_no_video() -> None:
    assert fingerprint_video(bytes(range(256)) * 64).error_kind in {
        VideoErrorKind.CORRUPT_CONTAINER,
        VideoErrorKind.UNSUPPORTED_CONTAINER,
    }


def test_other_formats_ffmpeg_knows_are_refused() -> None:
    # A WAV file is something FFmpeg reads, but not a container on the allow-list.
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000)
    result = fingerprint_video(buffer.getvalue())
    assert result.error_kind == VideoErrorKind.UNSUPPORTED_CONTAINER


def test_playlists_never_make_ffmpeg_open_other_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ts"
    secret.write_bytes(b"not for ffmpeg")
    playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{secret.as_uri()}\n#EXT-X-ENDLIST\n"
    result = fingerprint_video(playlist.encode())
    assert result.error_kind in {
        VideoErrorKind.CORRUPT_CONTAINER,
        VideoErrorKind.UNSUPPORTED_CONTAINER,
    }


def test_missing_file_is_an_evidence_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError):
        fingerprint_video(tmp_path / "gone.mp4")
