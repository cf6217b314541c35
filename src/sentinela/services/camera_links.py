"""Camera links: other media taken by the same camera body, in any case in the country.

Two strengths of link are reported. A match on the EXIF body serial alone can join two
different models that happen to share a serial format; a match on make, model *and* serial
names one camera body. Both are listed, each line marked ``same_body`` when make and model
agree too. Items in cases the user is a member of are listed; the rest are only counted,
with their owning units. The GPS positions of the listed items are plotted on the server
(:mod:`sentinela.services.gps_plot`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.media import Media, MediaMetadata
from sentinela.services.case_media import require_case_media
from sentinela.services.context import ServiceContext
from sentinela.services.deconfliction import camera_media
from sentinela.services.gps_plot import GpsPoint, render_gps_svg
from sentinela.services.permissions import require_member
from sentinela.services.victim_id_access import (
    SEARCH_ROLES,
    HiddenHolders,
    member_cases,
    require_roles,
    split_media,
)


@dataclass(frozen=True)
class CameraLine:
    """A linked item the user may see."""

    media_id: int
    case_number: str
    camera_make: str | None
    camera_model: str | None
    taken_at: str | None
    gps_lat: float | None
    gps_lon: float | None
    same_body: bool
    has_thumbnail: bool


@dataclass(frozen=True)
class CameraLinks:
    """Everything the camera-links page shows for one item."""

    case_number: str
    media_id: int
    camera_make: str | None
    camera_model: str | None
    camera_serial: str | None
    gps_lat: float | None
    gps_lon: float | None
    links: tuple[CameraLine, ...]
    hidden: HiddenHolders

    @property
    def gps_points(self) -> list[GpsPoint]:
        """The item's and the visible links' GPS positions."""
        points = (
            [GpsPoint(self.media_id, self.gps_lat, self.gps_lon, True)]
            if (self.gps_lat is not None and self.gps_lon is not None)
            else []
        )
        points += [
            GpsPoint(line.media_id, line.gps_lat, line.gps_lon)
            for line in self.links
            if line.gps_lat is not None and line.gps_lon is not None
        ]
        return points


def _links(ctx: ServiceContext, case_number: str, media_id: int, action: str) -> CameraLinks:
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_roles(actor, SEARCH_ROLES)
        (media,) = require_case_media(session, case, [media_id])
        meta = media.meta
        serial = meta.camera_serial if meta is not None else None
        lines: list[CameraLine] = []
        hidden = HiddenHolders(0, ())
        if meta is not None and serial:
            others = [m for m in camera_media(session, serial) if m != media.id]
            visible = member_cases(session, actor)
            shown, hidden = split_media(session, others, visible)
            rows = session.execute(
                select(Media, MediaMetadata)
                .join(MediaMetadata, MediaMetadata.media_id == Media.id)
                .where(Media.id.in_(sorted(shown)))
                .order_by(Media.id)
            ).all()
            for other, m in rows:
                same = (m.camera_make or "").lower() == (meta.camera_make or "").lower() and (
                    m.camera_model or ""
                ).lower() == (meta.camera_model or "").lower()
                lines.append(
                    CameraLine(
                        other.id,
                        shown[other.id],
                        m.camera_make,
                        m.camera_model,
                        m.taken_at,
                        m.gps_lat,
                        m.gps_lon,
                        same,
                        other.has_thumbnail,
                    )
                )
        record(
            session,
            actor=actor.username,
            action=action,
            object_type="media",
            object_id=media.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"links": len(lines), "hidden": hidden.count},
        )
        return CameraLinks(
            case.number,
            media.id,
            meta.camera_make if meta is not None else None,
            meta.camera_model if meta is not None else None,
            serial,
            meta.gps_lat if meta is not None else None,
            meta.gps_lon if meta is not None else None,
            tuple(lines),
            hidden,
        )


def camera_links(ctx: ServiceContext, case_number: str, media_id: int) -> CameraLinks:
    """Media from the same camera body as an item the case holds (audited).

    Raises:
        AccessDenied: not a member, no search role, or the case does not hold the item.
    """
    return _links(ctx, case_number, media_id, "camera.links")


def gps_plot(ctx: ServiceContext, case_number: str, media_id: int) -> bytes:
    """The SVG plot of the item's and its visible camera links' GPS positions (audited).

    Raises:
        AccessDenied: as :func:`camera_links`.
    """
    links = _links(ctx, case_number, media_id, "camera.gps_plot")
    title = f"Camera {links.camera_serial}" if links.camera_serial else "No camera serial"
    return render_gps_svg(links.gps_points, title=title)
