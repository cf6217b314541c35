"""One measurement in a fresh process: ``python -m bench.hashset_import.worker MODE FILE``.

Prints one JSON line: records, seconds, the peak RSS of this process and its RSS right after
imports (so the parent can show the growth due to the file alone).

Modes:
    stream: Sentinela's ``vics`` importer (ijson, one record at a time).
    json_load: the reference: ``json.load`` the whole file, then normalise each record with
        the same function the importer uses.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from sentinela.formats.vics import VicsImporter
from sentinela.formats.vics_header import parse_context
from sentinela.formats.vics_media import CategoryResolver, media_record
from sentinela.hashsets.schemes import default_catalogue


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_stream(path: Path) -> int:
    importer = VicsImporter()
    return sum(1 for _ in importer.iter_records(path))


def run_json_load(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as handle:
        document = json.load(handle)
    context = parse_context(document["@odata.context"])
    assert context is not None
    categories = CategoryResolver(context, default_catalogue())
    count = 0
    for count, obj in enumerate(document["value"], start=1):
        media_record(obj, f"record {count}", categories)
    return count


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    default_catalogue()
    baseline = _rss_kib()
    started = time.perf_counter()
    records = run_stream(path) if mode == "stream" else run_json_load(path)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "records": records,
                "seconds": seconds,
                "peak_kib": _rss_kib(),
                "baseline_kib": baseline,
            }
        )
    )


if __name__ == "__main__":
    main()
