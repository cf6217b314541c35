"""The "similar" page of a video item lists matching videos, over HTTP."""

from __future__ import annotations

from tests.services.victim_id_helpers import make_world, open_case
from tests.services.video_link_helpers import add_video, copy_of, frames
from tests.web.conftest import Web


def test_similar_page_shows_matching_videos(web: Web) -> None:
    world = make_world(web.ctx)
    open_case(world, "vera", "A-1", "Unit A")
    open_case(world, "vera", "A-2", "Unit A")
    open_case(world, "viktor", "B-1", "Unit B")
    source = frames(1, 10)
    query = add_video(web.ctx, "A-1", "query", source)
    copy = add_video(web.ctx, "A-2", "copy", copy_of(source, 2, 9, 5))
    add_video(web.ctx, "B-1", "hidden", copy_of(source, 0, 10, 5, seed=3))
    add_video(web.ctx, "A-2", "other", frames(2, 10))
    vera = web.sign_in("vera")
    base = f"/cases/A-1/media/{query}/similar"
    data = vera.http.get(f"{base}.json").json()
    assert data["hits"] == [] and [v["media_id"] for v in data["videos"]] == [copy]
    assert data["videos"][0]["case_number"] == "A-2"
    assert (data["hidden"]["count"], data["hidden"]["units"]) == (1, ["Unit B"])
    page = vera.http.get(base)
    assert page.status_code == 200 and 'id="video-hits"' in page.text
    assert f'data-media="{copy}"' in page.text and "owning units: Unit B" in page.text
    viktor = web.sign_in("viktor")
    assert viktor.http.get(f"{base}.json").status_code == 403
