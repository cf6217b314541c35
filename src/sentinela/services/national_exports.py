"""Export the national classification as a hash set (VICS ``#Media`` or ICSE CSV).

The selection is by scheme, category codes and decision date. Written in the selected scheme
as is, or, with ``destination``, mapped through that destination's reviewed table (the way a
feed is) when the target format needs another scheme: ICSE wants the INTERPOL baseline flag.
A category with no reviewed mapping is refused with the list of unmapped categories; nothing
is guessed. Hash-set exports carry no occurrences, so no case detail leaves with them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sentinela.audit import record
from sentinela.errors import InvalidInputError
from sentinela.formats.export_base import Exporter, ExportOptions
from sentinela.formats.export_records import HashSetDocument
from sentinela.formats.exporters import get_exporter
from sentinela.formats.records import Category
from sentinela.formats.vics_writer import V1_VERSIONS
from sentinela.hashsets.schemes import default_catalogue
from sentinela.services.context import ServiceContext
from sentinela.services.exchange_documents import (
    Selection,
    Tally,
    national_categories,
    national_records,
    producer_for,
)
from sentinela.services.exports import (
    ExportView,
    discard,
    export_view,
    finish_export_row,
    new_export_row,
    prepare_target,
)
from sentinela.services.feed_destinations import FEED_OPERATORS, load_destination, mapper_for
from sentinela.services.feed_packages import write_document
from sentinela.services.permissions import require_role

HASH_SET_FORMATS = ("vics", "icse_csv")


def hash_set_exporter(format: str, vics_version: str) -> tuple[Exporter, ExportOptions]:
    """The exporter of a hash set in ``format``.

    Raises:
        InvalidInputError: unknown format or VICS version.
    """
    if format == "icse_csv":
        return get_exporter("icse_csv"), ExportOptions()
    if format != "vics":
        raise InvalidInputError(
            f"hash-set export format {format!r} is not one of {HASH_SET_FORMATS}"
        )
    if vics_version == "2.0":
        return get_exporter("vics2_media"), ExportOptions()
    if vics_version in V1_VERSIONS:
        return get_exporter("vics1"), ExportOptions(vics_version=vics_version)
    raise InvalidInputError(f"VICS version {vics_version!r} is not 2.0 or one of {V1_VERSIONS}")


def _identity(category: Category) -> Category | None:
    return category


def export_national(
    ctx: ServiceContext,
    target: Path,
    *,
    scheme: str,
    codes: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    format: str = "vics",
    vics_version: str = "2.0",
    destination: str | None = None,
    force: bool = False,
) -> ExportView:
    """Export the selected national classifications as a hash set (audited).

    Args:
        ctx: the service context.
        target: the export folder (created; refused if not empty unless ``force``).
        scheme: the scheme of the classifications to take.
        codes: only these codes of ``scheme`` (every code when empty).
        since, until: only decisions in ``[since, until)``.
        format: ``vics`` or ``icse_csv``.
        vics_version: ``2.0`` or a 1.x version.
        destination: map categories through this destination's reviewed table.
        force: accept a non-empty folder.

    Raises:
        InvalidInputError: bad format, version, scheme or code, or a non-empty target.
        UnmappedCategoriesError: ``destination`` has no mapping for a selected category.
        ExportRefusedError: the format cannot express the scheme (e.g. UK grades as VICS).
        AccessDenied: the actor is not a feed operator.
    """
    exporter, options = hash_set_exporter(format, vics_version)
    catalogue = default_catalogue()
    for code in codes:
        catalogue.validate(Category(scheme, code))
    selection = Selection(scheme=scheme, codes=codes, since=since, until=until)
    written: list[Path] = []
    try:
        folder = prepare_target(target, force=force, created=written)
        with ctx.transaction() as session:
            actor = ctx.actor(session)
            require_role(actor, *FEED_OPERATORS)
            mapper, out_scheme = _identity, scheme
            if destination is not None:
                dest = load_destination(session, destination)
                mapper, out_scheme = mapper_for(dest, catalogue), dest.scheme
                mapper.check(national_categories(session, selection))
            now = ctx.clock()
            tally = Tally()
            document = HashSetDocument(
                name="national_classification",
                scheme=out_scheme,
                records=national_records(session, selection, mapper, tally),
                producer=producer_for(actor),
                created_at=now,
                agency=actor.unit,
            )
            exporter.check(document, options)
            row = new_export_row(ctx, actor, "hash_set", exporter, folder, None, "")
            session.add(row)
            session.flush()
            path = folder / exporter.file_name(f"national_{scheme}")
            if path.exists() and force:
                path.unlink()
            result = write_document(path, exporter, document, options)
            written.append(path)
            parameters: dict[str, object] = {
                "scheme": scheme,
                "codes": list(codes),
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "vics_version": vics_version,
                "destination": destination,
            }
            finish_export_row(row, result, 0, parameters)
            record(
                session,
                actor=actor.username,
                action="export.hash_set",
                object_type="export",
                object_id=row.id,
                clock=ctx.clock,
                details={
                    "format": exporter.name,
                    "path": str(path),
                    "sha256": result.sha256,
                    "records": result.records,
                    **parameters,
                },
            )
            return export_view(row, None)
    except BaseException:
        discard(written)
        raise
