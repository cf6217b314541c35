from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentinela.video import VideoMetadata, fingerprint_video
from sentinela.video.metadata import parse_creation_time
from tests.video.helpers import make_video


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T10:20:30.000000Z", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
        ("2024-05-01T12:20:30+0200", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
        ("2024-05-01 10:20:30", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
        ("1904-01-01T00:00:00Z", None),
        ("1970-01-01T00:00:00Z", None),
        ("yesterday", None),
    ],
)
def test_creation_times(value: str, expected: datetime | None) -> None:
    assert parse_creation_time(value) == expected


def test_phone_creation_date_wins_over_the_container_time() -> None:
    data = make_video(
        "mov",
        metadata={
            "creation_time": "2024-06-01T00:00:00Z",
            "com.apple.quicktime.creationdate": "2024-05-31T21:15:00-0300",
        },
        seconds=1,
        options={"movflags": "use_metadata_tags"},
    )
    metadata = fingerprint_video(data).metadata
    assert metadata is not None
    assert metadata.created_source == "com.apple.quicktime.creationdate"
    assert metadata.created == datetime(2024, 6, 1, 0, 15, tzinfo=UTC)


def test_dict_round_trip() -> None:
    metadata = VideoMetadata(
        container="avi",
        codec="mpeg4",
        width=96,
        height=72,
        created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        audio_codecs=("aac",),
    )
    assert VideoMetadata.from_dict(metadata.to_dict()) == metadata
