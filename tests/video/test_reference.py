"""Sentinela's vPDQ agrees with Meta's ``vpdq`` reference, and their files cross both ways.

The hash comparison needs the ``vpdq`` package (built against the system FFmpeg: Debian's
``libavcodec-dev`` and friends). The file-format checks also run Meta's C++ tools
``vpdq-hash-video`` and ``match-hashes-brute`` when they are found, on ``PATH`` or in the
folder named by ``SENTINELA_VPDQ_TOOLS`` (build them with CMake from the ``vpdq`` sources).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from sentinela.video import (
    FrameHash,
    compare_videos,
    fingerprint_video,
    from_signal,
    load_vpdq_file,
    save_vpdq_file,
    to_signal,
)
from sentinela.video.rule import hamming
from tests.video.helpers import make_video

vpdq = pytest.importorskip("vpdq")

CASES = [
    ("mp4", "libx264", 96, 72, Fraction(10)),
    ("mp4", "libx264", 98, 70, Fraction(30000, 1001)),
    ("avi", "mpeg4", 96, 72, Fraction(25)),
    ("webm", "libvpx-vp9", 80, 60, Fraction(24)),
    ("matroska", "mjpeg", 64, 48, Fraction(15)),
    ("3gp", "h263", 128, 96, Fraction(15)),
    ("mpeg", "mpeg2video", 96, 72, Fraction(25)),
]


def reference_frames(path: Path) -> list[FrameHash]:
    features = vpdq.computeHash(str(path), seconds_per_hash=1.0, thread_count=1)
    return [FrameHash(f.frame_number, f.quality, f.hex, f.timestamp) for f in features]


@pytest.mark.parametrize(("fmt", "codec", "width", "height", "rate"), CASES)
def test_frame_hashes_agree_with_the_reference(
    fmt: str, codec: str, width: int, height: int, rate: Fraction, tmp_path: Path
) -> None:
    path = tmp_path / f"clip.{fmt}"
    if rate.denominator == 1:
        path.write_bytes(make_video(fmt, codec, width=width, height=height, fps=int(rate)))
    else:
        _with_rate(fmt, codec, width, height, rate, path)
    ours = fingerprint_video(path)
    assert ours.error_kind is None, ours.error
    assert list(ours.frames) == reference_frames(path)


def test_odd_frame_sizes_agree_within_a_few_bits(tmp_path: Path) -> None:
    # For odd widths and heights, FFmpeg 5.1's swscale (which the ``vpdq`` package links
    # here) and FFmpeg 8's (in the PyAV wheel) convert the chroma edge differently, though
    # the decoded planes are identical. The reference itself changes with its FFmpeg; the
    # hashes stay a few bits apart, far inside the match distance of 31.
    path = tmp_path / "odd.avi"
    path.write_bytes(make_video("avi", "mpeg4", width=97, height=71, fps=12))
    ours, theirs = fingerprint_video(path).frames, reference_frames(path)
    assert [(f.frame_number, f.timestamp) for f in ours] == [
        (f.frame_number, f.timestamp) for f in theirs
    ]
    distances = [hamming(a.pdq, b.pdq) for a, b in zip(ours, theirs, strict=True)]
    assert max(distances) <= 8


def _with_rate(fmt: str, codec: str, width: int, height: int, rate: Fraction, path: Path) -> None:
    import av

    from tests.video.helpers import scene

    with av.open(path, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for image in scene(width, height, 100):
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))


def test_threatexchange_reads_our_signal_and_we_read_its(tmp_path: Path) -> None:
    vpdq_signal = pytest.importorskip("threatexchange.extensions.vpdq.vpdq")
    path = tmp_path / "clip.mp4"
    path.write_bytes(make_video(seconds=4))
    theirs = vpdq_signal.VPDQSignal.hash_from_file(path)
    ours = to_signal(fingerprint_video(path).frames)
    assert vpdq_signal.VPDQSignal.compare_hash(ours, theirs).match
    assert [(f.pdq, f.quality) for f in from_signal(theirs)] == [
        (f.pdq, f.quality) for f in from_signal(ours)
    ]


def _tool(name: str) -> str | None:
    folder = os.environ.get("SENTINELA_VPDQ_TOOLS")
    if folder and (Path(folder) / name).is_file():
        return str(Path(folder) / name)
    return shutil.which(name)


def test_the_reference_tools_read_our_files_and_we_read_theirs(tmp_path: Path) -> None:
    hasher, matcher = _tool("vpdq-hash-video"), _tool("match-hashes-brute")
    if hasher is None or matcher is None:
        pytest.skip("Meta's vpdq C++ tools are not built (see the module docstring)")
    video = tmp_path / "clip.mp4"
    video.write_bytes(make_video(seconds=4))
    theirs_path, ours_path = tmp_path / "theirs.txt", tmp_path / "ours.txt"
    subprocess.run(
        [hasher, "-i", str(video), "-o", str(theirs_path), "-r", "1", "-t", "1"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    ours = fingerprint_video(video).frames
    theirs = load_vpdq_file(theirs_path)
    assert [(f.frame_number, f.quality, f.pdq) for f in theirs] == [
        (f.frame_number, f.quality, f.pdq) for f in ours
    ]
    assert [f.timestamp for f in theirs] == [round(f.timestamp, 3) for f in ours]
    save_vpdq_file(ours_path, ours)
    assert ours_path.read_text() == theirs_path.read_text()
    done = subprocess.run(
        [matcher, str(ours_path), str(theirs_path), "32", "50"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "100.00 Percentage Query Video match" in done.stdout
    assert compare_videos(ours, theirs) is not None
