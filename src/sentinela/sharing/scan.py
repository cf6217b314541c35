"""``sentinela scan``: a provider hashes a folder and checks it against the police list.

Files are hashed with exactly the code ingest uses (:func:`sentinela.hashing.hasher.hash_path`:
MD5, SHA-1, SHA-256, and PDQ for decodable images), opened read-only, and nothing is written.
The hashes are checked either against a downloaded, verified list (nothing leaves the
provider) or against the remote match API in batches. Either way only the counts go back to
the police: the remote API counts what it is asked, and a local scan reports
``{"examined", "matched"}``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sentinela.errors import EvidenceError
from sentinela.hashing.hasher import FileHashResult, hash_path
from sentinela.sharing.http_client import HashQuery, SentinelaApiClient
from sentinela.sharing.local_list import LocalHashList

#: PDQ radius used for local matching (python-threatexchange's confident threshold).
PDQ_THRESHOLD = 31
_BATCH_FILES = 200  # 4 hashes per image: 800 per request, under the API's 1000


@dataclass(frozen=True)
class ScanHit:
    """A file that matched: which hash, which category, baseline or not, how far (PDQ)."""

    path: str
    hash_type: str
    digest: str
    category: str
    baseline: bool
    distance: int


@dataclass
class ScanReport:
    """What a scan found. ``examined`` counts hashes, ``files`` files."""

    files: int = 0
    examined: int = 0
    unreadable: list[str] = field(default_factory=list)
    hits: list[ScanHit] = field(default_factory=list)

    @property
    def matched_hashes(self) -> int:
        """How many of the examined hashes matched at least once."""
        return len({(h.path, h.hash_type) for h in self.hits})

    @property
    def matched_files(self) -> int:
        """How many files matched at least once."""
        return len({h.path for h in self.hits})


def walk_files(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder``, in a stable order, without following links."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _queries(result: FileHashResult) -> list[HashQuery]:
    queries = [
        HashQuery("md5", result.md5),
        HashQuery("sha1", result.sha1),
        HashQuery("sha256", result.sha256),
    ]
    if result.pdq:
        queries.append(HashQuery("pdq", result.pdq))
    return queries


def _hashed(folder: Path, report: ScanReport) -> Iterator[FileHashResult]:
    for path in walk_files(folder):
        try:
            result = hash_path(path, want_thumbnail=False)
        except EvidenceError:
            report.unreadable.append(str(path))
            continue
        report.files += 1
        yield result


def scan_local(folder: Path, hash_list: LocalHashList) -> ScanReport:
    """Check every file under ``folder`` against a downloaded list."""
    report = ScanReport()
    for result in _hashed(folder, report):
        queries = _queries(result)
        report.examined += len(queries)
        for q in queries:
            if q.hash_type == "pdq":
                for m in hash_list.match_pdq([q.value], PDQ_THRESHOLD)[0]:
                    report.hits.append(
                        _hit(
                            result.name,
                            q,
                            m.entry.scheme,
                            m.entry.code,
                            m.entry.baseline,
                            m.distance,
                        )
                    )
            elif (entry := hash_list.lookup(q.hash_type, q.value)) is not None:
                report.hits.append(
                    _hit(result.name, q, entry.scheme, entry.code, entry.baseline, 0)
                )
    return report


def _hit(path: str, q: HashQuery, scheme: str, code: str, baseline: bool, distance: int) -> ScanHit:
    return ScanHit(path, q.hash_type, q.value, f"{scheme}:{code}", baseline, distance)


def scan_remote(folder: Path, client: SentinelaApiClient) -> ScanReport:
    """Check every file under ``folder`` with the remote match API.

    Raises:
        ApiRequestError: the server refused a batch or could not be reached.
    """
    report = ScanReport()
    batch: list[tuple[str, HashQuery]] = []

    def flush() -> None:
        if not batch:
            return
        answer = client.match([q for _, q in batch])
        for m in answer.get("matches", []):
            path, q = batch[int(m["index"])]
            report.hits.append(
                _hit(
                    path,
                    q,
                    str(m["category_scheme"]),
                    str(m["category_code"]),
                    bool(m["baseline"]),
                    int(m["distance"]),
                )
            )
        report.examined += len(batch)
        batch.clear()

    for i, result in enumerate(_hashed(folder, report), start=1):
        batch.extend((result.name, q) for q in _queries(result))
        if i % _BATCH_FILES == 0:
            flush()
    flush()
    return report
