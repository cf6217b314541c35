"""Builders for evidence tests: hostile archives, damaged images, unprivileged reads.

Everything is built in memory from benign data (zeros, short text, the synthetic FAT12
fixture). Reusable by other areas' tests, e.g. CLI tests of ``exhibit add``.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import json
import os
import struct
import traceback
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"
E01 = DATA / "EXH-001.E01"
DD = DATA / "EXH-001.dd"
MISMATCH_E01 = DATA / "EXH-001-media-mismatch.E01"
PNG_PATH = "DCIM/synthetic_test_pattern_64x64.png"
PNG_SHA256 = "87e84a8206219908276fc3b2e8c4bf64a119e44b659d5ee6d41351e8220d24f8"
PNG_SIZE = 10599
ACQUISITION_MD5 = "5b8ccbe7efaa626df57caed5e2a51c34"
ACQUISITION_SHA1 = "03877cebec890d430405b58dc1eab65b88a184df"
# What MISMATCH_E01 claims its media hashed to (see tests/data/evidence/README.md).
MISMATCH_CLAIM = b"media as acquired, before alteration"
MISMATCH_STORED_MD5 = hashlib.md5(MISMATCH_CLAIM, usedforsecurity=False).hexdigest()
MISMATCH_STORED_SHA1 = hashlib.sha1(MISMATCH_CLAIM, usedforsecurity=False).hexdigest()

# --- running without root's file-access override ------------------------------------------

_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


_PR_SET_SECUREBITS = 28
_SECBIT_NOROOT = 1 << 0
_SECBIT_NOROOT_LOCKED = 1 << 1


def drop_file_access_privileges() -> None:
    """Drop every Linux capability of the calling process (irreversibly).

    Root keeps uid 0, so it still owns the files it created, but without
    ``CAP_DAC_OVERRIDE``/``CAP_DAC_READ_SEARCH`` the kernel applies the permission bits to it:
    a ``chmod 000`` file becomes unreadable. For a non-root user this changes nothing. Use it
    in a child process only: as ``preexec_fn=`` of ``subprocess.run`` (CLI tests) or through
    :func:`run_unprivileged`.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if os.geteuid() == 0:
        # Without SECBIT_NOROOT an execve() by uid 0 gets every capability back, so a
        # subprocess (the CLI under test) would read the file after all.
        if libc.prctl(_PR_SET_SECUREBITS, _SECBIT_NOROOT | _SECBIT_NOROOT_LOCKED, 0, 0, 0) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"prctl(PR_SET_SECUREBITS) failed: {os.strerror(errno)}")
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"capset failed: {os.strerror(errno)}")


def run_unprivileged(function: Callable[[], Any]) -> Any:
    """Run ``function`` in a forked child without file-access privileges; return its result.

    The result must be JSON-serialisable (no pickle). An exception in the child is re-raised
    here as ``RuntimeError`` carrying the child's traceback.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            drop_file_access_privileges()
            payload = {"ok": function()}
        except BaseException:  # the parent reports it
            payload = {"error": traceback.format_exc()}
        with os.fdopen(write_end, "w") as pipe:
            json.dump(payload, pipe, default=str)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    payload = json.loads(text)
    if "error" in payload:
        raise RuntimeError(f"child failed:\n{payload['error']}")
    return payload["ok"]


def make_unreadable(path: Path) -> None:
    """``chmod 000`` a file (unreadable to :func:`run_unprivileged` even when root)."""
    path.chmod(0)


# --- zip archives written byte by byte -----------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    """A zip member as it will be written, sizes and flags as given (they may lie)."""

    name: str
    data: bytes  # the bytes as stored (already compressed for method 8)
    method: int = zipfile.ZIP_STORED
    crc: int | None = None
    size: int | None = None  # declared uncompressed size
    flags: int = 0


def raw_zip(members: list[RawMember]) -> bytes:
    """A zip file with exactly the headers given: for encrypted flags, lying sizes, bad names."""
    out = io.BytesIO()
    central = io.BytesIO()
    for member in members:
        name = member.name.encode("utf-8")
        crc = zlib.crc32(member.data) if member.crc is None else member.crc
        size = len(member.data) if member.size is None else member.size
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                member.flags,
                member.method,
                0,
                0x21,
                crc,
                len(member.data),
                size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(member.data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                member.flags,
                member.method,
                0,
                0x21,
                crc,
                len(member.data),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(name)
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0
        )
    )
    return out.getvalue()


def deflate_zeros(megabytes: int, prefix: bytes = b"", suffix: bytes = b"") -> tuple[bytes, int]:
    """Raw deflate of ``prefix`` + ``megabytes`` MiB of zeros + ``suffix``, built fast.

    A full flush after each MiB resets the compressor, so every MiB of zeros compresses to
    the same bytes: a gigabyte costs two compressions, not a thousand.

    Returns:
        the deflate stream and the CRC-32 of the uncompressed data.
    """
    block = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return head + repeated * megabytes + tail, crc


def zip_bomb(megabytes: int = 1024) -> bytes:
    """A zip whose one member is ``megabytes`` MiB of zeros (about 1 KiB per MiB stored)."""
    data, crc = deflate_zeros(megabytes)
    member = RawMember("zeros.bin", data, zipfile.ZIP_DEFLATED, crc, megabytes << 20)
    return raw_zip([member, RawMember("note.txt", b"benign note")])


def gzip_zeros(megabytes: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A gzip file of ``prefix`` + zeros + ``suffix``, built like :func:`deflate_zeros`."""
    data, crc = deflate_zeros(megabytes, prefix, suffix)
    total = len(prefix) + (megabytes << 20) + len(suffix)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + data + struct.pack("<II", crc, total & 0xFFFFFFFF)


def nested_zip(depth: int) -> bytes:
    """The bytes of ``level1.zip``: each ``levelN.zip`` holds ``noteN.txt`` and
    ``level{N+1}.zip``, down to ``level{depth}.zip`` which holds ``bottom.txt``."""
    inner = _zip({"bottom.txt": b"the innermost file"})
    for level in range(depth - 1, 0, -1):
        inner = _zip({f"note{level}.txt": f"note {level}".encode(), f"level{level + 1}.zip": inner})
    return inner


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def simple_zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``files`` (names used as given, even hostile ones)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


# --- disk images ---------------------------------------------------------------------------


def delete_fat_file(image: bytes, short_name: bytes) -> bytes:
    """Delete a file from a FAT12 image the way an OS does, leaving its data in place.

    Marks its 8.3 entry and any long-name entries before it with 0xE5 and frees its
    cluster chain in every FAT, so TSK lists it as deleted and recovers its contiguous data.
    """
    data = bytearray(image)
    bytes_per_sector, _, reserved, fats, _, _, _, fat_sectors = struct.unpack_from(
        "<HBHBHHBH", data, 11
    )
    index = data.find(short_name.ljust(11))
    if index < 0 or index % 32:
        raise ValueError(f"{short_name!r} not found as a directory entry")
    cluster = struct.unpack_from("<H", data, index + 26)[0]
    data[index] = 0xE5
    previous = index - 32
    while previous >= 0 and data[previous + 11] == 0x0F:  # long-name entries
        data[previous] = 0xE5
        previous -= 32
    fat_starts = [(reserved + n * fat_sectors) * bytes_per_sector for n in range(fats)]
    while 2 <= cluster < 0xFF8:
        following = _fat12_get(data, fat_starts[0], cluster)
        for start in fat_starts:
            _fat12_set(data, start, cluster, 0)
        cluster = following
    return bytes(data)


def _fat12_get(data: bytearray, start: int, cluster: int) -> int:
    offset = start + cluster * 3 // 2
    value: int = struct.unpack_from("<H", data, offset)[0]
    return value >> 4 if cluster & 1 else value & 0xFFF


def _fat12_set(data: bytearray, start: int, cluster: int, value: int) -> None:
    offset = start + cluster * 3 // 2
    current = struct.unpack_from("<H", data, offset)[0]
    if cluster & 1:
        current = (current & 0x000F) | (value << 4)
    else:
        current = (current & 0xF000) | value
    struct.pack_into("<H", data, offset, current)


def mbr_disk(partition: bytes, start_sector: int = 2048, partition_type: int = 0x01) -> bytes:
    """A disk with an MBR holding one partition (``partition``'s bytes) at ``start_sector``."""
    sectors = len(partition) // 512
    mbr = bytearray(512)
    struct.pack_into(
        "<B3sB3sII", mbr, 446, 0x00, b"\x00\x02\x00", partition_type, b"\xfe\xff\xff",
        start_sector, sectors,
    )  # fmt: skip
    mbr[510:512] = b"\x55\xaa"
    return bytes(mbr) + bytes((start_sector - 1) * 512) + partition


def patch_e01_stored_hashes(image: bytes, md5: str, sha1: str) -> bytes:
    """Rewrite the acquisition MD5/SHA-1 in an E01's ``digest`` and ``hash`` sections.

    The Adler-32 checksums of both sections are recomputed, so libewf accepts the file; its
    media then no longer matches the stored hash, as if the evidence had been altered.
    """
    data = bytearray(image)
    offset = 13
    while True:
        kind = bytes(data[offset : offset + 16]).rstrip(b"\0")
        following = struct.unpack_from("<Q", data, offset + 16)[0]
        body = offset + 76
        if kind == b"digest":  # MD5[16] SHA1[20] padding[40] adler32[4]
            data[body : body + 16] = bytes.fromhex(md5)
            data[body + 16 : body + 36] = bytes.fromhex(sha1)
            struct.pack_into("<I", data, body + 76, zlib.adler32(bytes(data[body : body + 76])))
        elif kind == b"hash":  # MD5[16] unknown[16] adler32[4]
            data[body : body + 16] = bytes.fromhex(md5)
            struct.pack_into("<I", data, body + 32, zlib.adler32(bytes(data[body : body + 32])))
        if kind in (b"done", b"next") or following <= offset:
            return bytes(data)
        offset = following


def tree_listing(folder: Path) -> list[tuple[str, int]]:
    """Every path under ``folder`` with its size: to prove nothing was written next to it."""
    return sorted((str(p.relative_to(folder)), p.lstat().st_size) for p in folder.rglob("*"))
