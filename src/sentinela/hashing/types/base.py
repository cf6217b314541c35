"""The hash type interface: what every digest Sentinela stores or matches must provide.

Why an interface: the store, the matcher, the importers and the exporters handle digests of
several kinds (exact cryptographic digests, perceptual hashes, later video hashes) and must
not special-case each one. A hash type says how to normalise a digest someone typed or
imported (:meth:`HashType.validate`), how far apart two digests are (:meth:`HashType.distance`,
a naive reference that the fast indexes are tested against), and how to compute one from
bytes (:meth:`HashType.hash_bytes`).

Why digests are strings: they cross every boundary (database columns, JSON, CSV hash lists,
exchange APIs), and every format we exchange writes them as hex. Keeping the canonical form
as lower-case hex text means an imported digest and a computed one compare with ``==``.

``name`` is persisted (in KnownHash rows, exports and job records): it must never change once
released.
"""

from __future__ import annotations

import string
from abc import ABC, abstractmethod
from typing import ClassVar, Final

from sentinela.errors import InvalidHashError

_HEX: Final = frozenset(string.hexdigits)


class HashType(ABC):
    """One kind of digest (``md5``, ``pdq``...), registered by its stable ``name``.

    Attributes:
        name: stable lower_snake registry name; persisted, never renamed.
        bits: digest length in bits; the hex form has ``bits // 4`` characters.
        exact: True for cryptographic digests, matched by equality only. False for perceptual
            hashes, matched within a distance threshold.
        default_threshold: the largest distance still counted as a match by default.
    """

    name: ClassVar[str]
    bits: ClassVar[int]
    exact: ClassVar[bool]
    default_threshold: ClassVar[int]

    @property
    def hex_length(self) -> int:
        """Length of the canonical hex form."""
        return self.bits // 4

    def validate(self, value: str) -> str:
        """Normalise a digest to canonical lower-case hex, or say what is wrong with it.

        Surrounding whitespace is dropped and upper-case hex is accepted, because hash lists
        from other agencies use both.

        Raises:
            InvalidHashError: wrong length, or a character that is not hexadecimal.
        """
        digest = value.strip()
        if len(digest) != self.hex_length:
            raise InvalidHashError(
                f"{self.name} digest must be {self.hex_length} hex characters, "
                f"got {len(digest)}: {value!r}"
            )
        for position, char in enumerate(digest):
            if char not in _HEX:
                raise InvalidHashError(
                    f"{self.name} digest has a non-hex character {char!r} at position "
                    f"{position}: {value!r}"
                )
        return digest.lower()

    @abstractmethod
    def distance(self, a: str, b: str) -> int:
        """Naive reference distance between two valid digests (0 means identical).

        Raises:
            InvalidHashError: either digest is malformed.
        """

    @abstractmethod
    def hash_bytes(self, data: bytes) -> str:
        """Compute this digest of ``data`` in canonical form.

        Raises:
            UnsupportedMediaError: the hash type needs media this data does not hold.
        """


class ExactHashType(HashType):
    """A cryptographic digest: two files match only when the digests are equal.

    The Hamming distance between two cryptographic digests says nothing about the files, so
    :meth:`distance` is 0 for equal digests and ``bits`` (the largest possible distance) for
    any others. That keeps one ``distance`` contract for every hash type while making it
    impossible to configure a "near" match on a cryptographic digest.
    """

    exact: ClassVar[bool] = True
    default_threshold: ClassVar[int] = 0

    def distance(self, a: str, b: str) -> int:
        """0 when the digests are equal, otherwise ``bits``."""
        return 0 if self.validate(a) == self.validate(b) else self.bits
