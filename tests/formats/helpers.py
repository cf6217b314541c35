"""Builders shared by the format tests and the format contract tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"

PNG_MD5 = "b7c7bff46fe2dcab50dcd96f7dfbde80"
PNG_SHA1 = "5c60a309d26e97e817fc0aca7943888bb556db06"
PNG_SHA256 = "87e84a8206219908276fc3b2e8c4bf64a119e44b659d5ee6d41351e8220d24f8"
EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"
EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PNG_PDQ = "515c80291dfcb8a9217c20a901fcaaa937fcaaa97ffcaaa9fffcaaa900035556"

V2_MEDIA = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{region}/$metadata#Media"
V2_CASES = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{region}/$metadata#Cases"


def media(**fields: Any) -> dict[str, Any]:
    """A valid VICS Media record for the test PNG, with ``fields`` overriding."""
    record: dict[str, Any] = {
        "MediaID": 1,
        "Category": 1,
        "MD5": PNG_MD5.upper(),
        "SHA1": PNG_SHA1.upper(),
        "MediaSize": 10599,
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not ...}


def write_vics(
    path: Path, records: list[dict[str, Any]], *, region: str = "US", context_last: bool = False
) -> Path:
    """Write a VICS 2.0 ``#Media`` hash set holding ``records``."""
    context = {"@odata.context": V2_MEDIA.format(region=region)}
    body = {"value": records, **context} if context_last else {**context, "value": records}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def build_full_rdsv3(path: Path) -> Path:
    """Build a tiny RDSv3 database in the full ("curated") layout from NIST's schema."""
    schema = (DATA / "nsrl_rdsv3_2021.12.2_curated.schema.sql").read_text(encoding="utf-8")
    connection = sqlite3.connect(path)
    try:
        connection.executescript(schema)
        connection.executemany(
            "INSERT INTO PACKAGE_OBJECT VALUES (?, ?, ?)", [(1, 1001, 11), (2, 1002, 12)]
        )
        rows = [
            (1, 11, "readme", "txt", 31, PNG_SHA256, PNG_SHA1, PNG_MD5),
            (2, 12, "readme", "txt", 31, PNG_SHA256, PNG_SHA1, PNG_MD5),
            (3, 12, "LICENSE", "", 0, EMPTY_SHA256, EMPTY_SHA1, EMPTY_MD5),
            (4, 99, "orphan", "bin", 5, "ab" * 32, "cd" * 20, "ef" * 16),
        ]  # fmt: skip
        connection.executemany(
            "INSERT INTO METADATA (metadata_id, object_id, key_hash, path, file_name, extension,"
            " bytes, crc32, sha256, sha1, md5) VALUES (?, ?, 'k', '/', ?, ?, ?, '0', ?, ?, ?)",
            rows,
        )
        connection.execute(
            "INSERT INTO VERSION VALUES"
            " ('2099.03.1', 'modern', '2099-03-01', '2099-03-01', 'synthetic')"
        )
        connection.commit()
    finally:
        connection.close()
    return path
