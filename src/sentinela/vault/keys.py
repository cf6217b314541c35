"""The vault master key: a 256-bit key in a mode-0600 file that wraps every object's own key.

Why a two-level hierarchy: each object is encrypted under its own random data key, and only
that 32-byte key is wrapped by the master key. Rotating the master key therefore rewrites a
small key slot per object and never re-encrypts the media (see ``docs/vault.md``).

Wrapping uses AES Key Wrap (RFC 3394, ``cryptography``'s ``aes_key_wrap``) rather than
AES-GCM: it is deterministic and needs no nonce, so there is no random-nonce birthday limit
however many hundreds of millions of objects one master key wraps; it carries its own
integrity check (a wrong master key or an edited slot fails to unwrap); and it is the
mechanism KMSs and HSMs offer (PKCS#11 ``CKM_AES_KEY_WRAP``), so a KMS-held master key can
replace the file later without changing the on-disk format.

Key file format (text, two lines)::

    sentinela-vault-master-key v1 id=<16 hex>
    <base64 of the 32 key bytes>
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import os
import secrets
import stat
from pathlib import Path

from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

from sentinela.errors import ConfigurationError, VaultError

KEY_BYTES = 32
KEY_ID_BYTES = 8
WRAPPED_KEY_BYTES = KEY_BYTES + 8  # RFC 3394 adds one 64-bit integrity block
FILE_MAGIC = "sentinela-vault-master-key"
FILE_VERSION = "v1"
_KEY_ID_DOMAIN = b"sentinela/vault/master-key-id/v1\x00"
_MAX_KEY_FILE_BYTES = 4096


class MasterKey:
    """A loaded master key. Its bytes never appear in ``repr`` or ``str``.

    Attributes:
        key_id: 16 lowercase hex characters naming the key (a domain-separated SHA-256 of it);
            stored in each object's key slot so the right key can be chosen for unwrapping.
    """

    __slots__ = ("_key", "key_id")

    def __init__(self, key: bytes) -> None:
        """Wrap raw key bytes.

        Raises:
            ConfigurationError: the key is not 32 bytes.
        """
        if len(key) != KEY_BYTES:
            raise ConfigurationError(f"a vault master key is {KEY_BYTES} bytes, not {len(key)}")
        self._key = bytes(key)
        self.key_id = hashlib.sha256(_KEY_ID_DOMAIN + self._key).hexdigest()[: KEY_ID_BYTES * 2]

    @classmethod
    def generate(cls) -> MasterKey:
        """Return a new random master key (not saved anywhere)."""
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def key_id_bytes(self) -> bytes:
        """The key id as the 8 raw bytes stored in key slots."""
        return bytes.fromhex(self.key_id)

    def wrap(self, data_key: bytes) -> bytes:
        """Wrap a 32-byte object key (RFC 3394); returns 40 bytes.

        Raises:
            VaultError: the data key is not 32 bytes.
        """
        if len(data_key) != KEY_BYTES:
            raise VaultError(f"an object key is {KEY_BYTES} bytes, not {len(data_key)}")
        return aes_key_wrap(self._key, data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        """Unwrap an object key wrapped by :meth:`wrap`.

        Raises:
            VaultError: the slot was wrapped by another key or has been altered.
        """
        if len(wrapped) != WRAPPED_KEY_BYTES:
            raise VaultError(f"a wrapped object key is {WRAPPED_KEY_BYTES} bytes")
        try:
            return aes_key_unwrap(self._key, wrapped)
        except InvalidUnwrap:
            raise VaultError(f"object key does not unwrap under master key {self.key_id}") from None

    def __repr__(self) -> str:
        return f"MasterKey(key_id={self.key_id!r})"


def _encode_key_file(key: MasterKey) -> bytes:
    body = base64.b64encode(key._key).decode("ascii")
    return f"{FILE_MAGIC} {FILE_VERSION} id={key.key_id}\n{body}\n".encode("ascii")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new_file(path: Path, payload: bytes) -> None:
    """Create ``path`` with mode 0600 and ``payload``, failing if it exists.

    The mode is given to ``open(2)`` itself (``O_CREAT|O_EXCL``), so the file is never readable
    by others, not even between creation and a later chmod.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a restrictive umask may have removed the owner's bits
        os.write(fd, payload)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def create_master_key(path: Path) -> MasterKey:
    """Generate a master key and save it to a new file with mode 0600.

    The key is written to a temporary file beside ``path`` and hard-linked into place, so
    ``path`` either does not exist or holds a complete key, even after a crash. An existing
    file is never overwritten.

    Args:
        path: where to save the key.

    Returns:
        The new key.

    Raises:
        ConfigurationError: ``path`` already exists or its folder cannot be written.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise ConfigurationError(f"master key file {path} already exists; refusing to overwrite")
    key = MasterKey.generate()
    payload = _encode_key_file(key)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        _write_new_file(tmp, payload)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ConfigurationError(
                f"master key file {path} already exists; refusing to overwrite"
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # File systems without hard links: exclusive create of the final name instead.
            _write_new_file(path, payload)
    except FileExistsError:
        raise ConfigurationError(
            f"master key file {path} already exists; refusing to overwrite"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot create master key file {path}: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)
    return key


def _check_file_safety(path: Path, st: os.stat_result) -> None:
    mode = stat.S_IMODE(st.st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"master key file {path} is accessible by group or others (mode {mode:04o}); "
            f"run: chmod 600 {path}"
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ConfigurationError(
            f"master key file {path} is owned by uid {st.st_uid}, not by this user "
            f"(uid {os.getuid()})"
        )


def _parse_key_file(path: Path, raw: bytes) -> MasterKey:
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise ConfigurationError(f"master key file {path} is not a Sentinela key file") from None
    lines = text.splitlines()
    header = lines[0].split() if lines else []
    if len(lines) != 2 or len(header) != 3 or header[0] != FILE_MAGIC:
        raise ConfigurationError(f"master key file {path} is not a Sentinela key file")
    if header[1] != FILE_VERSION:
        raise ConfigurationError(
            f"master key file {path} has format {header[1]}; this version reads {FILE_VERSION}"
        )
    try:
        key_bytes = base64.b64decode(lines[1].strip(), validate=True)
    except binascii.Error:
        raise ConfigurationError(f"master key file {path}: key is not valid base64") from None
    if len(key_bytes) != KEY_BYTES:
        raise ConfigurationError(f"master key file {path}: key is not {KEY_BYTES} bytes")
    key = MasterKey(key_bytes)
    if header[2] != f"id={key.key_id}":
        raise ConfigurationError(
            f"master key file {path} is corrupt: its key does not match its {header[2]}"
        )
    return key


def load_master_key(path: Path, *, strict: bool) -> MasterKey:
    """Load a master key file written by :func:`create_master_key`.

    Args:
        path: the key file (a symlink is followed; the checks apply to its target).
        strict: refuse a file that group or others can access or that another user owns
            (production mode); ``False`` only in development.

    Returns:
        The key.

    Raises:
        ConfigurationError: the file is missing, unsafe (strict) or malformed, in one line.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise ConfigurationError(
            f"master key file {path} does not exist; create one with create_master_key"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot open master key file {path}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)  # the file actually opened, not a path that may have changed
        if not stat.S_ISREG(st.st_mode):
            raise ConfigurationError(f"master key file {path} is not a regular file")
        if strict:
            _check_file_safety(path, st)
        raw = os.read(fd, _MAX_KEY_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > _MAX_KEY_FILE_BYTES:
        raise ConfigurationError(f"master key file {path} is not a Sentinela key file")
    return _parse_key_file(path, raw)
