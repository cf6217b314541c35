"""Photo MD5, SHA-1 and SHA-256 signal types, which python-threatexchange lacks.

python-threatexchange ships ``video_md5`` and ``video_sha256`` only; a police hash list is
mostly photographs, matched first by their file hashes. These signal types hash the file's
bytes exactly as Sentinela's ingest does (streamed, in 1 MiB chunks) and match by equality.
"""

from __future__ import annotations

import hashlib
import pathlib
import random
from typing import ClassVar

from threatexchange.content_type.content_base import ContentType
from threatexchange.content_type.photo import PhotoContent
from threatexchange.signal_type import signal_base

from sentinela.errors import InvalidHashError
from sentinela.hashing.types import build_hash_type_registry

_CHUNK = 1 << 20


class _PhotoDigestSignal(
    signal_base.SimpleSignalType,
    signal_base.BytesHasher,
    signal_base.CanGenerateRandomSignal,
):
    """A cryptographic digest of a photo file: equal digests, identical files."""

    #: Sentinela's hash type name, which is also hashlib's algorithm name.
    HASH_TYPE: ClassVar[str]
    BITS: ClassVar[int]

    @classmethod
    def get_name(cls) -> str:
        return f"photo_{cls.HASH_TYPE}"

    @classmethod
    def get_content_types(cls) -> list[type[ContentType]]:
        return [PhotoContent]

    @classmethod
    def get_index_cls(cls) -> type[signal_base.TrivialSignalTypeIndex]:  # type: ignore[type-arg]
        return signal_base.TrivialSignalTypeIndex

    @classmethod
    def validate_signal_str(cls, signal_str: str) -> str:
        try:
            return build_hash_type_registry().get(cls.HASH_TYPE).validate(signal_str)
        except InvalidHashError as exc:
            raise ValueError(str(exc)) from None

    @classmethod
    def hash_from_file(cls, path: pathlib.Path) -> str:
        digest = hashlib.new(cls.HASH_TYPE)
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    @classmethod
    def hash_from_bytes(cls, bytes_: bytes) -> str:
        return hashlib.new(cls.HASH_TYPE, bytes_).hexdigest()

    @classmethod
    def get_random_signal(cls) -> str:
        return f"{random.getrandbits(cls.BITS):0{cls.BITS // 4}x}"

    @staticmethod
    def get_examples() -> list[str]:
        return []


class PhotoMD5Signal(_PhotoDigestSignal):
    """MD5 of a photo file."""

    HASH_TYPE: ClassVar[str] = "md5"
    BITS: ClassVar[int] = 128

    @staticmethod
    def get_examples() -> list[str]:
        return ["d41d8cd98f00b204e9800998ecf8427e"]


class PhotoSHA1Signal(_PhotoDigestSignal):
    """SHA-1 of a photo file."""

    HASH_TYPE: ClassVar[str] = "sha1"
    BITS: ClassVar[int] = 160

    @staticmethod
    def get_examples() -> list[str]:
        return ["da39a3ee5e6b4b0d3255bfef95601890afd80709"]


class PhotoSHA256Signal(_PhotoDigestSignal):
    """SHA-256 of a photo file."""

    HASH_TYPE: ClassVar[str] = "sha256"
    BITS: ClassVar[int] = 256

    @staticmethod
    def get_examples() -> list[str]:
        return ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]
