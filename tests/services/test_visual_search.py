"""Visual links over the national store: PDQ near-duplicates and region search."""

from __future__ import annotations

import random

import pytest
from PIL import Image

from sentinela.errors import AccessDenied
from sentinela.services import region_indexing, visual_search
from sentinela.services.context import ServiceContext
from sentinela.visual.features import NoKeypointsError, Region, RegionError
from tests.services.victim_id_helpers import (
    World,
    add_image,
    make_world,
    open_case,
    planted,
    shapes,
)


def _pdq(base: int, flips: int, rng: random.Random) -> str:
    for bit in rng.sample(range(256), flips):
        base ^= 1 << bit
    return f"{base:064x}"


@pytest.fixture
def world(sqlite_ctx: ServiceContext) -> World:
    w = make_world(sqlite_ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "vera", "A-2", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    rng = random.Random(5)
    base = rng.getrandbits(256)
    query, box = planted(100)
    add_image(w, "A-1", "query", query, pdq=_pdq(base, 0, rng))
    w.boxes["query"] = box
    add_image(w, "A-1", "flat", Image.new("RGB", (256, 256), (120, 130, 140)))
    for n in (101, 102):
        add_image(w, "A-2", f"planted-{n}", planted(n)[0], pdq=_pdq(base, 4, rng))
    for n in (103, 104):
        add_image(w, "B-1", f"planted-{n}", planted(n)[0], pdq=_pdq(base, 6, rng))
    for n in range(5):
        add_image(w, "A-2", f"plain-{n}", shapes(200 + n), pdq=_pdq(rng.getrandbits(256), 0, rng))
    return w


def test_pdq_near_duplicates_across_the_country(world: World) -> None:
    found = visual_search.similar_media(world.as_("vera"), "A-1", world.media["query"])
    assert {h.media_id for h in found.hits} == {
        world.media["planted-101"],
        world.media["planted-102"],
    }
    assert all(h.case_number == "A-2" and h.score == 4 for h in found.hits)
    assert (found.hidden.count, found.hidden.units) == (2, ("Unit B",))


def test_region_search_finds_the_planted_object(world: World) -> None:
    report = region_indexing.index_regions(world.as_("admin"))
    assert report.added_images >= 10 and report.without_keypoints == 1  # the flat picture
    again = region_indexing.index_regions(world.as_("admin"))
    assert again.added_images == 0 and again.indexed_images == report.indexed_images
    x, y, w, h = world.boxes["query"]
    found = visual_search.region_search(
        world.as_("vera"), "A-1", world.media["query"], Region(x, y, w, h)
    )
    assert {hit.media_id for hit in found.hits} == {
        world.media["planted-101"],
        world.media["planted-102"],
    }
    assert all(hit.score >= 12 for hit in found.hits)
    assert (found.hidden.count, found.hidden.units) == (2, ("Unit B",))
    assert found.query_keypoints > 20 and found.indexed_images == report.indexed_images


def test_region_search_refuses_bad_regions(world: World) -> None:
    vera, query = world.as_("vera"), world.media["query"]
    with pytest.raises(RegionError, match="empty"):
        visual_search.region_search(vera, "A-1", query, Region(0.2, 0.2, 0, 0.3))
    with pytest.raises(RegionError, match="select at least 16x16"):
        visual_search.region_search(vera, "A-1", query, Region(0.2, 0.2, 0.05, 0.3))
    with pytest.raises(RegionError, match="outside"):
        visual_search.region_search(vera, "A-1", query, Region(0.8, 0.2, 0.5, 0.3))
    with pytest.raises(NoKeypointsError):
        visual_search.region_search(vera, "A-1", world.media["flat"], Region(0.1, 0.1, 0.8, 0.8))
    with pytest.raises(AccessDenied):
        visual_search.region_search(world.as_("viktor"), "A-1", query, Region(0.1, 0.1, 0.5, 0.5))
    with pytest.raises(AccessDenied):
        region_indexing.index_regions(vera)  # a system task: administrators only
