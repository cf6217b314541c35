"""A video's keyframe strip on the media page: blurred by default, one frame revealed by POST.

Keyframes are generated images (numpy), stored in the vault as the ingest stores them.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
from PIL import Image
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.video import VideoFingerprint, VideoKeyframe
from sentinela.db.workspace import ExposureEvent
from sentinela.services.exposure import open_vault
from tests.services.workspace_helpers import seed_case
from tests.web.conftest import Web


def _jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (72, 128, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def _strip(web: Web, media_id: int, frames: int = 3) -> None:
    vault = open_vault(web.ctx.settings)
    with web.ctx.transaction() as session:
        for position in range(frames):
            data = _jpeg(position)
            sha = hashlib.sha256(data).hexdigest()
            vault.put(sha, data)
            session.add(
                VideoKeyframe(
                    media_id=media_id,
                    position=position,
                    frame_number=position * 30,
                    timestamp=float(position),
                    is_key=position == 0,
                    jpeg_sha256=sha,
                )
            )
        session.add(
            VideoFingerprint(
                media_id=media_id,
                vpdq="",
                frame_count=frames,
                keyframe_count=frames,
                duration_s=float(frames),
                declared_duration_s=36000.0,
                codec="h264",
                container="mp4",
                width=128,
                height=72,
                created_at="2026-01-02T03:04:05+00:00",
            )
        )


def test_strip_is_blurred_and_one_frame_is_revealed(web: Web) -> None:
    item = web.case.groups[0][0]
    _strip(web, item)
    alice = web.sign_in("alice")
    page = alice.http.get(f"/cases/C-1/media/{item}.json").json()
    assert [k["position"] for k in page["keyframes"]] == [0, 1, 2]
    assert page["video"]["codec"] == "h264" and page["video"]["duration_s"] == 3.0
    html = alice.http.get(f"/cases/C-1/media/{item}").text
    assert "header claims 36000.0 s" in html and "2026-01-02T03:04:05+00:00" in html
    html = alice.http.get(f"/cases/C-1/media/{item}").text
    assert f'src="/cases/C-1/media/{item}/keyframes/1"' in html
    assert f'action="/cases/C-1/media/{item}/keyframes/2/reveal"' in html
    blurred = alice.http.get(f"/cases/C-1/media/{item}/keyframes/1")
    assert blurred.headers["content-type"] == "image/jpeg"
    assert blurred.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(blurred.content)).mode == "L"
    assert alice.http.get(f"/cases/C-1/media/{item}/keyframes/1/reveal").status_code == 405
    revealed = alice.post(f"/cases/C-1/media/{item}/keyframes/1/reveal")
    assert Image.open(io.BytesIO(revealed.content)).mode == "RGB"
    assert alice.http.get(f"/cases/C-1/media/{item}/keyframes/7").status_code == 404
    with web.ctx.transaction() as session:
        modes = list(session.execute(select(ExposureEvent.mode)).scalars())
        actions = list(
            session.execute(
                select(AuditEvent.action, AuditEvent.details).where(
                    AuditEvent.action.like("media.keyframe%")
                )
            )
        )
    assert modes == ["blurred", "revealed"]
    assert [a for a, _ in actions] == ["media.keyframe", "media.keyframe_reveal"]
    mine = alice.http.get("/exposure.json").json()
    assert (mine["blurred"], mine["revealed"]) == (1, 1)


def test_keyframes_of_a_foreign_video_are_403(web: Web) -> None:
    other = seed_case(web.ctx, "C-2", group_sizes=(1,), members=(), seed=3)
    foreign = other.groups[0][0]
    _strip(web, foreign, frames=1)
    bob = web.sign_in("bob")  # a member of C-1 only
    assert bob.http.get(f"/cases/C-1/media/{foreign}/keyframes/0").status_code == 403
    assert bob.http.get(f"/cases/C-2/media/{foreign}/keyframes/0").status_code == 403
    assert bob.post(f"/cases/C-2/media/{foreign}/keyframes/0/reveal").status_code == 403
    with web.ctx.transaction() as session:
        assert list(session.execute(select(ExposureEvent)).scalars()) == []
