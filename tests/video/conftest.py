"""Fixtures of the video tests: small generated videos, encoded once per session."""

from __future__ import annotations

import pytest

from tests.video.helpers import make_video


@pytest.fixture(scope="session")
def mp4_video() -> bytes:
    """A 3-second, 96x72, 10 fps H.264 MP4 of moving shapes."""
    return make_video("mp4", "libx264", metadata={"creation_time": "2024-05-01T10:20:30Z"})


@pytest.fixture(scope="session")
def mkv_video() -> bytes:
    """The same scene as a Matroska file."""
    return make_video("matroska", "libx264")
