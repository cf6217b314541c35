"""Known hash sets: import a version, list, show and remove; every call audited.

An import runs in one transaction: the file is streamed through its importer and written in
batches (:mod:`.hashset_writer`), and any malformed record (the importer names the file and
the position) rolls the whole import back, audit event included, so nothing is ever
half-imported. Once committed, the PDQ index catches up incrementally and the media the
version can affect are re-triaged (:mod:`.hashset_affected`), each batch audited.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.hashsets import IMPORT_MODES, SET_KINDS, HashSet, HashSetVersion, KnownHash
from sentinela.errors import AlreadyExistsError, FormatError, InvalidInputError, NotFoundError
from sentinela.formats import ImportOptions, detect_format
from sentinela.formats.records import Category, Deletion
from sentinela.hashsets.schemes import default_catalogue
from sentinela.services.case_matching import retriage_ids
from sentinela.services.context import ServiceContext
from sentinela.services.hashset_affected import affected_by_set, affected_by_version
from sentinela.services.hashset_views import HashSetView, set_view
from sentinela.services.hashset_writer import SetWriter
from sentinela.services.match_resources import KNOWN_MATERIAL_ROLES, sync_and_save
from sentinela.services.national import NATIONAL_SET
from sentinela.services.permissions import require_role

#: Schemes whose sets are benign unless the importer says otherwise.
BENIGN_SCHEMES = frozenset({"nsrl", "nist_caid"})
#: Formats whose record ids are stable across files (a record replaces its earlier entry).
SOURCE_KEYED_FORMATS = frozenset({"ncmec_xml"})
#: Formats that are feeds of changes rather than whole sets.
DELTA_FORMATS = frozenset({"ncmec_xml"})


@dataclass(frozen=True)
class ImportRequest:
    """What the examiner says about a file beyond what the file says.

    Attributes:
        name: the set's name; importing again under the same name makes a new version.
        format: a format name, or ``auto`` to recognise the file.
        hash_type: for plain lists of 64-hex lines, ``sha256`` or ``pdq``.
        version: the version's label; by default the next number.
        source, scheme, kind, trust, legal_basis: provenance; ``None`` keeps the set's
            current value (or a default for a new set).
        code: a category code (in ``scheme``) for records that carry none (plain lists).
        pdq_threshold, pdq_min_quality: the set's PDQ acceptance rule.
        mode: ``snapshot`` or ``delta``; by default delta for feeds (NCMEC), else snapshot.
    """

    name: str
    format: str = "auto"
    hash_type: str | None = None
    version: str | None = None
    source: str | None = None
    scheme: str | None = None
    code: str | None = None
    kind: str | None = None
    trust: str | None = None
    legal_basis: str | None = None
    pdq_threshold: int | None = None
    pdq_min_quality: int | None = None
    mode: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    set: HashSetView
    version: str
    format: str
    mode: str
    file_sha256: str
    records: int
    added: int
    updated: int
    deleted: int
    retriaged: int
    triage_changes: int
    elapsed_seconds: float


def file_sha256(path: Path) -> str:
    """SHA-256 of the file, streamed.

    Raises:
        FormatError: the file cannot be read.
    """
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise FormatError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None


def _check(request: ImportRequest) -> Category | None:
    name = request.name.strip() if request.name else ""
    if not name or len(name) > 200 or name != request.name:
        raise InvalidInputError("a hash set needs a name of 1-200 characters, no outer spaces")
    if name == NATIONAL_SET:
        raise InvalidInputError(f"{NATIONAL_SET!r} is kept by the grading workflow")
    if request.kind is not None and request.kind not in SET_KINDS:
        raise InvalidInputError(f"kind must be one of {', '.join(SET_KINDS)}")
    if request.mode is not None and request.mode not in IMPORT_MODES:
        raise InvalidInputError(f"mode must be one of {', '.join(IMPORT_MODES)}")
    if request.pdq_threshold is not None and not 0 <= request.pdq_threshold <= 128:
        raise InvalidInputError("the PDQ threshold must be 0-128")
    if request.pdq_min_quality is not None and not 0 <= request.pdq_min_quality <= 100:
        raise InvalidInputError("the PDQ minimum quality must be 0-100")
    if request.code is None:
        return None
    if request.scheme is None:
        raise InvalidInputError("a default category code needs --scheme")
    catalogue = default_catalogue()
    category = Category(request.scheme, request.code)
    catalogue.validate(category)
    return category


def _set_for_import(
    session: Session,
    request: ImportRequest,
    fmt: str,
    meta_scheme: str | None,
    source: str,
    stamp: tuple[datetime, str],
) -> HashSet:
    hs = session.execute(select(HashSet).where(HashSet.name == request.name)).scalar_one_or_none()
    scheme = request.scheme or meta_scheme
    if hs is None:
        scheme = scheme or "unspecified"
        hs = HashSet(
            name=request.name,
            source=request.source or source,
            version="",
            scheme=scheme,
            kind=request.kind or ("benign" if scheme in BENIGN_SCHEMES else "categorised"),
            trust=request.trust or "standard",
            legal_basis=request.legal_basis or "",
            format=fmt,
            pdq_threshold=31 if request.pdq_threshold is None else request.pdq_threshold,
            pdq_min_quality=50 if request.pdq_min_quality is None else request.pdq_min_quality,
            entries=0,
            imported_at=stamp[0],
            imported_by=stamp[1],
        )
        session.add(hs)
        session.flush()
        return hs
    for attr in ("source", "kind", "trust", "legal_basis", "pdq_threshold", "pdq_min_quality"):
        value = getattr(request, attr)
        if value is not None:
            setattr(hs, attr, value)
    if scheme:
        hs.scheme = scheme
    hs.format = fmt
    hs.removed_at = None
    return hs


def _check_version(session: Session, hs: HashSet, version: str, sha: str) -> None:
    rows = session.execute(
        select(HashSetVersion.version, HashSetVersion.file_sha256).where(
            HashSetVersion.hash_set_id == hs.id
        )
    ).all()
    for label, digest in rows:
        if label == version:
            raise AlreadyExistsError(f"hash set {hs.name!r} already has a version {version!r}")
        if digest == sha:
            raise AlreadyExistsError(
                f"this file was already imported as version {label!r} of {hs.name!r}"
            )


def live_entries(session: Session, set_id: int) -> int:
    """How many entries of a set are live."""
    return int(
        session.execute(
            select(func.count()).where(
                KnownHash.hash_set_id == set_id, KnownHash.removed_at.is_(None)
            )
        ).scalar_one()
    )


def import_hash_set(ctx: ServiceContext, path: Path, request: ImportRequest) -> ImportResult:
    """Import one version of a hash set, then update the index and re-triage (audited).

    Raises:
        AccessDenied: the actor is not an administrator or examiner.
        InvalidInputError: a bad option.
        UnknownFormatError: no importer (or several) recognise the file.
        FormatError: a malformed file or record (naming the file and the position);
            nothing is imported.
        AlreadyExistsError: the version label or the same file was already imported.
    """
    started = time.monotonic()
    default_category = _check(request)
    importer = detect_format(path, name=request.format)
    sha = file_sha256(path)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *KNOWN_MATERIAL_ROLES)
        now = ctx.clock()
        with importer.open(path, ImportOptions(hash_type=request.hash_type)) as stream:
            meta = stream.meta
            source = meta.source_application or importer.title
            hs = _set_for_import(
                session, request, importer.name, meta.scheme, source, (now, actor.username)
            )
            count = session.execute(
                select(func.count()).where(HashSetVersion.hash_set_id == hs.id)
            ).scalar_one()
            label = request.version or str(int(count) + 1)
            _check_version(session, hs, label, sha)
            mode = request.mode or ("delta" if importer.name in DELTA_FORMATS else "snapshot")
            version = HashSetVersion(
                hash_set_id=hs.id,
                version=label,
                file_name=path.name,
                file_sha256=sha,
                format=importer.name,
                mode=mode,
                imported_at=now,
                imported_by=actor.username,
            )
            session.add(version)
            session.flush()
            writer = SetWriter(
                session,
                set_id=hs.id,
                version_id=version.id,
                now=now,
                path=str(path),
                default_category=default_category,
                keyed_by_source=importer.name in SOURCE_KEYED_FORMATS,
            )
            for item in stream:
                if isinstance(item, Deletion):
                    writer.delete(item)
                else:
                    writer.add(item)
            counts = writer.finish(snapshot=mode == "snapshot")
        version.records, version.added = counts.records, counts.added
        version.updated, version.deleted = counts.updated, counts.deleted
        hs.version, hs.imported_at, hs.imported_by = label, now, actor.username
        hs.entries = live_entries(session, hs.id)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="hashset.import",
            object_type="hash_set",
            object_id=hs.id,
            clock=ctx.clock,
            details={
                "name": hs.name,
                "version": label,
                "format": importer.name,
                "mode": mode,
                "file": path.name,
                "file_sha256": sha,
                "records": counts.records,
                "added": counts.added,
                "updated": counts.updated,
                "deleted": counts.deleted,
            },
        )
        view = set_view(hs)
        version_id, username = version.id, actor.username
    sync_and_save(ctx)
    with ctx.transaction() as session:
        affected = affected_by_version(session, version_id)
    changes = retriage_ids(
        ctx, sorted(affected), cause=f"hashset.import {view.name} {label}", actor=username
    )
    return ImportResult(
        view,
        label,
        importer.name,
        mode,
        sha,
        counts.records,
        counts.added,
        counts.updated,
        counts.deleted,
        len(affected),
        len(changes),
        round(time.monotonic() - started, 3),
    )


@dataclass(frozen=True)
class RemoveResult:
    """What removing a set did."""

    name: str
    entries_removed: int
    retriaged: int
    triage_changes: int


def remove_hash_set(ctx: ServiceContext, name: str, *, reason: str = "") -> RemoveResult:
    """Withdraw a set: its entries stop matching; rows are kept for the record (audited).

    Raises:
        AccessDenied: the actor is not an administrator or examiner.
        NotFoundError: no live set of that name.
        InvalidInputError: the national classification set (managed by grading).
    """
    if name == NATIONAL_SET:
        raise InvalidInputError(f"{NATIONAL_SET!r} is kept by the grading workflow")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *KNOWN_MATERIAL_ROLES)
        hs = session.execute(select(HashSet).where(HashSet.name == name)).scalar_one_or_none()
        if hs is None or hs.removed_at is not None:
            raise NotFoundError(f"no hash set {name!r}")
        now = ctx.clock()
        result = session.execute(
            update(KnownHash)
            .where(KnownHash.hash_set_id == hs.id, KnownHash.removed_at.is_(None))
            .values(removed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        removed = int(getattr(result, "rowcount", 0) or 0)
        hs.removed_at, hs.entries = now, 0
        record(
            session,
            actor=actor.username,
            action="hashset.remove",
            object_type="hash_set",
            object_id=hs.id,
            clock=ctx.clock,
            details={"name": name, "entries": removed, "reason": reason},
        )
        set_id, username = hs.id, actor.username
    sync_and_save(ctx)
    with ctx.transaction() as session:
        affected = affected_by_set(session, set_id)
    changes = retriage_ids(ctx, sorted(affected), cause=f"hashset.remove {name}", actor=username)
    return RemoveResult(name, removed, len(affected), len(changes))
