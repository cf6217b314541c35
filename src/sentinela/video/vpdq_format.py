"""vPDQ fingerprints as text: Meta's ``vpdq`` hash file, and python-threatexchange's signal.

The ``vpdq`` hash file (written by ``vpdq-hash-video``, read by ``match-hashes-brute`` and
the other reference tools) has one line per hashed frame::

    frame_number,quality,pdq_hex,timestamp

with the timestamp in seconds to three decimals (``outputVPDQFeatureToFile`` and
``loadHashesFromFileOrDie`` in ``vpdq/cpp/io/vpdqio.cpp``). :func:`write_vpdq` writes exactly
that; :func:`read_vpdq` reads it, refusing what the reference would misread (its parser uses
``atoi``, so a damaged line silently becomes frame 0) with a :class:`FormatError` naming
the line.

python-threatexchange (and so HMA and ThreatExchange) exchanges a vPDQ signal as a JSON
list of ``"pdq_hex,quality,timestamp"`` strings, without frame numbers
(``VpdqCompactFeature``). :func:`to_signal` writes it and :func:`from_signal` reads it,
numbering the frames by their position in the list.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

from sentinela.errors import FormatError, InvalidHashError
from sentinela.video.features import FrameHash

#: Decimals of the timestamp in both formats (the reference's ``TIMESTAMP_OUTPUT_PRECISION``).
TIMESTAMP_DECIMALS = 3


def write_vpdq(frames: Iterable[FrameHash]) -> str:
    """The reference hash file's text for ``frames`` (one line each, newline-terminated)."""
    return "".join(
        f"{f.frame_number},{f.quality},{f.pdq},{f.timestamp:.{TIMESTAMP_DECIMALS}f}\n"
        for f in frames
    )


def read_vpdq(text: str, *, path: str | None = None) -> list[FrameHash]:
    """Parse a reference hash file.

    Blank lines are skipped; anything else must be a well-formed frame line.

    Args:
        text: the file's content.
        path: shown in error messages.

    Returns:
        The frames, in file order.

    Raises:
        FormatError: a malformed line (its number is given) or no frame at all.
    """
    frames: list[FrameHash] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.strip().split(",")
        if len(parts) != 4:
            raise FormatError(
                f"expected frame_number,quality,pdq,timestamp, got {len(parts)} fields",
                path=path,
                position=f"line {number}",
            )
        frame_text, quality_text, pdq, time_text = parts
        frames.append(_frame(frame_text, quality_text, pdq, time_text, path, f"line {number}"))
    if not frames:
        raise FormatError("no frame hashes in vPDQ hash file", path=path)
    return frames


def load_vpdq_file(path: Path) -> list[FrameHash]:
    """Read a reference hash file from disk (UTF-8 or ASCII).

    Raises:
        FormatError: unreadable, not text, or malformed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read vPDQ hash file: {exc}", path=str(path)) from None
    return read_vpdq(text, path=str(path))


def save_vpdq_file(path: Path, frames: Iterable[FrameHash]) -> None:
    """Write a reference hash file (hashes only: no media content)."""
    path.write_text(write_vpdq(frames), encoding="ascii")


def to_signal(frames: Iterable[FrameHash]) -> str:
    """python-threatexchange's vPDQ ``signal_str``: a JSON list of ``pdq,quality,time``."""
    return json.dumps([f"{f.pdq},{f.quality},{f.timestamp:.{TIMESTAMP_DECIMALS}f}" for f in frames])


def from_signal(signal: str, *, path: str | None = None) -> list[FrameHash]:
    """Parse python-threatexchange's vPDQ ``signal_str``; frames are numbered 0, 1, 2...

    Raises:
        FormatError: not a JSON list of ``pdq,quality,timestamp`` strings.
    """
    try:
        items = json.loads(signal)
    except json.JSONDecodeError as exc:
        raise FormatError(f"vPDQ signal is not JSON: {exc}", path=path) from None
    if not isinstance(items, list):
        raise FormatError("vPDQ signal must be a JSON list", path=path)
    frames: list[FrameHash] = []
    for index, item in enumerate(items):
        where = f"item {index}"
        if not isinstance(item, str) or item.count(",") != 2:
            raise FormatError(
                "expected a 'pdq,quality,timestamp' string", path=path, position=where
            )
        pdq, quality_text, time_text = item.split(",")
        frames.append(_frame(str(index), quality_text, pdq, time_text, path, where))
    return frames


def _frame(
    frame_text: str, quality_text: str, pdq: str, time_text: str, path: str | None, where: str
) -> FrameHash:
    try:
        frame_number = int(frame_text)
        quality = int(quality_text)
        timestamp = float(time_text)
    except ValueError:
        raise FormatError(
            f"frame number and quality must be integers and the timestamp a number: "
            f"{frame_text!r}, {quality_text!r}, {time_text!r}",
            path=path,
            position=where,
        ) from None
    if not math.isfinite(timestamp):
        raise FormatError(f"timestamp {time_text!r} is not finite", path=path, position=where)
    try:
        return FrameHash(frame_number, quality, pdq.strip().lower(), timestamp)
    except InvalidHashError as exc:
        raise FormatError(str(exc), path=path, position=where) from None
