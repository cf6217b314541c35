"""Image adapters: split segments read as one image, read-only."""

from __future__ import annotations

from pathlib import Path

from sentinela.evidence.disk_image import SegmentsImage


def test_reads_span_segment_boundaries(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    parts = [data[:1000], data[1000:1001], data[1001:]]
    paths = []
    for number, part in enumerate(parts, start=1):
        path = tmp_path / f"img.{number:03d}"
        path.write_bytes(part)
        paths.append(path)
    image = SegmentsImage(paths)
    try:
        assert image.get_size() == len(data)
        assert image.read(0, len(data)) == data
        assert image.read(990, 20) == data[990:1010]
        assert image.read(len(data) - 5, 100) == data[-5:]
        assert image.read(len(data), 10) == b""
    finally:
        image.close()
