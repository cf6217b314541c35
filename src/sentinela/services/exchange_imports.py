"""Case exports received from other agencies (VICS ``#Cases``), imported with provenance.

A foreign case export becomes a *foreign hash set* (``trust = "foreign"``): its media are
known from then on, with the sending agency's categories, series and flags. What is kept about
where it came from (:class:`~sentinela.db.exchange.CaseImport`): the agency, the file and its
SHA-256, the format version and region, the foreign case id and number, the contact named in
the file, the application that wrote it, the legal basis, who imported it and when, and how
many categories could not be mapped.

Categories are mapped into the national scheme only through a shipped mapping whose status is
``reviewed``. A category with no reviewed mapping stays in its own scheme (a Project VIC US
code stays ``project_vic_us``, a CAID code stays ``uk_caid``) and is counted as unmapped; it is
never guessed.

TODO(issue 6, 2026-11-29): once ``services/hashset_writer.py`` (issue 4) settles, write the
entries through its batched ``SetWriter`` and re-triage the affected media as hash-set imports
do; until then entries are inserted here and re-triage runs on the next ``sentinela match``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from sentinela.audit import record
from sentinela.db.exchange import CaseImport
from sentinela.db.hashsets import HashSet, HashSetVersion, KnownHash
from sentinela.errors import AlreadyExistsError, InvalidInputError
from sentinela.formats.records import Category, HashRecord
from sentinela.formats.vics import VicsImporter
from sentinela.hashsets.schemes import SchemeCatalogue, default_catalogue
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role

IMPORTERS: tuple[str, ...] = ("admin", "victim_id_specialist", "examiner")


@dataclass(frozen=True)
class CaseImportView:
    """The outcome of importing a foreign case export."""

    id: int
    hash_set: str
    agency: str
    foreign_case_number: str | None
    file_sha256: str
    records: int
    occurrences: int
    entries: int
    mapped: int
    unmapped: dict[str, int]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reviewed_mapping(
    catalogue: SchemeCatalogue, category: Category, scheme: str
) -> Category | None:
    """``category`` in ``scheme`` through a reviewed shipped table, else ``None``."""
    if category.scheme == scheme:
        return category
    mapping = catalogue.mapping(category.scheme, scheme)
    if mapping is None or mapping.status != "reviewed":
        return None
    code = mapping.map_code(category.code)
    return None if code is None else Category(scheme, code)


def import_case_export(
    ctx: ServiceContext,
    path: Path,
    *,
    agency: str,
    name: str | None = None,
    legal_basis: str = "",
    scheme: str = "project_vic_us",
) -> CaseImportView:
    """Import another agency's VICS case export as a foreign hash set (audited).

    Args:
        ctx: the service context.
        path: the ``#Cases`` file.
        agency: the sending agency, as it will be shown with every match.
        name: the hash set's name (default ``<agency>:<foreign case number>``).
        legal_basis: the agreement or request under which it was received.
        scheme: the national scheme categories are mapped into.

    Raises:
        InvalidInputError: no agency, or the file is a hash set rather than a case export.
        FormatError: the file is malformed (naming the record); nothing is imported.
        AlreadyExistsError: a hash set of that name exists.
        AccessDenied: the actor may not import.
    """
    if not agency.strip():
        raise InvalidInputError("name the sending agency (--agency)")
    catalogue = default_catalogue()
    catalogue.scheme(scheme)
    importer = VicsImporter()
    sha = _sha256(path)
    with importer.open(path) as stream, ctx.transaction() as session:
        meta = stream.meta
        if meta.entity != "Cases" or meta.case is None:
            raise InvalidInputError(
                f"{path} is a hash set (#Media), not a case export; use `sentinela hashset import`"
            )
        case = meta.case
        actor = ctx.actor(session)
        require_role(actor, *IMPORTERS)
        set_name = name or f"{agency.strip()}:{case.case_number or sha[:12]}"
        if session.execute(select(HashSet.id).where(HashSet.name == set_name)).first():
            raise AlreadyExistsError(f"hash set {set_name!r} already exists; pass another --name")
        now = ctx.clock()
        hs = HashSet(
            name=set_name,
            source=agency.strip(),
            version=case.case_id or sha[:12],
            scheme=scheme,
            kind="categorised",
            trust="foreign",
            legal_basis=legal_basis,
            format=importer.name,
            imported_at=now,
            imported_by=actor.username,
        )
        session.add(hs)
        session.flush()
        seen: set[tuple[str, str]] = set()
        unmapped: Counter[str] = Counter()
        records = occurrences = mapped = 0
        for item in stream:
            if not isinstance(item, HashRecord):
                continue
            records += 1
            occurrences += len(item.occurrences)
            category = item.category
            if category is not None:
                target = reviewed_mapping(catalogue, category, scheme)
                if target is None:
                    unmapped[str(category)] += 1
                else:
                    mapped += 1
                    category = target
            for hash_type, digest in item.digests.items():
                if (hash_type, digest) in seen:
                    continue
                seen.add((hash_type, digest))
                session.add(
                    KnownHash(
                        hash_set_id=hs.id,
                        hash_type=hash_type,
                        digest=digest,
                        category_scheme=category.scheme if category else None,
                        category_code=category.code if category else None,
                        series=item.series,
                        victim_identified=item.victim_identified,
                        offender_identified=item.offender_identified,
                        distributed=item.distributed,
                        source_record=f"{case.case_number or ''}#{item.source_id or records}"[:200],
                        added_at=now,
                        updated_at=now,
                    )
                )
        hs.entries = len(seen)
        session.add(
            HashSetVersion(
                hash_set_id=hs.id,
                version=hs.version,
                file_name=path.name,
                file_sha256=sha,
                format=importer.name,
                added=len(seen),
                imported_at=now,
                imported_by=actor.username,
            )
        )
        contact = {
            "organization": case.contact_organization,
            "name": case.contact_name,
            "title": case.contact_title,
            "phone": case.contact_phone,
            "email": case.contact_email,
        }
        provenance = CaseImport(
            hash_set_id=hs.id,
            agency=agency.strip(),
            file_name=path.name,
            file_sha256=sha,
            format=importer.name,
            version=meta.version or "",
            region=meta.region,
            foreign_case_id=case.case_id,
            foreign_case_number=case.case_number,
            contact=json.dumps(contact, sort_keys=True),
            source_application=" ".join(
                p for p in (case.source_application_name, case.source_application_version) if p
            ),
            records=records,
            occurrences=occurrences,
            mapped=mapped,
            unmapped=json.dumps(dict(unmapped), sort_keys=True),
            legal_basis=legal_basis,
            imported_at=now,
            imported_by=actor.username,
        )
        session.add(provenance)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="exchange.import_case",
            object_type="hash_set",
            object_id=set_name,
            clock=ctx.clock,
            details={
                "agency": agency.strip(),
                "file": str(path),
                "sha256": sha,
                "foreign_case_number": case.case_number,
                "records": records,
                "entries": len(seen),
                "unmapped": dict(unmapped),
            },
        )
        return CaseImportView(
            provenance.id,
            set_name,
            provenance.agency,
            case.case_number,
            sha,
            records,
            occurrences,
            len(seen),
            mapped,
            dict(unmapped),
        )
