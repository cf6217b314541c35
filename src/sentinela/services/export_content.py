"""Content exports: the media files themselves, beside a VICS case export.

Never done by default. It takes an explicit request (``include_content``), the reference of
the authorisation that allows it, a media-viewing role and the lead role in the case. The files
are decrypted from the vault straight into the export folder by
:meth:`~sentinela.vault.Vault.export_to` (mode 0600, re-hashed on the way, never overwritten
unless ``force``), at the ``RelativeFilePath`` the JSON names: ``Files\\B7\\C7\\<MD5>.<ext>``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.media import Media
from sentinela.db.users import User
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.formats.records import HashRecord
from sentinela.formats.vics_writer import content_relpath
from sentinela.services.case_media import require_media_viewer
from sentinela.services.context import ServiceContext
from sentinela.services.exchange_documents import case_media_ids
from sentinela.services.exposure import open_vault
from sentinela.services.permissions import membership

CONTENT_DIR = "Files"


def require_content_rights(session: Session, case: Case, actor: User, authorisation: str) -> None:
    """Refuse a content export without an authorisation reference, or by anyone but a lead.

    Raises:
        InvalidInputError: no authorisation reference.
        AccessDenied: the actor may not view media, or does not lead the case.
    """
    if not authorisation.strip():
        raise InvalidInputError(
            "a content export needs the reference of the authorisation that allows it"
            " (--authorisation)"
        )
    require_media_viewer(actor)
    member = membership(session, case, actor)
    if member is None or member.case_role != "lead":
        raise AccessDenied(f"only a lead of case {case.number!r} may export its media files")


def content_paths(session: Session, case: Case) -> dict[str, tuple[str, Media]]:
    """SHA-256 -> (relative path, media) of every media item of the case held in the vault."""
    paths: dict[str, tuple[str, Media]] = {}
    for media_id in case_media_ids(session, case):
        media = session.get_one(Media, media_id)
        if media.vault_stored:
            probe = HashRecord(
                digests={"md5": media.md5}, position=f"media {media.id}", mime=media.mime
            )
            paths[media.sha256] = (content_relpath(probe), media)
    return paths


def clear(path: Path, force: bool) -> None:
    """Remove an earlier file at ``path`` when ``force`` allows replacing it."""
    if path.exists() and force and path.is_file():
        path.unlink()


def write_content(
    ctx: ServiceContext,
    folder: Path,
    content: dict[str, tuple[str, Media]],
    written: list[Path],
    force: bool,
) -> list[str]:
    """Decrypt each media file into ``folder``; return the SHA-256 of every file written.

    Every path created is appended to ``written`` so that a failed export can remove it.
    """
    if not content:
        return []
    vault = open_vault(ctx.settings)
    base = folder / CONTENT_DIR
    if not base.exists():
        written.append(base)
    done: list[str] = []
    for sha256, (relpath, _media) in sorted(content.items()):
        target = folder.joinpath(*relpath.split("\\"))
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        clear(target, force)
        vault.export_to(sha256, target)
        written.append(target)
        done.append(sha256)
    return done
