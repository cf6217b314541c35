"""The encrypted, content-addressed vault: media (and their thumbnails) filed by SHA-256.

Layout under the vault root (all folders 0700, all files 0600)::

    media/ab/cd/<sha256>.sv        one object per distinct content
    thumbnails/ab/cd/<sha256>.sv   the thumbnail of that media item (keyed by the media SHA-256)
    tmp/                           objects being written (ciphertext only), renamed into place
    rekey/                         rotation journals (see ``rekey.py``)

The object format is described in ``format.py`` and ``docs/vault.md``.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from sentinela.errors import InvalidInputError, VaultError
from sentinela.vault.addressing import (
    OBJECT_SUFFIX,
    SHA256_PATTERN,
    VaultRef,
    check_kind,
    normalise_sha256,
    object_relpath,
)
from sentinela.vault.errors import CorruptObjectError, ObjectMissingError
from sentinela.vault.format import (
    DEFAULT_CHUNK_SIZE,
    HEADER_BYTES,
    KIND_DIRS,
    MAX_CHUNK_SIZE,
    MIN_CHUNK_SIZE,
    parse_header,
)
from sentinela.vault.keys import MasterKey
from sentinela.vault.opening import SealedObject, VaultReader
from sentinela.vault.rekey import JOURNAL_SUFFIX, fsync_dir, replay_journals, rewrap_object
from sentinela.vault.sealing import Plaintext, seal


def _ensure_dir(root: Path, relative: Iterable[str]) -> Path:
    path = root
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in relative:
        path = path / part
        path.mkdir(mode=0o700, exist_ok=True)
    return path


class Vault:
    """Encrypted, content-addressed storage of media and thumbnails.

    Each object gets its own random AES-256-GCM key, wrapped by the master key. Objects are
    written once: storing the same SHA-256 again is a no-op. Plaintext never touches disk.

    Attributes:
        root: the vault folder.
        master: the key new objects are wrapped under.
    """

    def __init__(
        self,
        root: Path,
        master: MasterKey,
        *,
        retired: Iterable[MasterKey] = (),
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        """Open (lazily create) a vault.

        Args:
            root: the vault folder; created with mode 0700 on the first write.
            master: the current master key.
            retired: older master keys still accepted for reading (during a rotation).
            chunk_size: plaintext bytes per chunk for new objects (readers use each
                object's own chunk size).

        Raises:
            InvalidInputError: ``chunk_size`` is outside 1 KiB..64 MiB.
        """
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise InvalidInputError(
                f"vault chunk size must be {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE}, not {chunk_size}"
            )
        self.root = Path(root)
        self.master = master
        self.chunk_size = chunk_size
        self._keys = {key.key_id_bytes: key for key in (*retired, master)}

    # -- addressing --------------------------------------------------------------------

    def relpath(self, sha256: str, kind: str = "media") -> str:
        """The path of an object relative to the vault root (what the database stores)."""
        return object_relpath(sha256, kind)

    def path_for(self, sha256: str, kind: str = "media") -> Path:
        """The absolute path of an object (whether or not it exists)."""
        return self.root / self.relpath(sha256, kind)

    def exists(self, sha256: str, kind: str = "media") -> bool:
        """Whether an object is stored (its integrity is not checked; see :meth:`verify`)."""
        return self.path_for(sha256, kind).is_file()

    def iter_addresses(self, kind: str = "media") -> Iterator[str]:
        """Yield the SHA-256 of every stored object of ``kind``, in sorted order."""
        base = self.root / KIND_DIRS[check_kind(kind)]
        for path in sorted(base.glob(f"??/??/*{OBJECT_SUFFIX}")):
            stem = path.name[: -len(OBJECT_SUFFIX)]
            if SHA256_PATTERN.match(stem):
                yield stem

    # -- writing -----------------------------------------------------------------------

    def put(self, sha256: str, data: Plaintext, kind: str = "media") -> VaultRef:
        """Store content under its SHA-256, once.

        Args:
            sha256: for media, the SHA-256 of ``data`` (checked while encrypting); for a
                thumbnail, the SHA-256 of the media item it shows.
            data: the plaintext, as bytes or a binary stream (read to its end, never held
                whole in memory).
            kind: ``media`` or ``thumbnail``.

        Returns:
            A reference; ``created`` is ``False`` when the object was already stored.

        Raises:
            InvalidHashError: ``sha256`` is malformed.
            VaultError: the content's SHA-256 differs from ``sha256``, or writing failed;
                nothing is left behind.
        """
        sha = normalise_sha256(sha256)
        checked_kind = check_kind(kind)
        relpath = self.relpath(sha, checked_kind)
        final = self.root / relpath
        existing = self._existing_size(final, sha, checked_kind)
        if existing is not None:
            return VaultRef(sha, checked_kind, relpath, existing, created=False)
        parent = _ensure_dir(self.root, relpath.split("/")[:-1])
        tmp = _ensure_dir(self.root, ["tmp"]) / f"{secrets.token_hex(16)}.partial"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                result = seal(
                    out,
                    data,
                    kind=checked_kind,
                    address=bytes.fromhex(sha),
                    chunk_size=self.chunk_size,
                    master=self.master,
                )
                if checked_kind == "media" and result.sha256 != sha:
                    raise VaultError(
                        f"refusing to store media {sha}: its content hashes to {result.sha256}"
                    )
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(parent)
        return VaultRef(sha, checked_kind, relpath, result.plaintext_size, created=True)

    def _existing_size(self, path: Path, sha: str, kind: str) -> int | None:
        """Plaintext size of a structurally sound object at ``path``, else ``None``.

        A damaged object (bad header or wrong length) counts as absent, so storing the same
        content again repairs it.
        """
        try:
            with path.open("rb") as fh:
                raw = fh.read(HEADER_BYTES)
                size = os.fstat(fh.fileno()).st_size
        except FileNotFoundError:
            return None
        try:
            header = parse_header(raw, name=f"{kind} {sha}")
        except CorruptObjectError:
            return None
        if header.kind != kind or header.address.hex() != sha or header.file_size() != size:
            return None
        return header.plaintext_size

    def remove_partials(self, older_than_s: float = 3600.0) -> int:
        """Delete temporary files (ciphertext only) left by writers that crashed.

        Args:
            older_than_s: only files last modified this long ago, so live writers are spared.

        Returns:
            How many were removed.
        """
        tmp = self.root / "tmp"
        if not tmp.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for path in tmp.glob("*.partial"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    # -- reading -----------------------------------------------------------------------

    def _open(self, sha256: str, kind: str) -> SealedObject:
        sha = normalise_sha256(sha256)
        checked_kind = check_kind(kind)
        name = f"{checked_kind} {sha}"
        try:
            return SealedObject(
                self.path_for(sha, checked_kind),
                name=name,
                kind=checked_kind,
                address=bytes.fromhex(sha),
                keys=self._keys,
            )
        except FileNotFoundError:
            raise ObjectMissingError(f"the vault holds no {name}") from None

    def get(self, sha256: str, kind: str = "media") -> bytes:
        """Decrypt a whole object into memory (for images and thumbnails; stream videos).

        Raises:
            ObjectMissingError: nothing is stored under that address.
            CorruptObjectError: the object was tampered with, truncated or reordered.
            VaultError: its master key is not loaded.
        """
        with self._open(sha256, kind) as sealed:
            return b"".join(sealed.iter_chunks())

    def iter_chunks(self, sha256: str, kind: str = "media") -> Iterator[bytes]:
        """Decrypt an object chunk by chunk (each authenticated before it is yielded).

        The object is opened, and a missing or malformed one reported, before the first chunk.

        Raises:
            ObjectMissingError, CorruptObjectError, VaultError: as for :meth:`get`.
        """
        sealed = self._open(sha256, kind)

        def chunks() -> Iterator[bytes]:
            with sealed:
                yield from sealed.iter_chunks()

        return chunks()

    def open_stream(self, sha256: str, kind: str = "media") -> io.BufferedReader:
        """Open an object as a seekable, read-only binary stream of its plaintext.

        Raises:
            ObjectMissingError, CorruptObjectError, VaultError: as for :meth:`get`.
        """
        sealed = self._open(sha256, kind)
        return io.BufferedReader(VaultReader(sealed), buffer_size=sealed.header.chunk_size)

    def verify(self, sha256: str, kind: str = "media") -> None:
        """Decrypt a whole object, authenticating every chunk; media are also re-hashed.

        Raises:
            ObjectMissingError, VaultError: as for :meth:`get`.
            CorruptObjectError: authentication or the SHA-256 check fails.
        """
        digest = hashlib.sha256()
        with self._open(sha256, kind) as sealed:
            for chunk in sealed.iter_chunks():
                digest.update(chunk)
            self._check_digest(sealed, digest.hexdigest())

    @staticmethod
    def _check_digest(sealed: SealedObject, actual: str) -> None:
        if sealed.header.kind == "media" and actual != sealed.header.address.hex():
            raise CorruptObjectError(
                f"vault object {sealed.name} decrypts to content with SHA-256 {actual}"
            )

    def export_to(self, sha256: str, target: Path, kind: str = "media") -> int:
        """Decrypt an object straight into a new file (an authorised content export).

        The target is created with mode 0600 and never overwritten. Media are re-hashed on
        the way; on any failure the partial target is deleted.

        Args:
            sha256: the object's address.
            target: the file to create.
            kind: ``media`` or ``thumbnail``.

        Returns:
            The number of bytes written.

        Raises:
            ObjectMissingError, CorruptObjectError, VaultError: as for :meth:`verify`.
            FileExistsError: ``target`` already exists.
        """
        target = Path(target)
        digest = hashlib.sha256()
        with self._open(sha256, kind) as sealed:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with os.fdopen(fd, "wb") as out:
                    for chunk in sealed.iter_chunks():
                        digest.update(chunk)
                        out.write(chunk)
                    self._check_digest(sealed, digest.hexdigest())
                    out.flush()
                    os.fsync(out.fileno())
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            return sealed.plaintext_size

    # -- key rotation ------------------------------------------------------------------

    def _journal_target(self, stem: str) -> Path | None:
        kind, _, sha = stem.partition("-")
        if kind not in KIND_DIRS or not SHA256_PATTERN.match(sha):
            return None
        return self.path_for(sha, kind)

    def rotate_master_key(self, new: MasterKey) -> int:
        """Re-wrap every object's key under ``new``; the encrypted bodies are not touched.

        Each object is switched atomically (see ``rekey.py``). The rotation is resumable:
        run it again after an interruption and objects already under ``new`` are skipped.
        Run it while no ingest writes to the vault, or run it again afterwards. On success
        ``new`` becomes :attr:`master` and the old key stays accepted for reading.

        Returns:
            The number of objects re-wrapped by this call.

        Raises:
            VaultError: an object is wrapped under a master key that this vault was not given.
            CorruptObjectError: an object's header is damaged.
        """
        keys = {**self._keys, new.key_id_bytes: new}
        journal_dir = _ensure_dir(self.root, ["rekey"])
        replay_journals(journal_dir, self._journal_target)
        count = 0
        for kind in KIND_DIRS:
            for sha in self.iter_addresses(kind):
                if rewrap_object(
                    self.path_for(sha, kind),
                    name=f"{kind} {sha}",
                    keys=keys,
                    new=new,
                    journal=journal_dir / f"{kind}-{sha}{JOURNAL_SUFFIX}",
                ):
                    count += 1
        self._keys = keys
        self.master = new
        return count
