from __future__ import annotations

import pytest

from sentinela.errors import InvalidHashError
from sentinela.video import FrameHash, prepare_for_matching

A, B, C = "a" * 64, "b" * 64, "c" * 64


def test_low_quality_frames_are_dropped_then_duplicates() -> None:
    frames = [
        FrameHash(0, 10, A, 0.0),
        FrameHash(1, 90, B, 1.0),
        FrameHash(2, 90, A, 2.0),
        FrameHash(3, 90, B, 3.0),
        FrameHash(4, 50, C, 4.0),
    ]
    kept = prepare_for_matching(frames)
    assert [f.frame_number for f in kept] == [1, 2, 4]


@pytest.mark.parametrize(
    "args",
    [(0, 50, "A" * 64, 0.0), (0, 50, "a" * 63, 0.0), (0, 101, A, 0.0), (-1, 50, A, 0.0)],
)
def test_invalid_frames_are_refused(args: tuple[int, int, str, float]) -> None:
    with pytest.raises(InvalidHashError):
        FrameHash(*args)


def test_dict_round_trip_and_errors() -> None:
    frame = FrameHash(3, 77, A, 0.1)
    assert FrameHash.from_dict(frame.to_dict()) == frame
    with pytest.raises(InvalidHashError):
        FrameHash.from_dict({"frame_number": 1})
