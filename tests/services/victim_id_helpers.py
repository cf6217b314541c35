"""Builders for the victim-identification tests: units, cases and generated benign pictures.

Every picture is drawn by code: coloured shapes on a plain background. The "object" that
region search looks for is another drawing of shapes (a stand-in for a poster or a toy),
pasted at a random place, scale and angle. Camera metadata and GPS are made-up values.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw
from sqlalchemy import select

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.media import Media, MediaMetadata, Occurrence
from sentinela.services import cases
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.users import add_user
from sentinela.vault import make_thumbnail

#: The people of the tests: (name, roles, unit).
PEOPLE = (
    ("vera", ["victim_id_specialist"], "Unit A"),
    ("viktor", ["victim_id_specialist"], "Unit B"),
    ("ivan", ["investigator"], "Unit C"),
)


def shapes(seed: int, size: int = 256, *, count: int = 25) -> Image.Image:
    """A benign generated picture: random ellipses and rectangles on a plain background."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(img)
    for _ in range(count):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        w, h = (int(v) for v in rng.integers(5, size // 3, 2))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, x0 + w, y0 + h), fill=colour)
    return img


def sticker(seed: int = 999, size: int = 96) -> Image.Image:
    """The planted object: a dense little drawing on a pale card."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (size, size), (250, 250, 240))
    draw = ImageDraw.Draw(img)
    for _ in range(30):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        w, h = (int(v) for v in rng.integers(3, size // 4, 2))
        colour = tuple(int(v) for v in rng.integers(0, 200, 3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, x0 + w, y0 + h), fill=colour)
    return img


def planted(seed: int, size: int = 256) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """A picture with the sticker pasted in, and the sticker's box as fractions (x, y, w, h)."""
    rng = np.random.default_rng(seed + 12345)
    img = shapes(seed, size)
    obj = sticker()
    scale, angle = rng.uniform(0.8, 1.25), rng.uniform(-30, 30)
    obj = obj.resize((int(obj.width * scale), int(obj.height * scale)))
    obj = obj.rotate(angle, expand=True, fillcolor=(250, 250, 240))
    x, y = (int(v) for v in rng.integers(0, size - max(obj.size), 2))
    img.paste(obj, (x, y))
    return img, (x / size, y / size, obj.width / size, obj.height / size)


def jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92)
    return out.getvalue()


@dataclass
class Camera:
    make: str
    model: str
    serial: str


@dataclass
class World:
    """Three specialists/investigators in three units; cases are opened per test."""

    ctx: ServiceContext
    media: dict[str, int] = field(default_factory=dict)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)

    def as_(self, username: str) -> ServiceContext:
        return self.ctx.with_actor(username)


def make_world(ctx: ServiceContext) -> World:
    """Add the :data:`PEOPLE` to an initialised context (from ``tests/conftest.py``)."""
    admin = ctx.with_actor("admin")
    for name, roles, unit in PEOPLE:
        add_user(admin, name, roles=roles, unit=unit)
    return World(ctx)


def open_case(
    world: World, lead: str, number: str, unit: str, members: tuple[str, ...] = ()
) -> None:
    """A case led by ``lead``, with one exhibit ``EXH-1``."""
    ctx = world.as_(lead)
    cases.create_case(ctx, number, title=f"Case {number}", unit=unit)
    for member in members:
        cases.add_member(ctx, number, member)
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        session.add(
            Exhibit(
                case_id=case.id,
                label="EXH-1",
                kind="folder",
                source_path=f"/evidence/{number}",
                size_bytes=0,
                sha256=hashlib.sha256(number.encode()).hexdigest(),
                md5="0" * 32,
                registered_at=ctx.clock(),
                registered_by=ctx.actor(session).id,
            )
        )


def add_image(
    world: World,
    number: str,
    name: str,
    img: Image.Image,
    *,
    camera: Camera | None = None,
    gps: tuple[float, float] | None = None,
    pdq: str | None = None,
    media_id: int | None = None,
) -> int:
    """Store a picture in the vault (original and thumbnail) and hold it in case ``number``.

    With ``media_id``, the case holds that existing item instead (same content, new place).
    """
    ctx = world.ctx
    with ctx.transaction() as session:
        case = session.execute(select(Case).where(Case.number == number)).scalar_one()
        exhibit = session.execute(select(Exhibit).where(Exhibit.case_id == case.id)).scalar_one()
        now = ctx.clock()
        if media_id is None:
            data = jpeg(img)
            sha = hashlib.sha256(data).hexdigest()
            vault = open_vault(ctx.settings)
            vault.put(sha, data, kind="media")
            vault.put(sha, make_thumbnail(img), kind="thumbnail")
            media = Media(
                sha256=sha,
                sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324 - content identifier
                md5=hashlib.md5(data).hexdigest(),  # noqa: S324
                size=len(data),
                mime="image/jpeg",
                family="image",
                width=img.width,
                height=img.height,
                pdq=pdq,
                pdq_quality=100 if pdq else None,
                vault_stored=True,
                has_thumbnail=True,
                first_seen_at=now,
                first_exhibit_id=exhibit.id,
            )
            session.add(media)
            session.flush()
            media_id = media.id
            if camera is not None or gps is not None:
                session.add(
                    MediaMetadata(
                        media_id=media.id,
                        camera_make=camera.make if camera else None,
                        camera_model=camera.model if camera else None,
                        camera_serial=camera.serial if camera else None,
                        gps_lat=gps[0] if gps else None,
                        gps_lon=gps[1] if gps else None,
                    )
                )
        path = f"/photos/{name}.jpg"
        session.add(
            Occurrence(
                media_id=media_id,
                exhibit_id=exhibit.id,
                path=path,
                path_key=hashlib.sha256(path.encode()).hexdigest(),
                found_at=now,
            )
        )
    world.media[name] = media_id
    return media_id
