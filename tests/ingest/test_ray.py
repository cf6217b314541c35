"""The Ray executor on a local Ray instance gives the same store as the inline executor."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.services.context import ServiceContext
from tests.evidence.helpers import simple_zip
from tests.ingest.helpers import (
    counts,
    image_folder,
    jpeg,
    occurrences,
    open_case,
    register,
    write_tree,
)

ray = pytest.importorskip("ray")


def test_ray_executor_on_a_local_instance(sqlite_ctx: ServiceContext, tmp_path: Path) -> None:
    ctx = sqlite_ctx
    image_folder(tmp_path / "a", 6)
    write_tree(tmp_path / "a", {"inner.zip": simple_zip({"x.jpg": jpeg(77)})})
    open_case(ctx)
    register(ctx, tmp_path / "a", "EXH-001")
    register(ctx, tmp_path / "a", "EXH-002")

    reference = ingest_exhibit(ctx, "C1", "EXH-001", IngestOptions(executor="inline"))
    on_ray = ingest_exhibit(ctx, "C1", "EXH-002", IngestOptions(executor="ray", workers=1))

    assert not ray.is_initialized()  # started for the run, shut down after it
    assert (on_ray.status, on_ray.files_done, on_ray.errors) == ("completed", 8, 0)
    assert reference.files_done == 8 and on_ray.media_new == 0
    assert occurrences(ctx, "EXH-002") == occurrences(ctx, "EXH-001")
    assert counts(ctx)["media"] == 8
