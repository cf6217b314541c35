"""write_batch: a replayed batch adds nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sentinela.evidence.entries import Entry
from sentinela.ingest.batch import Batch, write_batch
from sentinela.ingest.jobs import open_job
from sentinela.ingest.results import add_result
from sentinela.ingest.resume import path_key
from sentinela.services.context import ServiceContext
from tests.ingest.helpers import counts, image_folder, open_case, register

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _result(sha: str, size: int, metadata: dict[str, object] | None = None) -> dict[str, object]:
    return {
        "key": "",
        "ok": True,
        "stored": True,
        "thumbnail": False,
        "hashes": {
            "sha256": sha,
            "md5": "0" * 32,
            "sha1": "0" * 40,
            "size": size,
            "mime": "text/plain",
            "family": "document",
            "metadata": metadata,
        },
    }


def test_replayed_batch_adds_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    image_folder(tmp_path / "x", 1)
    open_case(ctx)
    register(ctx, tmp_path / "x")
    job = open_job(ctx, "C1", 1, "EXH-001", "inline", 1)
    batch = Batch()
    for n, sha in enumerate(["a" * 64, "b" * 64, "a" * 64]):
        entry = Entry(f"f{n}\x00\udce9", 3, lambda: None)  # type: ignore[arg-type, return-value]
        add_result(batch, path_key(entry.path), entry, _result(sha, 3, {"make": "Cam"}))
    batch.errors.append(
        {"path": "bad", "path_key": path_key("bad"), "code": "unreadable", "message": "m"}
    )

    with ctx.transaction() as session:
        first = write_batch(session, batch, exhibit_id=1, job_id=job.id, now=NOW)
    with ctx.transaction() as session:
        replay = write_batch(session, batch, exhibit_id=1, job_id=job.id, now=NOW)

    assert (first, replay) == (2, 0)
    stored = counts(ctx)
    assert (stored["media"], stored["occurrences"], stored["entry_errors"]) == (2, 3, 1)
    assert stored["media_metadata"] == 2
    assert batch.digest() == Batch(occurrences=batch.occurrences, errors=batch.errors).digest()
