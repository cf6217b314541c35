"""Re-hash an exhibit and compare it with the hashes recorded when it was registered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sentinela.evidence.container_hashes import ContainerHashes, hash_container
from sentinela.evidence.digests import Progress
from sentinela.evidence.kinds import detect_kind

# Fields compared between the recorded and the current hashes, when both have a value.
_COMPARED = (
    "sha256",
    "md5",
    "size",
    "segments",
    "media_md5",
    "media_sha1",
    "media_size",
    "acquisition_md5",
    "acquisition_sha1",
)


@dataclass(frozen=True)
class Mismatch:
    """One value that differs: what was recorded and what was found now."""

    field: str
    recorded: str
    current: str

    def __str__(self) -> str:
        return f"{self.field}: recorded {self.recorded}, now {self.current}"


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of :func:`verify_container`.

    Attributes:
        current: the hashes measured now.
        mismatches: every value that differs from the record (empty when it matches). An E01
            whose media no longer matches its own stored hash gives a ``verified`` mismatch.
    """

    current: ContainerHashes
    mismatches: tuple[Mismatch, ...]

    @property
    def matches(self) -> bool:
        """True when nothing differs."""
        return not self.mismatches

    def summary(self) -> str:
        """One line for a person."""
        if self.matches:
            return f"match: SHA-256 {self.current.sha256}"
        return "mismatch: " + "; ".join(str(m) for m in self.mismatches)


def verify_container(
    path: Path, recorded: ContainerHashes, progress: Progress | None = None
) -> VerificationResult:
    """Re-hash the exhibit at ``path`` (read-only) and compare it with ``recorded``.

    A mismatch is a result, not an error: the caller records and reports it.

    Raises:
        ExhibitNotFoundError, UnreadableEvidenceError: the exhibit cannot be read.
        TruncatedImageError, CorruptEvidenceError: an E01 can no longer be opened.
    """
    kind = detect_kind(path)
    mismatches: list[Mismatch] = []
    if kind != recorded.kind:
        mismatches.append(Mismatch("kind", str(recorded.kind), str(kind)))
    current = hash_container(path, kind, progress, strict=False)
    for name in _COMPARED:
        before, now = getattr(recorded, name), getattr(current, name)
        if before is not None and before != now:
            mismatches.append(Mismatch(name, _show(before), _show(now)))
    if current.verified is False:
        mismatches.append(
            Mismatch(
                "verified",
                f"stored MD5 {current.acquisition_md5} SHA-1 {current.acquisition_sha1}",
                f"media MD5 {current.media_md5} SHA-1 {current.media_sha1}",
            )
        )
    return VerificationResult(current=current, mismatches=tuple(mismatches))


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) or "-"
    return str(value)
