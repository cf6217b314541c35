"""Vault put/get throughput beside one-shot AES-256-GCM from ``cryptography`` (the reference).

Run ``python -m bench.vault`` (256 MiB objects, 5 repeats) or smaller while developing:
``python -m bench.vault --size-mib 32 --repeats 3``.

Rows, each the median over the repeats:
- ``reference encrypt/decrypt``: ``AESGCM.encrypt``/``decrypt`` over the whole buffer at once;
  the ceiling, with no chunking, hashing or I/O.
- ``sha256``: ``hashlib.sha256`` over the buffer; put re-hashes every byte to check the address.
- ``seal to memory``: our chunked encryption and hashing into a ``BytesIO`` (no disk).
- ``vault put``: the full path: encrypt, hash, write a temp file, fsync, rename, fsync dir.
- ``vault get``: open, check, unwrap, decrypt and authenticate every chunk into one ``bytes``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sentinela.vault.format import DEFAULT_CHUNK_SIZE
from sentinela.vault.keys import MasterKey
from sentinela.vault.sealing import seal
from sentinela.vault.store import Vault

MIB = 1024 * 1024


def _median_seconds(run: Callable[[int], object], repeats: int) -> float:
    times = []
    for index in range(repeats):
        start = time.perf_counter()
        run(index)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=256, help="object size (MiB)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chunk-kib", type=int, default=DEFAULT_CHUNK_SIZE // 1024)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the vault")
    args = parser.parse_args()

    size = args.size_mib * MIB
    chunk_size = args.chunk_kib * 1024
    base = os.urandom(size)
    master = MasterKey.generate()

    aead = AESGCM(AESGCM.generate_key(256))
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, base, None)
    rows: dict[str, float] = {}
    rows["reference encrypt (one shot)"] = _median_seconds(
        lambda _: aead.encrypt(nonce, base, None), args.repeats
    )
    rows["reference decrypt (one shot)"] = _median_seconds(
        lambda _: aead.decrypt(nonce, sealed, None), args.repeats
    )

    rows["sha256 only"] = _median_seconds(lambda _: hashlib.sha256(base), args.repeats)
    rows["seal to memory (chunked + sha256)"] = _median_seconds(
        lambda _: seal(
            io.BytesIO(),
            base,
            kind="media",
            address=bytes(32),
            chunk_size=chunk_size,
            master=master,
        ),
        args.repeats,
    )
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        vault = Vault(Path(tmp), master, chunk_size=chunk_size)
        put_times, digests = [], []
        blob = bytearray(base)
        for index in range(args.repeats):
            blob[:8] = index.to_bytes(8, "big")  # distinct contents, or put is a no-op
            digest = hashlib.sha256(blob).hexdigest()
            start = time.perf_counter()
            vault.put(digest, blob)
            put_times.append(time.perf_counter() - start)
            digests.append(digest)
        rows["vault put (disk, fsync)"] = statistics.median(put_times)
        rows["vault get"] = _median_seconds(lambda i: vault.get(digests[i]), args.repeats)

    print(f"object {args.size_mib} MiB, chunk {args.chunk_kib} KiB, {args.repeats} repeats")
    print(f"{'operation':<36} {'median s':>9} {'MiB/s':>9} {'vs ref':>7}")
    for name, seconds in rows.items():
        reference = rows[
            "reference decrypt (one shot)"
            if "get" in name or "decrypt" in name
            else "reference encrypt (one shot)"
        ]
        rate = args.size_mib / seconds
        print(f"{name:<36} {seconds:>9.3f} {rate:>9.0f} {reference / seconds:>7.2f}")


if __name__ == "__main__":
    main()
