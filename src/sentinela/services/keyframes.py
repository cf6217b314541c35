"""A video's keyframe strip: listing it, and showing one keyframe blurred or revealed.

The strip stands in for the video on the media page. Each keyframe JPEG is a vault ``media``
object (see :mod:`sentinela.ingest.video`); it is rendered on the server exactly like an image
thumbnail (greyscale and blurred by default, clear only after an explicit reveal of that one
frame), and every rendering goes into the exposure ledger, under the video's media id and the
same mode names as thumbnails, and into the audit log with the frame's position.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.video import VideoFingerprint, VideoKeyframe
from sentinela.db.workspace import EXPOSURE_MODES
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.services.case_media import require_case_media, require_media_viewer
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault, render_shown
from sentinela.services.permissions import require_member
from sentinela.vault.errors import ObjectMissingError


@dataclass(frozen=True)
class KeyframeLine:
    """One frame of a video's strip (never its content)."""

    position: int
    frame_number: int
    timestamp: float
    is_key: bool


@dataclass(frozen=True)
class VideoFacts:
    """What ingest recorded about a video: its metadata and fingerprint size."""

    duration_s: float | None
    declared_duration_s: float | None
    codec: str | None
    container: str | None
    width: int | None
    height: int | None
    frame_rate: float | None
    created_at: str | None
    frames_hashed: int
    error_kind: str | None


def video_facts(session: Session, media_id: int) -> VideoFacts | None:
    """The video's recorded facts, or None for anything that is not a fingerprinted video."""
    fp = session.get(VideoFingerprint, media_id)
    if fp is None:
        return None
    return VideoFacts(
        fp.duration_s,
        fp.declared_duration_s,
        fp.codec,
        fp.container,
        fp.width,
        fp.height,
        fp.frame_rate,
        fp.created_at,
        fp.frame_count,
        fp.error_kind,
    )


def keyframe_strip(session: Session, media_id: int) -> tuple[KeyframeLine, ...]:
    """The strip of one video, in order (empty for anything else)."""
    rows = session.execute(
        select(VideoKeyframe)
        .where(VideoKeyframe.media_id == media_id)
        .order_by(VideoKeyframe.position)
    ).scalars()
    return tuple(KeyframeLine(k.position, k.frame_number, k.timestamp, k.is_key) for k in rows)


def show_keyframe(
    ctx: ServiceContext, case_number: str, media_id: int, position: int, mode: str
) -> bytes:
    """Render one keyframe of a video, blurred or revealed, and record that it was shown.

    Returns:
        JPEG bytes (never stored anywhere).

    Raises:
        InvalidInputError: unknown mode.
        AccessDenied: not a member, not a media viewer, or the case does not hold the id.
        NotFoundError: the video has no keyframe at ``position``, or it is not in the vault.
    """
    if mode not in EXPOSURE_MODES:
        raise InvalidInputError(f"unknown display mode {mode!r}")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_media_viewer(actor)
        (media,) = require_case_media(session, case, [media_id])
        frame = session.execute(
            select(VideoKeyframe).where(
                VideoKeyframe.media_id == media.id, VideoKeyframe.position == position
            )
        ).scalar_one_or_none()
        if frame is None:
            raise NotFoundError(f"media {media_id} has no keyframe {position}")
        try:
            stored = open_vault(ctx.settings).get(frame.jpeg_sha256)
        except ObjectMissingError:
            raise NotFoundError(f"keyframe {position} of media {media_id} is missing") from None
        return render_shown(
            ctx,
            session,
            actor,
            case,
            media.id,
            stored,
            mode,
            action="media.keyframe_reveal" if mode == "revealed" else "media.keyframe",
            details={"mode": mode, "position": position, "frame_number": frame.frame_number},
        )
