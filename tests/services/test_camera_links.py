"""Camera links across cases, split by need-to-know, and the GPS plot drawn offline."""

from __future__ import annotations

import pytest

from sentinela.errors import AccessDenied
from sentinela.services import camera_links
from sentinela.services.context import ServiceContext
from tests.services.victim_id_helpers import (
    Camera,
    World,
    add_image,
    make_world,
    open_case,
    shapes,
)

CANON = Camera("Canon", "EOS 5D", "SN-123")


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    w = make_world(ctx)
    open_case(w, "vera", "A-1", "Unit A")
    open_case(w, "vera", "A-2", "Unit A")
    open_case(w, "viktor", "B-1", "Unit B")
    add_image(w, "A-1", "query", shapes(1), camera=CANON, gps=(38.7223, -9.1393))
    add_image(w, "A-2", "same-body", shapes(2), camera=CANON, gps=(38.7300, -9.1500))
    add_image(w, "A-2", "other-model", shapes(3), camera=Camera("Nikon", "D90", "SN-123"))
    add_image(w, "B-1", "hidden", shapes(4), camera=CANON, gps=(41.15, -8.61))
    add_image(w, "A-2", "unrelated", shapes(5), camera=Camera("Canon", "EOS 5D", "SN-999"))
    return w


def test_links_by_serial_and_by_body(world: World) -> None:
    links = camera_links.camera_links(world.as_("vera"), "A-1", world.media["query"])
    assert links.camera_serial == "SN-123"
    by_id = {line.media_id: line for line in links.links}
    assert set(by_id) == {world.media["same-body"], world.media["other-model"]}
    assert by_id[world.media["same-body"]].same_body
    assert not by_id[world.media["other-model"]].same_body
    assert by_id[world.media["same-body"]].case_number == "A-2"
    assert (links.hidden.count, links.hidden.units) == (1, ("Unit B",))
    assert [(p.media_id, p.is_query) for p in links.gps_points] == [
        (world.media["query"], True),
        (world.media["same-body"], False),
    ]


def test_gps_plot_is_an_svg_made_offline(world: World) -> None:
    svg = camera_links.gps_plot(world.as_("vera"), "A-1", world.media["query"]).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<image" not in svg  # no raster tiles, nothing fetched
    assert "Camera SN-123" in svg
    assert "41.15" not in svg  # the hidden case's position is not drawn


def test_camera_links_need_membership(world: World) -> None:
    with pytest.raises(AccessDenied):
        camera_links.camera_links(world.as_("viktor"), "A-1", world.media["query"])
    with pytest.raises(AccessDenied):  # B-1 does not hold A-1's item
        camera_links.camera_links(world.as_("viktor"), "B-1", world.media["query"])
