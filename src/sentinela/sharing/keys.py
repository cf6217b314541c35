"""The Ed25519 key pair that signs hash-list releases.

The private key lives in a file kept like the vault master key: created with mode 0600 in the
same ``open(2)`` call (never readable by others, not even for an instant), never overwritten,
and refused outside development when group or others can read it. The public key is what
providers are given, out of band, with their API key; ``sentinela release public-key`` prints
it.

Why Ed25519: signatures are small and deterministic (re-signing the same document gives the
same bytes, so signed documents can be rebuilt instead of stored), verification is fast, and
every language has a vetted implementation.

Key file format (text, two lines)::

    sentinela-release-signing-key v1 id=<16 hex>
    <base64 of the 32-byte private key>

Public key text form: ``ed25519:<base64 of the 32 raw bytes>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from sentinela.errors import ConfigurationError
from sentinela.sharing.errors import ReleaseVerificationError

FILE_MAGIC = "sentinela-release-signing-key"
FILE_VERSION = "v1"
PUBLIC_PREFIX = "ed25519:"
_KEY_ID_DOMAIN = b"sentinela/release-signing-key-id/v1\x00"
_MAX_FILE_BYTES = 4096


class ReleasePublicKey:
    """A public key that verifies releases.

    Attributes:
        key_id: 16 hex characters naming the key (a domain-separated SHA-256 of it), written
            into every signature so a provider can tell which key signed.
    """

    __slots__ = ("_key", "key_id", "raw")

    def __init__(self, raw: bytes) -> None:
        """Wrap the 32 raw bytes of an Ed25519 public key.

        Raises:
            ReleaseVerificationError: not a valid Ed25519 public key.
        """
        try:
            self._key = Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            raise ReleaseVerificationError("not an Ed25519 public key") from None
        self.raw = bytes(raw)
        self.key_id = hashlib.sha256(_KEY_ID_DOMAIN + self.raw).hexdigest()[:16]

    @classmethod
    def from_text(cls, text: str) -> ReleasePublicKey:
        """Parse ``ed25519:<base64>``.

        Raises:
            ReleaseVerificationError: malformed text or key.
        """
        value = text.strip()
        if not value.startswith(PUBLIC_PREFIX):
            raise ReleaseVerificationError(f"a release public key starts with {PUBLIC_PREFIX!r}")
        try:
            raw = base64.b64decode(value[len(PUBLIC_PREFIX) :], validate=True)
        except binascii.Error:
            raise ReleaseVerificationError("release public key is not valid base64") from None
        return cls(raw)

    def to_text(self) -> str:
        """The key as ``ed25519:<base64>``."""
        return PUBLIC_PREFIX + base64.b64encode(self.raw).decode("ascii")

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``message``."""
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"ReleasePublicKey(key_id={self.key_id!r})"


class ReleaseSigningKey:
    """The private key. Its bytes never appear in ``repr``."""

    __slots__ = ("_key", "public")

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public = ReleasePublicKey(
            key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        )

    @classmethod
    def generate(cls) -> ReleaseSigningKey:
        """A new random key (not saved anywhere)."""
        return cls(Ed25519PrivateKey.generate())

    @property
    def key_id(self) -> str:
        """The key id of the public half."""
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message)

    def _raw(self) -> bytes:
        return self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def __repr__(self) -> str:
        return f"ReleaseSigningKey(key_id={self.key_id!r})"


def create_signing_key(path: Path) -> ReleaseSigningKey:
    """Generate a signing key and save it to a new file with mode 0600.

    Raises:
        ConfigurationError: ``path`` exists or cannot be created.
    """
    key = ReleaseSigningKey.generate()
    body = base64.b64encode(key._raw()).decode("ascii")
    payload = f"{FILE_MAGIC} {FILE_VERSION} id={key.key_id}\n{body}\n".encode("ascii")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ConfigurationError(
            f"signing key file {path} already exists; refusing to overwrite"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot create signing key file {path}: {exc}") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, payload)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise ConfigurationError(f"cannot write signing key file {path}: {exc}") from None
    os.close(fd)
    return key


def load_signing_key(path: Path, *, strict: bool) -> ReleaseSigningKey:
    """Load a key file written by :func:`create_signing_key`.

    Args:
        path: the key file.
        strict: refuse a file that group or others can access, or that another user owns.

    Raises:
        ConfigurationError: missing, unsafe (strict) or malformed, in one line.
    """
    try:
        st = path.stat()
        raw = path.read_bytes()[:_MAX_FILE_BYTES]
    except FileNotFoundError:
        raise ConfigurationError(
            f"signing key file {path} does not exist; run: sentinela release init-key"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot read signing key file {path}: {exc}") from None
    mode = stat.S_IMODE(st.st_mode)
    if strict and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"signing key file {path} is accessible by group or others (mode {mode:04o}); "
            f"run: chmod 600 {path}"
        )
    if strict and hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ConfigurationError(f"signing key file {path} is not owned by this user")
    lines = raw.decode("ascii", errors="replace").splitlines()
    header = lines[0].split() if lines else []
    if len(lines) != 2 or len(header) != 3 or header[:2] != [FILE_MAGIC, FILE_VERSION]:
        raise ConfigurationError(f"signing key file {path} is not a {FILE_VERSION} signing key")
    try:
        key = ReleaseSigningKey(
            Ed25519PrivateKey.from_private_bytes(base64.b64decode(lines[1], validate=True))
        )
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"signing key file {path}: malformed key") from None
    if header[2] != f"id={key.key_id}":
        raise ConfigurationError(f"signing key file {path} is corrupt: key id does not match")
    return key
