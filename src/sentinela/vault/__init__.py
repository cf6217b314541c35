"""Encrypted, content-addressed media vault (AES-256-GCM, one key per object).

Importing this package has no side effects. See ``docs/vault.md`` for the on-disk format.
"""

from __future__ import annotations

from sentinela.vault.addressing import VaultRef, normalise_sha256
from sentinela.vault.errors import CorruptObjectError, ObjectMissingError
from sentinela.vault.keys import MasterKey, create_master_key, load_master_key
from sentinela.vault.store import Vault
from sentinela.vault.thumbnails import make_thumbnail, render_thumbnail

__all__ = [
    "CorruptObjectError",
    "MasterKey",
    "ObjectMissingError",
    "Vault",
    "VaultRef",
    "create_master_key",
    "load_master_key",
    "make_thumbnail",
    "normalise_sha256",
    "render_thumbnail",
]
