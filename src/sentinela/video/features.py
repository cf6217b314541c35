"""One hashed video frame, as vPDQ defines it, and the frame selection vPDQ matching uses.

A vPDQ fingerprint is the list of PDQ hashes of frames sampled once per second, each with
the frame's number (its position in decoding output, counted from 0), its PDQ quality and
its timestamp (frame number / frame rate, as the reference computes it). These four values
are exactly what Meta's ``vpdq`` writes, so a fingerprint crosses to and from other tools
without loss (see :mod:`sentinela.video.vpdq_format`).

Before matching, vPDQ drops frames of low PDQ quality (a flat or dark frame's hash says
little) and keeps one frame per distinct hash: :func:`prepare_for_matching` applies both,
as python-threatexchange's ``prepare_vpdq_feature`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sentinela.errors import InvalidHashError
from sentinela.matching.codes import PDQ_HEX_LEN

#: Frames whose PDQ quality is below this are not matched (vPDQ's ``qualityTolerance``).
VPDQ_QUALITY_THRESHOLD: Final = 50
_HEX_DIGITS: Final = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class FrameHash:
    """The PDQ hash of one sampled frame.

    Attributes:
        frame_number: position of the frame in the decoder's output, counted from 0.
        quality: PDQ quality, 0-100.
        pdq: 64 lower-case hex characters, in the reference's (and python-threatexchange's)
            bit order.
        timestamp: seconds, ``frame_number / frame_rate`` computed as the reference does.
    """

    frame_number: int
    quality: int
    pdq: str
    timestamp: float

    def __post_init__(self) -> None:
        if len(self.pdq) != PDQ_HEX_LEN or not _HEX_DIGITS.issuperset(self.pdq):
            raise InvalidHashError(
                f"frame {self.frame_number}: PDQ must be {PDQ_HEX_LEN} lower-case hex "
                f"characters, got {self.pdq!r}"
            )
        if not 0 <= self.quality <= 100:
            raise InvalidHashError(
                f"frame {self.frame_number}: quality {self.quality} is outside 0-100"
            )
        if self.frame_number < 0 or not self.timestamp >= 0:
            raise InvalidHashError(
                f"frame {self.frame_number}: frame number and timestamp must not be negative"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "frame_number": self.frame_number,
            "quality": self.quality,
            "pdq": self.pdq,
            "timestamp": self.timestamp,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FrameHash:
        """Inverse of :meth:`to_dict`.

        Raises:
            InvalidHashError: a field is missing or out of range.
        """
        try:
            return cls(
                int(data["frame_number"]),
                int(data["quality"]),
                str(data["pdq"]).lower(),
                float(data["timestamp"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidHashError(f"malformed frame hash {dict(data)!r}: {exc}") from None


def prepare_for_matching(
    frames: Iterable[FrameHash], quality_threshold: int = VPDQ_QUALITY_THRESHOLD
) -> list[FrameHash]:
    """The frames vPDQ matches: quality at least ``quality_threshold``, one per distinct hash.

    Low-quality frames are dropped first, then the first remaining frame of each distinct
    hash is kept, in input order: python-threatexchange's ``prepare_vpdq_feature`` (what its
    vPDQ index uses) in that order.

    Args:
        frames: a video's frame hashes.
        quality_threshold: lowest PDQ quality kept.

    Returns:
        The kept frames.
    """
    seen: set[str] = set()
    kept: list[FrameHash] = []
    for frame in frames:
        if frame.quality >= quality_threshold and frame.pdq not in seen:
            seen.add(frame.pdq)
            kept.append(frame)
    return kept
