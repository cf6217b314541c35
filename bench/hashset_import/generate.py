"""Write a synthetic VICS 2.0 ``#Media`` hash set, streaming (one record at a time)."""

from __future__ import annotations

import json
import random
from pathlib import Path

CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media"


def _record(rng: random.Random, media_id: int) -> dict[str, object]:
    record: dict[str, object] = {
        "MediaID": media_id,
        "Category": rng.randrange(5),
        "MD5": rng.randbytes(16).hex().upper(),
        "SHA1": rng.randbytes(20).hex().upper(),
        "MediaSize": rng.randrange(1_000, 5_000_000),
        "DateUpdated": "2025-01-11T10:00:00.0000Z",
        "IsPrecategorized": "false",
        "VictimIdentified": rng.choice(["true", "false", None]),
        "IsDistributed": rng.choice([True, False]),
    }
    if media_id % 10 == 0:
        record["Series"] = f"series-{media_id % 997}"
    return record


def generate(path: Path, count: int, seed: int = 20250111) -> Path:
    """Write ``count`` records to ``path`` (skipped if a file of that count already exists)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write('{"@odata.context": ' + json.dumps(CONTEXT) + ',\n "value": [\n')
        for media_id in range(1, count + 1):
            out.write(json.dumps(_record(rng, media_id), separators=(",", ":")))
            out.write(",\n" if media_id < count else "\n")
        out.write("]}\n")
    partial.rename(path)
    return path
