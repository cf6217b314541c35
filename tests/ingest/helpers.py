"""Builders and read-back helpers for ingest tests.

Images are made by code (numpy noise and shapes); nothing else is used. Read-back helpers
open a fresh session, so they see only what the driver committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.db.jobs import IngestJob
from sentinela.db.media import EntryError, Media, MediaMetadata, Occurrence
from sentinela.services.cases import create_case
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import add_exhibit

SENTINELA = str(Path(sys.executable).with_name("sentinela"))


def jpeg(seed: int, size: tuple[int, int] = (96, 64), *, camera: str | None = None) -> bytes:
    """A small JPEG of coloured noise; ``camera`` adds EXIF make, model and body serial."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 255, (size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
    image = Image.fromarray(pixels).resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    exif = Image.Exif()
    if camera is not None:
        exif[ExifTags.Base.Make] = "TestCam"
        exif[ExifTags.Base.Model] = camera
        exif[ExifTags.Base.Software] = "sentinela-tests"
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN000042"
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def png(seed: int, size: tuple[int, int] = (40, 30)) -> bytes:
    """A small PNG of coloured noise."""
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(out, "PNG")
    return out.getvalue()


def png_with_bad_crc(seed: int = 1) -> bytes:
    """A PNG whose IHDR chunk's CRC does not match."""
    data = bytearray(png(seed))
    data[29] ^= 0xFF  # the IHDR CRC
    return bytes(data)


def png_bomb() -> bytes:
    """A tiny PNG that claims 100000x100000 pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(1000)))
        + chunk(b"IEND", b"")
    )


def image_folder(root: Path, count: int, *, start: int = 0) -> dict[str, bytes]:
    """``count`` distinct small images under ``root`` (JPEG and PNG, in two folders)."""
    files: dict[str, bytes] = {}
    for n in range(start, start + count):
        name = f"DCIM/IMG_{n:04d}.jpg" if n % 3 else f"Pictures/pic_{n:04d}.png"
        files[name] = jpeg(n) if n % 3 else png(n)
    write_tree(root, files)
    return files


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``."""
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def sha256(data: bytes) -> str:
    """Hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


def open_case(ctx: ServiceContext, number: str = "C1") -> None:
    """Create a case with the context's actor as its lead."""
    create_case(ctx, number, title="Test case", unit="Unit A")


def register(ctx: ServiceContext, path: Path, label: str = "EXH-001", case: str = "C1") -> None:
    """Register the exhibit at ``path``."""
    add_exhibit(ctx, case, path, label=label)


@dataclass(frozen=True)
class Stored:
    """An occurrence as read back: its media's SHA-256 and its flags."""

    sha256: str
    deleted: bool
    extension_mismatch: bool
    parent_container: str | None


def occurrences(ctx: ServiceContext, label: str = "EXH-001") -> dict[str, list[Stored]]:
    """Occurrences of an exhibit (any case), by path."""
    from sentinela.db.exhibits import Exhibit

    found: dict[str, list[Stored]] = {}
    with ctx.transaction() as session:
        rows = session.execute(
            select(Occurrence, Media.sha256)
            .join(Media, Media.id == Occurrence.media_id)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .where(Exhibit.label == label)
        ).all()
        for occ, sha in rows:
            found.setdefault(occ.path, []).append(
                Stored(sha, occ.deleted, occ.extension_mismatch, occ.parent_container)
            )
    return found


def errors(ctx: ServiceContext, label: str = "EXH-001") -> dict[str, set[str]]:
    """Recorded entry errors of an exhibit: path -> codes."""
    from sentinela.db.exhibits import Exhibit

    found: dict[str, set[str]] = {}
    with ctx.transaction() as session:
        rows = session.execute(
            select(EntryError.path, EntryError.code)
            .join(Exhibit, Exhibit.id == EntryError.exhibit_id)
            .where(Exhibit.label == label)
        ).all()
        for path, code in rows:
            found.setdefault(path, set()).add(code)
    return found


def counts(ctx: ServiceContext) -> dict[str, int]:
    """Rows in the national store's tables."""
    with ctx.transaction() as session:
        return {
            model.__tablename__: session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (Media, Occurrence, EntryError, MediaMetadata, IngestJob)
        }


def audit_actions(ctx: ServiceContext) -> list[str]:
    """Every audit event's action, in order."""
    with ctx.transaction() as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def vault_objects(data_dir: Path) -> set[str]:
    """Relative paths of every object file in the vault."""
    vault = data_dir / "vault"
    return {str(p.relative_to(vault)) for p in vault.rglob("*.sv") if p.is_file()}


def files_containing(root: Path, needles: list[bytes], skip: Path | None = None) -> list[Path]:
    """Files under ``root`` (outside ``skip``) holding any of ``needles`` verbatim."""
    hits: list[Path] = []
    for folder, _, names in os.walk(root):
        if skip is not None and Path(folder).is_relative_to(skip):
            continue
        for name in names:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` (creating folders); return ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
