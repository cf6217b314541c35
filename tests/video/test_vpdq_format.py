from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sentinela.errors import FormatError
from sentinela.video import (
    FrameHash,
    from_signal,
    load_vpdq_file,
    read_vpdq,
    save_vpdq_file,
    to_signal,
    write_vpdq,
)
from tests.video.helpers import random_frames

# Three lines of Meta's vpdq/sample-hashes/chair-19-sd-bar-128x128.txt (every frame hashed).
REFERENCE_LINES = (
    "0,100,e2f1017837246bacc5dea21b648fbfd62f435c89db299a2497667e216c8d055c,0.000\n"
    "1,100,c0f113783f2468acc1de825b448fbfd66f434c89cb699a249776fe216c8d855c,0.033\n"
    "2,100,c0f10f783f2c78acc1dea25b748f3fd22f414d89c9a19b249776f621648d855c,0.067\n"
)


def test_reads_the_reference_sample_file_and_writes_it_back_identically() -> None:
    frames = read_vpdq(REFERENCE_LINES)
    assert [f.frame_number for f in frames] == [0, 1, 2]
    assert frames[1].timestamp == pytest.approx(0.033)
    assert write_vpdq(frames) == REFERENCE_LINES


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    frames = random_frames(np.random.default_rng(1), 5)
    path = tmp_path / "clip.txt"
    save_vpdq_file(path, frames)
    assert load_vpdq_file(path) == frames


def test_timestamps_are_written_to_three_decimals() -> None:
    frame = FrameHash(29, 80, "0" * 64, 0.9676333)
    assert write_vpdq([frame]) == f"29,80,{'0' * 64},0.968\n"


def test_upper_case_and_crlf_are_accepted() -> None:
    text = REFERENCE_LINES.upper().replace("\n", "\r\n")
    assert read_vpdq(text) == read_vpdq(REFERENCE_LINES)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("0,100,abc,0.000\n", "line 1"),
        (REFERENCE_LINES + "3,100,zz" + "0" * 62 + ",0.1\n", "line 4"),
        (REFERENCE_LINES + "x,100," + "0" * 64 + ",0.1\n", "line 4"),
        ("0,101," + "0" * 64 + ",0.0\n", "line 1"),
        ("0,100," + "0" * 64 + ",nan\n", "line 1"),
        ("0,100," + "0" * 64 + "\n", "line 1"),
        ("-1,100," + "0" * 64 + ",0.0\n", "line 1"),
    ],
)
def test_malformed_lines_are_refused_with_their_number(text: str, position: str) -> None:
    with pytest.raises(FormatError, match=position):
        read_vpdq(text, path="q.txt")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FormatError, match="no frame hashes"):
        read_vpdq("\n\n")


def test_a_binary_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FormatError):
        load_vpdq_file(path)


def test_threatexchange_signal_round_trip() -> None:
    frames = random_frames(np.random.default_rng(2), 4)
    again = from_signal(to_signal(frames))
    assert [(f.pdq, f.quality, f.timestamp) for f in again] == [
        (f.pdq, f.quality, f.timestamp) for f in frames
    ]
    assert [f.frame_number for f in again] == [0, 1, 2, 3]


def test_threatexchange_parses_our_signal() -> None:
    vpdq_util = pytest.importorskip("threatexchange.extensions.vpdq.vpdq_util")
    frames = random_frames(np.random.default_rng(3), 3)
    parsed = vpdq_util.json_to_vpdq(to_signal(frames))
    assert [p.pdq_hex for p in parsed] == [f.pdq for f in frames]


@pytest.mark.parametrize("signal", ["{", "{}", '["abc"]', "[1]", '["' + "0" * 64 + ',x,1.0"]'])
def test_malformed_signals_are_refused(signal: str) -> None:
    with pytest.raises(FormatError):
        from_signal(signal)
