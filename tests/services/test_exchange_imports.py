"""Case exports from other agencies: imported as foreign hash sets with their provenance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sentinela.db.exchange import CaseImport
from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.errors import AlreadyExistsError, FormatError, InvalidInputError
from sentinela.services.context import ServiceContext
from sentinela.services.exchange_imports import import_case_export
from sentinela.services.exports import export_case
from tests.formats.helpers import DATA, PNG_MD5, PNG_SHA256
from tests.services.exchange_helpers import classify, seed_exchange_case


def _count(ctx: ServiceContext, model: type[HashSet] | type[CaseImport]) -> int:
    with ctx.transaction() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_partner_case_export_comes_in_with_its_provenance(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    path = shutil.copy(DATA / "vics2.0_US_cases_synthetic.json", tmp_path / "partner.json")
    view = import_case_export(
        ctx, Path(path), agency="Partner Police (synthetic)", legal_basis="MLA 2026/4"
    )
    assert view.hash_set == "Partner Police (synthetic):SYNTHETIC-CASE-0001"
    assert (view.records, view.occurrences, view.entries, view.mapped) == (1, 1, 3, 1)
    with ctx.transaction() as session:
        hs = session.execute(select(HashSet)).scalar_one()
        rows = session.execute(select(KnownHash).order_by(KnownHash.hash_type)).scalars().all()
        provenance = session.execute(select(CaseImport)).scalar_one()
    assert (hs.trust, hs.source, hs.legal_basis, hs.entries) == (
        "foreign",
        "Partner Police (synthetic)",
        "MLA 2026/4",
        3,
    )
    assert {(r.hash_type, r.digest) for r in rows} >= {("md5", PNG_MD5), ("sha256", PNG_SHA256)}
    assert {(r.category_scheme, r.category_code) for r in rows} == {("project_vic_us", "0")}
    assert (provenance.foreign_case_number, provenance.version, provenance.region) == (
        "SYNTHETIC-CASE-0001",
        "2.0",
        "US",
    )
    assert json.loads(provenance.contact)["email"] == "examiner.b@example.org"
    assert provenance.source_application == "example-ingest-platform 0.1.0"
    assert provenance.imported_by == "alice"
    with pytest.raises(AlreadyExistsError):
        import_case_export(ctx, Path(path), agency="Partner Police (synthetic)")


def test_unmapped_categories_stay_in_their_own_scheme(ctx: ServiceContext, tmp_path: Path) -> None:
    text = (DATA / "vics2.0_US_cases_synthetic.json").read_text().replace("/US/", "/UK/")
    path = tmp_path / "uk.json"
    path.write_text(text)
    view = import_case_export(ctx, path, agency="UK partner (synthetic)")
    assert view.unmapped == {"uk_caid:0": 1} and view.mapped == 0
    with ctx.transaction() as session:
        schemes = set(session.execute(select(KnownHash.category_scheme)).scalars())
    assert schemes == {"uk_caid"}


def test_bad_input_imports_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="not a case export"):
        import_case_export(ctx, DATA / "vics2.0_Default_media_hashset_synthetic.json", agency="X")
    truncated = tmp_path / "truncated.json"
    truncated.write_text((DATA / "vics2.0_US_cases_synthetic.json").read_text()[:900])
    with pytest.raises(FormatError):
        import_case_export(ctx, truncated, agency="X")
    broken = tmp_path / "broken.json"
    broken.write_text(
        (DATA / "vics2.0_US_cases_synthetic.json").read_text().replace('"SHA1": "5C', '"SHA1": "ZZ')
    )
    with pytest.raises(FormatError, match="record 1"):
        import_case_export(ctx, broken, agency="X")
    with pytest.raises(InvalidInputError, match="agency"):
        import_case_export(ctx, broken, agency=" ")
    assert _count(ctx, HashSet) == 0 and _count(ctx, CaseImport) == 0


def test_our_own_export_imports_back_as_the_same_hashes(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    seeded = seed_exchange_case(ctx, items=2)
    classify(ctx, seeded.media[0], "1")
    exported = export_case(ctx, seeded.number, tmp_path / "out")
    view = import_case_export(ctx, Path(exported.path), agency="Ourselves (round trip)")
    assert (view.records, view.occurrences) == (2, 3)
    with ctx.transaction() as session:
        sha = set(
            session.execute(
                select(KnownHash.digest).where(KnownHash.hash_type == "sha256")
            ).scalars()
        )
        cats = set(
            session.execute(
                select(KnownHash.category_code).where(KnownHash.category_code.is_not(None))
            ).scalars()
        )
    assert sha == set(seeded.sha256.values()) and cats == {"1"}
