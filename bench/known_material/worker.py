"""One measurement in a fresh process: ``python -m bench.known_material.worker MODE FILE DIR``.

Prints one JSON line with the counts, seconds and peak RSS of this process.

Modes:
    parse: the ``vics`` importer alone (the floor an import cannot beat).
    import: ``sentinela.services.hashsets.import_hash_set`` into a fresh SQLite database in
        DIR: parse, batch writes, one transaction, audit, index catch-up, re-triage.
    reimport: import, then import the same set again as version 2 with 1% of categories
        changed (the update path), timing the second import only.
    match: import, then add a case of synthetic media (1% of them in the set) and time
        ``match_case``.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sentinela.formats.vics import VicsImporter


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _context(folder: Path):  # type: ignore[no-untyped-def]
    from sentinela.services.context import open_context
    from sentinela.services.setup import initialise
    from sentinela.services.users import add_user
    from sentinela.settings import Settings

    ctx = open_context(Settings(mode="development", data_dir=folder))
    initialise(ctx)
    add_user(ctx, "admin", roles=["admin"])
    add_user(ctx.with_actor("admin"), "ex", roles=["examiner"])
    return ctx.with_actor("ex")


def _import(ctx, path: Path, **options):  # type: ignore[no-untyped-def]
    from sentinela.services.hashsets import ImportRequest, import_hash_set

    return import_hash_set(ctx, path, ImportRequest(name="bench", **options))


def _changed_copy(path: Path) -> Path:
    """Version 2: every 100th record's category changed (streamed, one record per line)."""
    out = path.with_name(path.stem + "-v2.json")
    with path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if line.startswith('{"MediaID"') and number % 100 == 0:
                text = line.rstrip("\n")
                comma = "," if text.endswith(",") else ""
                record = json.loads(text.removesuffix(","))
                record["Category"] = (record["Category"] + 1) % 5
                line = json.dumps(record, separators=(",", ":")) + comma + "\n"
            target.write(line)
    return out


def _case(ctx, path: Path, media: int) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from sentinela.db.cases import Case
    from sentinela.db.exhibits import Exhibit
    from sentinela.db.media import Media, Occurrence
    from sentinela.services import cases

    known = [r["MD5"].lower() for r in json.loads(path.read_text())["value"][: media // 100]]
    cases.create_case(ctx, "B-1", title="bench", unit="bench")
    rng = random.Random(5)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with ctx.transaction() as session:
        case = session.query(Case).one()
        exhibit = Exhibit(
            case_id=case.id,
            label="E",
            kind="folder",
            source_path="/x",
            size_bytes=0,
            sha256="0" * 64,
            md5="0" * 32,
            registered_at=now,
            registered_by=1,
        )
        session.add(exhibit)
        session.flush()
        for n in range(media):
            md5 = known[n] if n < len(known) else rng.randbytes(16).hex()
            item = Media(
                sha256=hashlib.sha256(f"{n}".encode()).hexdigest(),
                sha1=rng.randbytes(20).hex(),
                md5=md5,
                size=1,
                mime="image/jpeg",
                family="image",
                pdq=rng.randbytes(32).hex(),
                pdq_quality=100,
                pdq_method="full",
                first_seen_at=now,
            )
            session.add(item)
            session.flush()
            key = hashlib.sha256(f"/{n}".encode()).hexdigest()
            session.add(
                Occurrence(
                    media_id=item.id,
                    exhibit_id=exhibit.id,
                    path=f"/{n}",
                    path_key=key,
                    found_at=now,
                )
            )


def main() -> None:
    mode, path, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    media = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    baseline = _rss_kib()
    result: dict[str, float] = {}
    if mode == "parse":
        started = time.perf_counter()
        result["records"] = sum(1 for _ in VicsImporter().iter_records(path))
    else:
        ctx = _context(folder)
        if mode == "reimport":
            _import(ctx, path)
            path = _changed_copy(path)
        if mode == "match":
            _import(ctx, path)
            _case(ctx, path, media)
            from sentinela.services.case_matching import match_case

            started = time.perf_counter()
            done = match_case(ctx, "B-1")
            result["records"] = done.media
            result["known"] = done.classes["known_categorised"] + done.classes["known_benign"]
        else:
            started = time.perf_counter()
            done = _import(ctx, path)
            result["records"] = done.records
            result["entries_added"] = done.added
            result["entries_updated"] = done.updated
    result["seconds"] = time.perf_counter() - started
    result["peak_kib"] = _rss_kib()
    result["baseline_kib"] = baseline
    print(json.dumps(result))


if __name__ == "__main__":
    main()
