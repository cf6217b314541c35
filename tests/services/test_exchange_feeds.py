"""The ICSE feed: three deltas in a row, provable completeness, unmapped categories, damage."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from sentinela.db.exchange import Feed, FeedItem
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.formats.icse_csv import IcseCsvImporter
from sentinela.formats.records import Category, HashRecord
from sentinela.services.context import ServiceContext
from sentinela.services.feed_chain import FeedChainError
from sentinela.services.feed_destinations import (
    UnmappedCategoriesError,
    add_destination,
    map_destination,
)
from sentinela.services.feed_resolution import quarantine_orphans, repair_feed, void_feed
from sentinela.services.feeds import build_feed, list_feeds, verify_feeds
from tests.services.exchange_helpers import (
    add_specialist,
    classify,
    link_series,
    seed_exchange_case,
)

MAPPING = ["project_vic_us:1=baseline", "project_vic_us:2=not_baseline", "project_vic_us:0=-"]


def _icse(ctx: ServiceContext, **kwargs: object) -> ServiceContext:
    vic = add_specialist(ctx)
    add_destination(
        vic,
        "icse",
        format="icse_csv",
        scheme="interpol_baseline",
        mapping=MAPPING,
        reviewed_by="Head of VID (synthetic)",
        agency="Example Police",
        **kwargs,
    )  # type: ignore[arg-type]
    return vic


def _rows(package: str) -> list[HashRecord]:
    (data,) = Path(package).glob("*.csv")
    return [r for r in IcseCsvImporter().iter_records(data) if isinstance(r, HashRecord)]


def _manifest(package: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((Path(package) / "manifest.json").read_text())
    return loaded


def test_three_feeds_in_a_row(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=4)
    vic = _icse(ctx)
    a, b, c, d = seeded.media
    classify(ctx, a, "1")
    classify(ctx, b, "2")
    classify(ctx, c, "0")  # excluded on purpose: never sent
    first = build_feed(vic, "icse")
    assert (first.sequence, first.new, first.updated, first.withdrawn) == (1, 2, 0, 0)
    rows = _rows(first.package_dir)
    assert [(r.source_id, r.baseline) for r in rows] == [(str(a), True), (str(b), False)]
    assert rows[0].category == Category("interpol_baseline", "baseline")
    assert _manifest(first.package_dir)["previous"] is None

    classify(ctx, d, "1")  # new
    link_series(ctx, seeded.number, a, "Series Alpha", identified=True)  # updated: series, victim
    classify(ctx, b, "0")  # now excluded: withdrawn
    second = build_feed(vic, "icse")
    assert (second.sequence, second.new, second.updated, second.withdrawn) == (2, 1, 1, 1)
    rows = _rows(second.package_dir)
    assert [r.source_id for r in rows] == [str(a), str(d)]
    assert (rows[0].series, rows[0].victim_identified) == ("Series Alpha", True)
    manifest = _manifest(second.package_dir)
    assert manifest["withdrawn"] == [str(b)]
    assert manifest["previous"] == {"sequence": 1, "manifest_sha256": first.manifest_sha256}
    assert second.previous_manifest_sha256 == first.manifest_sha256

    third = build_feed(vic, "icse")
    assert (third.sequence, third.new, third.updated, third.withdrawn, third.state_count) == (
        3,
        0,
        0,
        0,
        2,
    )
    assert _rows(third.package_dir) == []
    assert third.state_digest == second.state_digest
    report = verify_feeds(vic, "icse")
    assert report.ok, report.lines()
    assert [f.sequence for f in list_feeds(vic, "icse")] == [1, 2, 3]


def test_icse_csv_layout_of_a_feed(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    feed = build_feed(vic, "icse")
    (data,) = Path(feed.package_dir).glob("*.csv")
    header, row = list(csv.reader(data.open(newline=""), delimiter=";"))
    assert len(header) == 16 and header[-1] == "Baseline"
    assert row[0] == row[0].lower() and len(row[0]) == 32
    assert row[11:] == ["Example Police", "1", "False", "Image", "Yes"]


def test_unmapped_categories_are_listed_and_nothing_is_sent(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=3)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "3")
    classify(ctx, seeded.media[1], "3")
    classify(ctx, seeded.media[2], "4")
    with pytest.raises(UnmappedCategoriesError) as caught:
        build_feed(vic, "icse")
    assert caught.value.unmapped == {"project_vic_us:3": 2, "project_vic_us:4": 1}
    assert "project_vic_us:3 (2 items)" in str(caught.value)
    assert list_feeds(vic, "icse") == []
    map_destination(
        vic, "icse", mapping=["project_vic_us:3=-", "project_vic_us:4=-"], reviewed_by="Head"
    )
    assert build_feed(vic, "icse").new == 0


def test_bad_destinations_and_roles(ctx: ServiceContext) -> None:
    vic = add_specialist(ctx)
    with pytest.raises(AccessDenied):
        add_destination(
            ctx, "p1", format="icse_csv", scheme="interpol_baseline", mapping=[], reviewed_by="x"
        )
    with pytest.raises(InvalidInputError, match="reviewed"):
        add_destination(
            vic, "p1", format="icse_csv", scheme="interpol_baseline", mapping=[], reviewed_by=" "
        )
    with pytest.raises(InvalidInputError, match="unknown category code"):
        add_destination(
            vic,
            "p1",
            format="icse_csv",
            scheme="interpol_baseline",
            mapping=["project_vic_us:1=maybe"],
            reviewed_by="x",
        )
    with pytest.raises(InvalidInputError):
        add_destination(vic, "p1", format="icse_csv", scheme="uk", mapping=[], reviewed_by="x")
    add_destination(
        vic,
        "partner-uk",
        format="vics2_media",
        scheme="uk_caid",
        mapping=["project_vic_us:1=1"],
        reviewed_by="x",
    )


def test_a_damaged_package_stops_the_next_feed_until_repaired(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    first = build_feed(vic, "icse")
    (data,) = Path(first.package_dir).glob("*.csv")
    original = data.read_bytes()
    data.write_bytes(original.replace(b";Yes", b";No"))
    classify(ctx, seeded.media[1], "2")
    with pytest.raises(FeedChainError, match="content differs"):
        build_feed(vic, "icse")
    with pytest.raises(InvalidInputError, match="note"):
        repair_feed(vic, "icse", 1, note="")
    repair_feed(vic, "icse", 1, note="package edited on the transfer share")
    assert data.read_bytes() == original
    assert verify_feeds(vic, "icse").ok
    assert build_feed(vic, "icse").new == 1


def test_a_lost_head_package_can_be_voided_and_its_items_are_sent_again(
    ctx: ServiceContext,
) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    build_feed(vic, "icse")
    classify(ctx, seeded.media[1], "1")
    second = build_feed(vic, "icse")
    (Path(second.package_dir) / "manifest.json").unlink()
    report = verify_feeds(vic, "icse")
    assert not report.ok and 2 in report.problems
    with pytest.raises(FeedChainError):
        build_feed(vic, "icse")
    with pytest.raises(InvalidInputError, match="newest"):
        void_feed(vic, "icse", 1, note="wrong one")
    void_feed(vic, "icse", 2, note="never delivered")
    third = build_feed(vic, "icse")
    assert (third.sequence, third.new, third.previous_manifest_sha256) == (3, 1, _first_sha(vic))
    assert verify_feeds(vic, "icse").ok


def _first_sha(vic: ServiceContext) -> str:
    return list_feeds(vic, "icse")[0].manifest_sha256


def test_a_tampered_database_record_is_detected_and_cannot_be_repaired(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    build_feed(vic, "icse")
    with ctx.transaction() as session:
        item = session.execute(select(FeedItem)).scalar_one()
        item.state = item.state.replace(
            "interpol_baseline:baseline", "interpol_baseline:not_baseline"
        )
    report = verify_feeds(vic, "icse")
    assert any("disagree" in line for line in report.lines())
    with pytest.raises(FeedChainError, match="byte for byte"):
        repair_feed(vic, "icse", 1, note="try")


def test_an_orphan_package_blocks_until_quarantined(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    first = build_feed(vic, "icse")
    orphan = Path(first.package_dir).with_name("icse-000002.partial")
    orphan.mkdir()
    with pytest.raises(FeedChainError, match="orphan"):
        build_feed(vic, "icse")
    (moved,) = quarantine_orphans(vic, "icse", note="crashed build on 2026-03-01")
    assert Path(moved).is_dir() and not orphan.exists()
    assert build_feed(vic, "icse").sequence == 2


def test_a_missing_feed_record_breaks_the_chain(ctx: ServiceContext) -> None:
    seeded = seed_exchange_case(ctx, items=1)
    vic = _icse(ctx)
    classify(ctx, seeded.media[0], "1")
    build_feed(vic, "icse")
    build_feed(vic, "icse")
    with ctx.transaction() as session:
        first = session.execute(select(Feed).where(Feed.sequence == 1)).scalar_one()
        session.execute(
            update(FeedItem).where(FeedItem.feed_id == first.id).values(feed_id=first.id)
        )
        first.sequence = 7
    lines = verify_feeds(vic, "icse").lines()
    assert any("expected sequence 1" in line for line in lines)
