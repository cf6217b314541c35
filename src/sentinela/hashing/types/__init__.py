"""Hash type registry: one module per hash type, listed explicitly below.

To add a hash type, write ``hashing/types/<name>.py`` with one :class:`HashType` subclass,
add it to :data:`BUILTIN_HASH_TYPES`, and subclass ``HashTypeContract`` in
``tests/contracts/test_hash_types.py``; a test fails if a module here is not registered.
"""

from __future__ import annotations

from typing import Final

from sentinela.hashing.types.base import ExactHashType, HashType
from sentinela.hashing.types.md5 import Md5
from sentinela.hashing.types.pdq import Pdq
from sentinela.hashing.types.sha1 import Sha1
from sentinela.hashing.types.sha256 import Sha256
from sentinela.registry import Registry

__all__ = ["BUILTIN_HASH_TYPES", "ExactHashType", "HashType", "build_hash_type_registry"]

#: The built-in hash types, in the order they are registered.
BUILTIN_HASH_TYPES: Final[tuple[type[HashType], ...]] = (Md5, Sha1, Sha256, Pdq)


def build_hash_type_registry() -> Registry[HashType]:
    """A fresh registry holding one instance of every built-in hash type.

    Raises:
        DuplicateNameError: two hash types share a name.
    """
    registry: Registry[HashType] = Registry("hash type")
    for hash_type in BUILTIN_HASH_TYPES:
        registry.register(hash_type())
    return registry
