"""Hash-set import (all or nothing), versions, and the audited list/show/remove.

Every case runs on SQLite and PostgreSQL (the ``ctx`` fixture). Digests are of benign
generated files; a "category" is only a label.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from sentinela.db.audit import AuditEvent
from sentinela.db.hashsets import HashSet, HashSetVersion, KnownHash
from sentinela.errors import (
    AccessDenied,
    AlreadyExistsError,
    FormatError,
    InvalidInputError,
    NotFoundError,
)
from sentinela.services.context import ServiceContext
from sentinela.services.hashset_views import list_hash_sets, show_hash_set
from sentinela.services.hashsets import ImportRequest, import_hash_set, remove_hash_set
from tests.services.known_helpers import (
    audit_actions,
    count,
    drawing,
    encode,
    evidence,
    hold,
    triage_class,
    vics_record,
    write_vics,
)

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"


def _md5(n: int) -> str:
    return hashlib.md5(f"entry {n}".encode()).hexdigest()  # noqa: S324 - test digests


def _entries(ctx: ServiceContext, name: str) -> dict[str, KnownHash]:
    with ctx.transaction() as session:
        rows = session.execute(
            select(KnownHash).join(HashSet).where(HashSet.name == name)
        ).scalars()
        return {f"{k.hash_type}:{k.digest}": k for k in rows}


def test_import_vics_set_with_provenance(ctx: ServiceContext, tmp_path: Path) -> None:
    path = write_vics(
        tmp_path / "set.json",
        [
            vics_record(_md5(1), 1, Series="S-1", VictimIdentified="true"),
            vics_record(_md5(2), 2, Category=2, SHA1=hashlib.sha1(b"x").hexdigest().upper()),  # noqa: S324
        ],
    )
    result = import_hash_set(
        ctx,
        path,
        ImportRequest(name="national-us", source="NCMEC (test)", legal_basis="Statute X s.1"),
    )
    assert (result.records, result.added, result.updated, result.deleted) == (2, 3, 0, 0)
    assert result.set.scheme == "project_vic_us" and result.set.kind == "categorised"
    assert result.format == "vics" and result.mode == "snapshot" and result.version == "1"
    entries = _entries(ctx, "national-us")
    first = entries[f"md5:{_md5(1)}"]
    assert (first.category_scheme, first.category_code, first.series) == (
        "project_vic_us",
        "1",
        "S-1",
    )
    assert first.victim_identified is True
    assert len(entries) == 3  # two MD5 and one SHA-1
    detail = show_hash_set(ctx, "national-us")
    assert detail.set.source == "NCMEC (test)" and detail.set.legal_basis == "Statute X s.1"
    assert detail.by_hash_type == {"md5": 2, "sha1": 1}
    assert detail.versions[0].file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [s.name for s in list_hash_sets(ctx)] == ["national-us"]
    actions = audit_actions(ctx)
    assert {"hashset.import", "hashset.show", "hashset.list"} <= set(actions)


def test_newer_version_applies_updates_and_deletions(ctx: ServiceContext, tmp_path: Path) -> None:
    v1 = write_vics(tmp_path / "v1.json", [vics_record(_md5(n), n) for n in range(1, 5)])
    import_hash_set(ctx, v1, ImportRequest(name="set"))
    v2 = write_vics(
        tmp_path / "v2.json",
        [
            vics_record(_md5(1), 1),  # unchanged
            vics_record(_md5(2), 2, Category=2),  # updated
            vics_record(_md5(3), 3, Series="S-9", VictimIdentified=True),  # updated
            vics_record(_md5(9), 9),  # new; 4 is gone
        ],
    )
    result = import_hash_set(ctx, v2, ImportRequest(name="set", version="2025-Q2"))
    assert (result.added, result.updated, result.deleted) == (1, 2, 1)
    assert result.set.entries == 4 and result.version == "2025-Q2"
    entries = _entries(ctx, "set")
    assert entries[f"md5:{_md5(4)}"].removed_at is not None
    assert entries[f"md5:{_md5(2)}"].category_code == "2"
    assert entries[f"md5:{_md5(3)}"].victim_identified is True
    # Listing a removed entry again revives it, with the same row.
    old_id = entries[f"md5:{_md5(4)}"].id
    v3 = write_vics(tmp_path / "v3.json", [vics_record(_md5(n), n) for n in (1, 4)])
    result = import_hash_set(ctx, v3, ImportRequest(name="set"))
    assert result.version == "3" and result.added == 1 and result.deleted == 3
    assert _entries(ctx, "set")[f"md5:{_md5(4)}"].id == old_id
    with pytest.raises(AlreadyExistsError, match="already imported"):
        import_hash_set(ctx, v3, ImportRequest(name="set"))


def test_ncmec_feed_is_a_delta_with_deletions(ctx: ServiceContext, tmp_path: Path) -> None:
    first = FORMATS / "ncmec_hashsharing_v2_entries_fixture.xml"
    result = import_hash_set(ctx, first, ImportRequest(name="ncmec"))
    assert result.mode == "delta" and result.set.scheme == "industry"
    live_before = result.set.entries
    with ctx.transaction() as session:
        source_id = (
            session.execute(
                select(KnownHash.source_record).where(
                    KnownHash.source_record.is_not(None), KnownHash.removed_at.is_(None)
                )
            )
            .scalars()
            .first()
        )
    assert source_id
    feed = tmp_path / "deletions.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<queryResult><images>'
        f"<deletedImage><id>{source_id}</id></deletedImage></images></queryResult>\n",
        encoding="utf-8",
    )
    result = import_hash_set(ctx, feed, ImportRequest(name="ncmec"))
    assert result.deleted >= 1 and result.set.entries == live_before - result.deleted
    assert result.records == 1


def _truncated(tmp: Path) -> Path:
    return shutil.copy(FORMATS / "vics2.0_truncated.json", tmp / "truncated.json")


def _wrong_type(tmp: Path) -> Path:
    return write_vics(
        tmp / "types.json", [vics_record(_md5(1), 1), vics_record(_md5(2), 2, MediaSize=[1])]
    )


def _unknown_context(tmp: Path) -> Path:
    path = tmp / "context.json"
    body = {"@odata.context": "http://example.org/Other/1.0.xml#Media", "value": []}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def _short_pdq(tmp: Path) -> Path:
    path = tmp / "pdq.txt"
    path.write_text(("ab" * 32) + "\n" + ("cd" * 30) + "\n", encoding="utf-8")
    return path


def _non_hex(tmp: Path) -> Path:
    return write_vics(tmp / "hex.json", [vics_record(_md5(1), 1), vics_record("zz" * 16, 2)])


def _nsrl_missing_table(tmp: Path) -> Path:
    path = shutil.copy(FORMATS / "nsrl_rdsv3_minimal_synthetic.db", tmp / "nsrl.db")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP VIEW IF EXISTS DISTINCT_HASH")
        connection.execute("DROP TABLE FILE")
    connection.close()
    return Path(path)


def _xml_bomb(tmp: Path) -> Path:
    return shutil.copy(FORMATS / "ncmec_billion_laughs.xml", tmp / "bomb.xml")


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str, str | None, str]] = {
    # name: (builder, message, expected position (prefix), hash type)
    "truncated_vics": (_truncated, "truncated", "after record", "auto"),
    "wrong_field_type": (_wrong_type, "MediaSize", "record 2", "auto"),
    "unknown_context": (_unknown_context, "context", None, "auto"),
    "pdq_wrong_length": (_short_pdq, "64 hex digits", "line 2", "pdq"),
    "non_hex_digest": (_non_hex, "not hexadecimal", "record 2", "auto"),
    "nsrl_missing_table": (_nsrl_missing_table, "table FILE is missing", "table FILE", "auto"),
    "ncmec_xml_bomb": (_xml_bomb, "XML bomb", "", "auto"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_file_and_position_and_imports_nothing(
    ctx: ServiceContext, tmp_path: Path, case: str
) -> None:
    build, message, position, hash_type = BAD_INPUTS[case]
    path = build(tmp_path)
    before = audit_actions(ctx)
    request = ImportRequest(
        name="bad", hash_type=None if hash_type == "auto" else hash_type, scheme="uk", code="A"
    )
    if case in ("truncated_vics", "wrong_field_type", "unknown_context", "non_hex_digest"):
        request = ImportRequest(name="bad")
    with pytest.raises(FormatError, match=message) as caught:
        import_hash_set(ctx, path, request)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    if position is not None:
        assert caught.value.position is not None and caught.value.position.startswith(position)
    assert count(ctx, HashSet) == 0 and count(ctx, KnownHash) == 0
    assert count(ctx, HashSetVersion) == 0
    assert audit_actions(ctx) == before


def test_bad_new_version_leaves_the_old_one_intact(ctx: ServiceContext, tmp_path: Path) -> None:
    v1 = write_vics(tmp_path / "v1.json", [vics_record(_md5(n), n) for n in range(1, 4)])
    import_hash_set(ctx, v1, ImportRequest(name="set"))
    before = {k: (v.removed_at, v.category_code) for k, v in _entries(ctx, "set").items()}
    events = count(ctx, AuditEvent)
    # 2500 good records (more than one write batch) then a bad one.
    records = [vics_record(_md5(n), n, Category=2) for n in range(1, 2500)]
    records.append(vics_record("12345", 2500))
    bad = write_vics(tmp_path / "v2.json", records)
    with pytest.raises(FormatError, match="record 2500"):
        import_hash_set(ctx, bad, ImportRequest(name="set"))
    after = {k: (v.removed_at, v.category_code) for k, v in _entries(ctx, "set").items()}
    assert after == before and count(ctx, AuditEvent) == events
    assert count(ctx, HashSetVersion) == 1


def test_options_are_checked_before_anything(ctx: ServiceContext, tmp_path: Path) -> None:
    path = write_vics(tmp_path / "set.json", [vics_record(_md5(1))])
    for request, message in (
        (ImportRequest(name="national_classification"), "grading"),
        (ImportRequest(name=" padded"), "name"),
        (ImportRequest(name="x", kind="dangerous"), "kind"),
        (ImportRequest(name="x", code="Z", scheme="uk"), "unknown category code"),
        (ImportRequest(name="x", code="A"), "--scheme"),
        (ImportRequest(name="x", pdq_threshold=300), "threshold"),
    ):
        with pytest.raises(InvalidInputError, match=message):
            import_hash_set(ctx, path, request)
    with pytest.raises(AccessDenied):
        import_hash_set(ctx.with_actor("nobody"), path, ImportRequest(name="x"))
    assert count(ctx, HashSet) == 0


def test_remove_is_audited_and_stops_matching(ctx: ServiceContext, tmp_path: Path) -> None:
    data = encode(drawing(3))
    held = hold(ctx, "C-1", {"/a.jpg": data})
    media_id = held.media["/a.jpg"]
    md5 = hashlib.md5(data).hexdigest()  # noqa: S324
    path = tmp_path / "list.md5"
    path.write_text(f"{md5}  a.jpg\n", encoding="utf-8")
    import_hash_set(ctx, path, ImportRequest(name="md5s", scheme="uk", code="B"))
    assert triage_class(ctx, media_id) == "known_categorised"
    assert evidence(ctx, media_id) == [("md5s", "md5", 0, "exact")]
    result = remove_hash_set(ctx, "md5s", reason="withdrawn by source")
    assert (result.entries_removed, result.retriaged, result.triage_changes) == (1, 1, 1)
    assert triage_class(ctx, media_id) == "new" and evidence(ctx, media_id) == []
    assert list_hash_sets(ctx) == [] and len(list_hash_sets(ctx, include_removed=True)) == 1
    assert "hashset.remove" in audit_actions(ctx)
    with pytest.raises(NotFoundError):
        remove_hash_set(ctx, "md5s")
    with pytest.raises(NotFoundError):
        show_hash_set(ctx, "nothing")
