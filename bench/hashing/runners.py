"""What the hashing bench times, and the PDQ drift it measures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from threatexchange.signal_type.pdq.pdq_hasher import pdq_from_bytes
from threatexchange.signal_type.pdq.signal import PdqSignal

from bench.hashing.dataset import BenchImage
from sentinela.hashing.hasher import hash_path
from sentinela.hashing.images import (
    ImageLimits,
    decode_image,
    pdq_fast,
    pdq_from_decoded,
    pdq_full,
)
from sentinela.hashing.types.pdq import Pdq

Runner = Callable[[Path], object]


def ours(limits: ImageLimits) -> Runner:
    """Sentinela's per-file hashing as ingest runs it: MD5+SHA-1+SHA-256+PDQ+EXIF+thumbnail."""

    def run(path: Path) -> object:
        result = hash_path(path, limits=limits, want_thumbnail=True)
        if result.pdq is None:
            raise RuntimeError(f"no PDQ for {path}: {result.error}")
        return result

    return run


def threatexchange(path: Path) -> object:
    """python-threatexchange's PDQ file hasher (full-resolution decode, PDQ only)."""
    return PdqSignal.hash_from_file(path)


def draft_floor(limits: ImageLimits) -> Runner:
    """Only the Pillow draft decode at the same target: no hash can be cheaper than this."""
    target = (limits.draft_target, limits.draft_target)

    def run(path: Path) -> object:
        with Image.open(path) as image:
            image.draft("RGB", target)
            image.load()
            return image.size

    return run


@dataclass
class Timing:
    """Seconds per round, per size class."""

    rounds: list[dict[str, float]]

    def median_seconds(self, size_class: str | None = None) -> float:
        """Median over rounds of the total (or one class's) time."""
        totals = [
            sum(v for k, v in r.items() if size_class is None or k == size_class)
            for r in self.rounds
        ]
        return statistics.median(totals)


def time_rounds(
    runners: dict[str, Runner], images: Sequence[BenchImage], rounds: int
) -> dict[str, Timing]:
    """Run every runner over every image, ``rounds`` times, interleaving the runners."""
    timings = {name: Timing([]) for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            per_class: dict[str, float] = {}
            for image in images:
                start = time.perf_counter()
                run(image.path)
                elapsed = time.perf_counter() - start
                per_class[image.size_class] = per_class.get(image.size_class, 0.0) + elapsed
            timings[name].rounds.append(per_class)
    return timings


@dataclass
class Drift:
    """Hamming distances between drafted and full-resolution PDQ, per image.

    Attributes:
        distances: per size class, ingest's PDQ (drafted, sampled) vs full-resolution pdqhash.
        threatexchange_agreement: (identical, compared) full-resolution hashes.
        sampled_agreement: (identical, compared): ``pdq_sampled`` vs ``pdqhash`` on the very
            same drafted pixels (hash and quality), i.e. the drift the sampled core adds.
    """

    distances: dict[str, list[int]]
    threatexchange_agreement: tuple[int, int]
    sampled_agreement: tuple[int, int] = (0, 0)

    def stats(self, size_class: str | None = None) -> tuple[float, float, int]:
        """(median, p99, max) over one class or all images."""
        values = sorted(
            d for k, ds in self.distances.items() if size_class in (None, k) for d in ds
        )
        p99 = values[min(len(values) - 1, int(0.99 * (len(values) - 1) + 0.5))]
        return statistics.median(values), p99, values[-1]


def measure_drift(
    images: Sequence[BenchImage], limits: ImageLimits, *, check_threatexchange: bool
) -> Drift:
    """Compare :func:`pdq_fast` with :func:`pdq_full` on every file; optionally check that
    our full-resolution PDQ equals python-threatexchange's hash exactly."""
    pdq = Pdq()
    distances: dict[str, list[int]] = {}
    agree = sampled = 0
    for image in images:
        data = image.path.read_bytes()
        full = pdq_full(data, limits=limits)
        fast = pdq_fast(data, limits=limits)
        distances.setdefault(image.size_class, []).append(pdq.distance(full.hash, fast.hash))
        drafted = decode_image(data, limits=limits, draft=True)
        if pdq_from_decoded(drafted) == pdq_from_decoded(drafted, reference=True):
            sampled += 1
        if check_threatexchange and pdq_from_bytes(data) == (full.hash, full.quality):
            agree += 1
    return Drift(
        distances, (agree, len(images) if check_threatexchange else 0), (sampled, len(images))
    )
