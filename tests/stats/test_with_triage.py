"""Known at ingest, end to end: a real hash-set import, real triage, then a removal.

The real re-triage deletes the match row of an entry that left its set; the statistics must
still count the file ingested while the entry was live (the digest itself decides), and must
not count a copy ingested after the removal.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from sentinela.clock import FakeClock
from sentinela.db.hashsets import MediaMatch
from sentinela.services.case_matching import match_case
from sentinela.services.context import ServiceContext
from sentinela.services.hashsets import ImportRequest, import_hash_set
from sentinela.stats.catalogue import build_metric_registry
from sentinela.stats.period import Scope, parse_period
from tests.services.known_helpers import drawing, encode, hold


def _import(ctx: ServiceContext, path: Path, lines: list[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    import_hash_set(
        ctx, path, ImportRequest(name="agency", hash_type="sha256", scheme="uk", code="A")
    )


def _by_unit(ctx: ServiceContext, clock: FakeClock) -> tuple[object, ...]:
    metric = build_metric_registry().get("media_ingested")
    with ctx.transaction() as session:
        result = metric.compute(session, Scope(parse_period("2026-03"), None, clock.now))
    return result.table("by_unit").rows[-1]


def test_known_at_ingest_survives_the_removal_of_its_entry(
    sqlite_ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    ctx = sqlite_ctx
    known, other = encode(drawing(1)), encode(drawing(2))
    _import(ctx, tmp_path / "v1.txt", [hashlib.sha256(known).hexdigest()])
    clock.advance(timedelta(hours=1))
    hold(ctx, "C-1", {"/known.jpg": known, "/other.jpg": other})
    match_case(ctx, "C-1")
    # files, distinct, new to store, categorised, benign, not known, share, distinct known
    assert _by_unit(ctx, clock)[1:] == (2, 2, 2, 1, 0, 1, 0.5, 1)

    clock.advance(timedelta(hours=1))
    _import(ctx, tmp_path / "v2.txt", [hashlib.sha256(b"something else").hexdigest()])
    match_case(ctx, "C-1")
    with ctx.transaction() as session:
        assert session.execute(select(func.count(MediaMatch.id))).scalar_one() == 0
    clock.advance(timedelta(hours=1))
    hold(ctx, "C-2", {"/again.jpg": known})
    # The first copy stays known at ingest; the copy ingested after the removal is not.
    assert _by_unit(ctx, clock)[1:] == (3, 2, 2, 1, 0, 2, 1 / 3, 1)
