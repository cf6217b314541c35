"""The content signatures :mod:`sentinela.hashing.filetype` recognises.

Kept apart from the detection logic so the table reads as data: one line per format, with the
MIME type, the family used to route the file, and the extensions a file of that type is
expected to carry (used to flag renamed files). Container formats that need a little parsing
(ISO base media ``ftyp`` brands, RIFF forms, EBML doctypes, zip-based documents, PE headers)
have one small function each.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final, Literal

Family = Literal[
    "image",
    "video",
    "audio",
    "archive",
    "document",
    "executable",
    "disk_image",
    "text",
    "other",
]


@dataclass(frozen=True, slots=True)
class FileType:
    """What a file's content says it is.

    Attributes:
        mime: the IANA media type (or a well-established ``x-`` type).
        family: coarse class used to route the file (images get PDQ, archives get opened...).
        extensions: lower-case extensions (no dot) expected for this type. Empty means the
            type does not constrain its name (plain text, unknown content).
    """

    mime: str
    family: Family
    extensions: tuple[str, ...] = ()


def _t(mime: str, family: Family, *extensions: str) -> FileType:
    return FileType(mime, family, extensions)


EMPTY: Final = _t("application/x-empty", "other")
OCTET_STREAM: Final = _t("application/octet-stream", "other")
TEXT: Final = _t("text/plain", "text")

JPEG: Final = _t("image/jpeg", "image", "jpg", "jpeg", "jpe", "jfif", "jif")
PNG: Final = _t("image/png", "image", "png")
GIF: Final = _t("image/gif", "image", "gif")
BMP: Final = _t("image/bmp", "image", "bmp", "dib")
WEBP: Final = _t("image/webp", "image", "webp")
# Most camera raw formats are TIFF containers; their names must not count as a mismatch.
TIFF: Final = _t(
    "image/tiff",
    "image",
    *("tif", "tiff", "dng", "nef", "nrw", "cr2", "arw", "sr2", "srf", "pef", "orf", "3fr", "erf"),
    *("kdc", "mos", "iiq"),
)
HEIC: Final = _t("image/heic", "image", "heic", "heif", "hif")
HEIF: Final = _t("image/heif", "image", "heif", "heic", "hif")
AVIF: Final = _t("image/avif", "image", "avif")
MP4: Final = _t("video/mp4", "video", "mp4", "m4v", "f4v", "mov", "mp4v")
QUICKTIME: Final = _t("video/quicktime", "video", "mov", "qt")
MP3: Final = _t("audio/mpeg", "audio", "mp3")
# EWF segment files are numbered .E01, .E02 ... .E99 (then .EAA, rarely met); each carries
# the signature.
EWF: Final = _t("application/x-ewf", "disk_image", *(f"e{n:02d}" for n in range(1, 100)), "ex01")
# A raw (dd) image of a volume, recognised by its file system's boot record.
RAW_VOLUME: Final = _t(
    "application/x-raw-disk-image",
    "disk_image",
    *("dd", "raw", "img", "ima", "bin", "dmg", "vfd", "001", "image", "mem"),
)
OLE: Final = _t(
    "application/x-ole-storage",
    "document",
    *("doc", "dot", "xls", "xlt", "ppt", "pps", "msg", "msi", "pub", "vsd", "db"),
)
SQLITE: Final = _t(
    "application/vnd.sqlite3",
    "other",
    *("sqlite", "sqlite3", "db", "db3", "sqlitedb", "sdb", "s3db"),
)

#: ``(offset, magic, type)``; the first match wins, so longer magics come before prefixes.
SIGNATURES: Final[tuple[tuple[int, bytes, FileType], ...]] = (
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"GIF87a", GIF),
    (0, b"GIF89a", GIF),
    (0, b"II*\x00", TIFF),
    (0, b"MM\x00*", TIFF),
    (0, b"II+\x00", TIFF),
    (0, b"MM\x00+", TIFF),
    (0, b"IIU\x00", _t("image/x-panasonic-rw2", "image", "rw2", "raw")),
    (0, b"\x00\x00\x00\x0cjP  \r\n\x87\n", _t("image/jp2", "image", "jp2", "jpx", "j2k")),
    (0, b"\xff\x0a", _t("image/jxl", "image", "jxl")),
    (0, b"\x00\x00\x00\x0cJXL \r\n\x87\n", _t("image/jxl", "image", "jxl")),
    (0, b"8BPS", _t("image/vnd.adobe.photoshop", "image", "psd", "psb")),
    (0, b"\x00\x00\x01\x00", _t("image/vnd.microsoft.icon", "image", "ico", "cur")),
    (0, b"\x00\x00\x01\xba", _t("video/mpeg", "video", "mpg", "mpeg", "vob", "m2p")),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", _t("video/x-ms-asf", "video", "wmv", "wma", "asf")),
    (0, b"FLV\x01", _t("video/x-flv", "video", "flv")),
    (0, b"ID3", MP3),
    (0, b"\xff\xfb", MP3),
    (0, b"\xff\xf3", MP3),
    (0, b"\xff\xf2", MP3),
    (0, b"fLaC", _t("audio/flac", "audio", "flac")),
    (0, b"OggS", _t("audio/ogg", "audio", "ogg", "oga", "ogv", "opus")),
    (0, b"#!AMR", _t("audio/amr", "audio", "amr")),
    (0, b"\x1f\x8b\x08", _t("application/gzip", "archive", "gz", "tgz", "gzip")),
    (0, b"BZh", _t("application/x-bzip2", "archive", "bz2", "tbz", "tbz2", "bz")),
    (0, b"\xfd7zXZ\x00", _t("application/x-xz", "archive", "xz", "txz")),
    (0, b"7z\xbc\xaf\x27\x1c", _t("application/x-7z-compressed", "archive", "7z")),
    (0, b"Rar!\x1a\x07", _t("application/vnd.rar", "archive", "rar", "cbr")),
    (0, b"\x28\xb5\x2f\xfd", _t("application/zstd", "archive", "zst", "tzst")),
    (257, b"ustar", _t("application/x-tar", "archive", "tar")),
    (0, b"%PDF-", _t("application/pdf", "document", "pdf")),
    (0, b"{\\rtf", _t("application/rtf", "document", "rtf", "doc")),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (0, b"!BDN", _t("application/vnd.ms-outlook-pst", "document", "pst", "ost")),
    (0, b"\x7fELF", _t("application/x-elf", "executable", "so", "o", "ko", "elf", "bin", "out")),
    (0, b"\xca\xfe\xba\xbe", _t("application/x-mach-binary", "executable", "dylib", "bundle")),
    (0, b"\xcf\xfa\xed\xfe", _t("application/x-mach-binary", "executable", "dylib", "bundle")),
    (0, b"dex\n", _t("application/vnd.android.dex", "executable", "dex")),
    (0, b"EVF\x09\x0d\x0a\xff\x00", EWF),
    (0, b"EVF2\x0d\x0a\x81\x00", EWF),
    (0, b"LVF\x09\x0d\x0a\xff\x00", _t("application/x-ewf-logical", "disk_image", "l01", "lx01")),
    (0, b"KDMV", _t("application/x-vmdk", "disk_image", "vmdk")),
    (0, b"vhdxfile", _t("application/x-vhdx", "disk_image", "vhdx", "avhdx")),
    (0, b"conectix", _t("application/x-vhd", "disk_image", "vhd")),
    (0, b"QFI\xfb", _t("application/x-qemu-disk", "disk_image", "qcow2", "qcow", "img")),
    (0, b"AFF10\r\n", _t("application/x-aff", "disk_image", "aff")),
    (3, b"NTFS    ", RAW_VOLUME),
    (3, b"EXFAT   ", RAW_VOLUME),
    (0x36, b"FAT12   ", RAW_VOLUME),
    (0x36, b"FAT16   ", RAW_VOLUME),
    (0x52, b"FAT32   ", RAW_VOLUME),
    (1024, b"H+\x00\x04", RAW_VOLUME),
    (32, b"NXSB", RAW_VOLUME),
    (0x8001, b"CD001", _t("application/x-iso9660-image", "disk_image", "iso")),
    (0, b"SQLite format 3\x00", SQLITE),
    (0, b"<?xml", _t("application/xml", "text")),
)

_FTYP_MAJOR: Final[dict[bytes, FileType]] = {
    **dict.fromkeys((b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm"), HEIC),
    **dict.fromkeys((b"avif", b"avis"), AVIF),
    b"qt  ": QUICKTIME,
    b"crx ": _t("image/x-canon-cr3", "image", "cr3"),
    b"jp2 ": _t("image/jp2", "image", "jp2", "jpx"),
    **dict.fromkeys((b"M4A ", b"M4B ", b"M4P "), _t("audio/mp4", "audio", "m4a", "m4b", "m4p")),
}
_3GP: Final = _t("video/3gpp", "video", "3gp", "3g2", "3gpp", "3gpp2")


def ftyp_type(head: bytes) -> FileType:
    """ISO base media files (MP4, MOV, 3GP, HEIC, AVIF...) named by their ``ftyp`` brands."""
    major = head[8:12]
    if major in _FTYP_MAJOR:
        return _FTYP_MAJOR[major]
    if major.startswith((b"3gp", b"3g2")):
        return _3GP
    if major in (b"mif1", b"msf1"):
        (size,) = struct.unpack_from(">I", head, 0) if len(head) >= 4 else (0,)
        compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        if compatible & {b"heic", b"heix", b"hevc", b"hevx"}:
            return HEIC
        if b"avif" in compatible:
            return AVIF
        return HEIF
    return MP4


_RIFF_FORMS: Final[dict[bytes, FileType]] = {
    b"WEBP": WEBP,
    b"AVI ": _t("video/x-msvideo", "video", "avi"),
    b"WAVE": _t("audio/wav", "audio", "wav"),
}


def riff_type(form: bytes) -> FileType | None:
    """RIFF containers: WebP, AVI, WAV."""
    return _RIFF_FORMS.get(form)


_WEBM: Final = _t("video/webm", "video", "webm")
_MATROSKA: Final = _t("video/x-matroska", "video", "mkv", "mka", "mks", "mk3d")


def sniff_ebml(head: bytes) -> FileType:
    """Matroska and WebM share the EBML header; the DocType element tells them apart."""
    return _WEBM if b"webm" in head[:64] else _MATROSKA


_ZIP: Final = _t(
    "application/zip",
    "archive",
    *("zip", "jar", "apk", "ipa", "cbz", "xpi", "whl", "kmz", "aar"),
)
_OOXML: Final = _t(
    "application/vnd.openxmlformats-officedocument",
    "document",
    *("docx", "xlsx", "pptx", "docm", "xlsm", "pptm", "dotx", "xltx", "potx", "ppsx", "vsdx"),
)
_ODF: Final = _t("application/vnd.oasis.opendocument", "document", "odt", "ods", "odp", "odg")
_EPUB: Final = _t("application/epub+zip", "document", "epub")


def sniff_zip(head: bytes) -> FileType | None:
    """Zip archives, and the document formats that are zips with a known first entry."""
    if head[2:4] in (b"\x05\x06", b"\x07\x08"):
        return _ZIP
    if head[2:4] != b"\x03\x04" or len(head) < 30:
        return None
    name_len, extra_len = struct.unpack_from("<HH", head, 26)
    first_name = head[30 : 30 + name_len]
    if first_name in (b"[Content_Types].xml", b"_rels/.rels"):
        return _OOXML
    if first_name == b"mimetype":
        body = head[30 + name_len + extra_len : 30 + name_len + extra_len + 64]
        if body.startswith(b"application/epub+zip"):
            return _EPUB
        if body.startswith(b"application/vnd.oasis.opendocument"):
            return _ODF
    return _ZIP


_PE: Final = _t(
    "application/vnd.microsoft.portable-executable",
    "executable",
    *("exe", "dll", "sys", "scr", "ocx", "cpl", "drv", "efi", "mui", "com", "msstyles", "ax"),
)
_DOS: Final = _t("application/x-dosexec", "executable", "exe", "com")


def sniff_mz(head: bytes) -> FileType:
    """MZ executables: a PE image when ``e_lfanew`` points at a ``PE\\0\\0`` signature."""
    if len(head) >= 0x40:
        (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
        if head[pe_offset : pe_offset + 4] == b"PE\x00\x00":
            return _PE
    return _DOS


def _known_binary_extensions() -> frozenset[str]:
    types = [ftype for _, _, ftype in SIGNATURES]
    types += [*_FTYP_MAJOR.values(), _3GP, HEIF, MP4, *_RIFF_FORMS.values(), _WEBM, _MATROSKA]
    types += [_ZIP, _OOXML, _ODF, _EPUB, _PE, _DOS, BMP, QUICKTIME]
    return frozenset(ext for ftype in types if ftype.family != "text" for ext in ftype.extensions)


#: Every extension claimed by a binary format above; a text file named so is suspicious.
KNOWN_BINARY_EXTENSIONS: Final = _known_binary_extensions()
