"""Tell what kind of exhibit a path holds, by content, and list its segment files.

Kinds are decided from the bytes, not the name: an E01 renamed ``.jpg`` is still an E01.
The one use of names is for split raw images, whose segments (``disk.001``, ``disk.002``...)
carry no signature of their own.
"""

from __future__ import annotations

import os
import re
import stat
from enum import StrEnum
from pathlib import Path

import pyewf

from sentinela.errors import CorruptEvidenceError, UnsupportedSourceError
from sentinela.evidence.archives.sniff import SNIFF_BYTES, sniff_archive
from sentinela.evidence.errors import ExhibitNotFoundError, UnreadableEvidenceError
from sentinela.evidence.streams import open_readonly


class ExhibitKind(StrEnum):
    """The kinds of exhibit Sentinela registers. The values are persisted: never change one."""

    FOLDER = "folder"
    ARCHIVE = "archive"
    RAW = "raw"
    E01 = "e01"


#: EWF version 1 (EnCase 1-6, FTK Imager, ewfacquire): the ``.E01`` family.
EWF_SIGNATURE = b"EVF\x09\x0d\x0a\xff\x00"

# Formats recognised only to be refused with a clear message.
_UNSUPPORTED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"EVF2\r\n\x81\x00", "Ex01 (EWF2) images"),
    (b"LVF\x09\x0d\x0a\xff\x00", "L01 logical evidence files"),
    (b"LEF2\r\n\x81\x00", "Lx01 logical evidence files"),
    (b"KDMV", "VMDK images"),
    (b"# Disk DescriptorFile", "VMDK descriptors"),
    (b"vhdxfile", "VHDX images"),
    (b"conectix", "VHD images"),
    (b"QFI\xfb", "QCOW images"),
)

_SPLIT_RAW = re.compile(r"^(?P<stem>.+)\.(?P<number>\d{3})$")


def detect_kind(path: Path) -> ExhibitKind:
    """Decide the kind of exhibit at ``path`` from its content.

    A directory is a ``folder``; a file starting with an EWF signature is an ``e01``; a zip,
    7z, tar or gzip/bzip2/xz stream is an ``archive``; any other non-empty file or block
    device is a ``raw`` disk image (including the first segment ``.001`` of a split image).

    Raises:
        ExhibitNotFoundError: nothing exists at ``path``.
        UnreadableEvidenceError: the path exists but cannot be read.
        UnsupportedSourceError: the path is empty, a special file, a later segment of a split
            image, or an image format Sentinela does not read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ExhibitNotFoundError(f"exhibit path does not exist: {path}") from None
    except OSError as exc:
        raise UnreadableEvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        _check_listable(path)
        return ExhibitKind.FOLDER
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISBLK(info.st_mode)):
        raise UnsupportedSourceError(f"{path} is not a file, folder or block device")
    head = _read_head(path)
    if not head:
        raise UnsupportedSourceError(f"{path} is empty")
    if head.startswith(EWF_SIGNATURE):
        return ExhibitKind.E01
    for signature, what in _UNSUPPORTED_SIGNATURES:
        if head.startswith(signature):
            raise UnsupportedSourceError(f"{path}: {what} are not supported")
    if sniff_archive(head) is not None:
        return ExhibitKind.ARCHIVE
    _check_first_split_segment(path)
    return ExhibitKind.RAW


def exhibit_segments(path: Path, kind: ExhibitKind) -> tuple[Path, ...]:
    """The files that make up an exhibit, in order.

    A split raw image given by its ``.001`` segment yields ``.001``, ``.002``... as long as
    they exist; an E01 yields every segment libewf finds (``.E01``, ``.E02``... ``.EAA``...);
    anything else is the path alone (a folder's files are not segments).

    Raises:
        UnsupportedSourceError: an E01 given by a segment other than its first.
        CorruptEvidenceError: libewf cannot list the E01's segments.
    """
    if kind is ExhibitKind.RAW:
        match = _SPLIT_RAW.match(path.name)
        if match and int(match["number"]) == 1:
            return tuple(_split_segments(path.parent, match["stem"]))
        return (path,)
    if kind is ExhibitKind.E01:
        head = _read_head(path)
        number = int.from_bytes(head[9:11], "little")
        if number != 1:
            raise UnsupportedSourceError(
                f"{path} is segment {number} of an E01 image; register its first segment (.E01)"
            )
        try:
            return tuple(Path(p) for p in pyewf.glob(os.fspath(path)))
        except (OSError, TypeError) as exc:
            raise CorruptEvidenceError(f"{path}: cannot list E01 segments: {exc}") from exc
    return (path,)


def _split_segments(folder: Path, stem: str) -> list[Path]:
    segments: list[Path] = []
    number = 1
    while (candidate := folder / f"{stem}.{number:03d}").is_file():
        segments.append(candidate)
        number += 1
    return segments


def _check_first_split_segment(path: Path) -> None:
    match = _SPLIT_RAW.match(path.name)
    if not match or int(match["number"]) <= 1:
        return
    first = path.parent / f"{match['stem']}.001"
    if first.exists():
        raise UnsupportedSourceError(
            f"{path} is segment {int(match['number'])} of a split image; "
            f"register its first segment {first.name}"
        )


def _check_listable(path: Path) -> None:
    try:
        with os.scandir(path) as listing:
            next(listing, None)
    except OSError as exc:
        raise UnreadableEvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _read_head(path: Path) -> bytes:
    with open_readonly(path) as stream:
        try:
            return stream.read(SNIFF_BYTES)
        except OSError as exc:
            raise UnreadableEvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
