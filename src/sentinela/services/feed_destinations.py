"""Feed destinations: ICSE and partner agencies, each with a format, a scheme and a mapping.

A destination's mapping says, for each national category, which category of the
destination's scheme it becomes, or that it is deliberately not sent (``-``). A person
reviews it: ``reviewed_by`` is required, and every change is audited. Resolution order for
one category:

1. already in the destination's scheme: sent as is;
2. a row of the destination's own table;
3. a shipped scheme mapping whose status is ``reviewed`` (placeholders are not used);
4. otherwise unmapped: the feed is refused, listing every unmapped category with its count.
   Nothing is guessed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.exchange import FeedDestination
from sentinela.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.formats.export_base import ExportOptions
from sentinela.formats.export_records import HashSetDocument, Producer
from sentinela.formats.exporters import get_exporter
from sentinela.formats.records import Category
from sentinela.hashsets.schemes import SchemeCatalogue, default_catalogue
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role

#: Roles that manage destinations, build feeds and export the national store.
FEED_OPERATORS: tuple[str, ...] = ("admin", "victim_id_specialist")
FEED_FORMATS: tuple[str, ...] = ("icse_csv", "vics2_media")
EXCLUDED = "-"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class UnmappedCategoriesError(InvalidInputError):
    """Some selected categories have no reviewed mapping into the destination's scheme."""

    def __init__(self, destination: str, unmapped: Counter[Category]) -> None:
        listed = ", ".join(
            f"{category} ({count} item{'s' if count != 1 else ''})"
            for category, count in sorted(unmapped.items(), key=lambda kv: str(kv[0]))
        )
        super().__init__(
            f"destination {destination!r} has no reviewed mapping for: {listed}; add rows with"
            f" `sentinela feed destination map {destination} --map SCHEME:CODE=TARGET|-`"
        )
        self.unmapped = {str(category): count for category, count in unmapped.items()}


@dataclass(frozen=True)
class DestinationView:
    """A destination as callers see it."""

    name: str
    format: str
    scheme: str
    agency: str
    mapping: dict[str, str | None]
    reviewed_by: str
    reviewed_at: datetime
    packages_dir: str


class CategoryMapper:
    """Maps national categories into one destination's scheme, never guessing."""

    def __init__(
        self, name: str, scheme: str, table: dict[str, str | None], catalogue: SchemeCatalogue
    ) -> None:
        self.name, self.scheme, self._table, self._catalogue = name, scheme, table, catalogue

    def _resolve(self, category: Category) -> tuple[bool, Category | None]:
        if category.scheme == self.scheme:
            return True, category
        key = str(category)
        if key in self._table:
            code = self._table[key]
            return True, None if code is None else Category(self.scheme, code)
        shipped = self._catalogue.mapping(category.scheme, self.scheme)
        if shipped is not None and shipped.status == "reviewed":
            code = shipped.map_code(category.code)
            if code is not None:
                return True, Category(self.scheme, code)
        return False, None

    def check(self, counts: Counter[Category]) -> None:
        """Raise :class:`UnmappedCategoriesError` listing every unmapped category."""
        unmapped = Counter({c: n for c, n in counts.items() if not self._resolve(c)[0]})
        if unmapped:
            raise UnmappedCategoriesError(self.name, unmapped)

    def __call__(self, category: Category) -> Category | None:
        """The mapped category, or ``None`` when it is excluded on purpose."""
        known, mapped = self._resolve(category)
        if not known:
            raise UnmappedCategoriesError(self.name, Counter({category: 1}))
        return mapped


def parse_mapping(
    entries: list[str], scheme: str, catalogue: SchemeCatalogue
) -> dict[str, str | None]:
    """Parse ``SCHEME:CODE=TARGET`` (or ``=-`` to exclude) rows, validating both sides.

    Raises:
        InvalidInputError: a malformed row, or a code its scheme does not define.
    """
    table: dict[str, str | None] = {}
    target = catalogue.scheme(scheme)
    for entry in entries:
        source, sep, code = entry.partition("=")
        from_scheme, colon, from_code = source.strip().partition(":")
        if not sep or not colon or not from_code or not code.strip():
            raise InvalidInputError(f"mapping row {entry!r} must read SCHEME:CODE=TARGET or =-")
        catalogue.validate(Category(from_scheme, from_code))
        value = code.strip()
        if value != EXCLUDED:
            target.validate_code(value)
        table[f"{from_scheme}:{from_code}"] = None if value == EXCLUDED else value
    return table


def _view(row: FeedDestination) -> DestinationView:
    return DestinationView(
        row.name,
        row.format,
        row.scheme,
        row.agency,
        json.loads(row.mapping),
        row.reviewed_by,
        row.reviewed_at,
        row.packages_dir,
    )


def load_destination(session: Session, name: str) -> FeedDestination:
    """A destination by name.

    Raises:
        NotFoundError: no such destination (the message says how to add one).
    """
    row = session.execute(
        select(FeedDestination).where(FeedDestination.name == name)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(
            f"no feed destination {name!r}; add it with `sentinela feed destination add {name}"
            " --format icse_csv --scheme interpol_baseline --map ... --reviewed-by ...`"
        )
    return row


def mapper_for(row: FeedDestination, catalogue: SchemeCatalogue | None = None) -> CategoryMapper:
    """The category mapper of a destination."""
    return CategoryMapper(
        row.name, row.scheme, json.loads(row.mapping), catalogue or default_catalogue()
    )


def add_destination(
    ctx: ServiceContext,
    name: str,
    *,
    format: str,
    scheme: str,
    mapping: list[str],
    reviewed_by: str,
    agency: str = "",
    packages_dir: Path | None = None,
) -> DestinationView:
    """Create a destination (audited).

    Raises:
        InvalidInputError: bad name, format, scheme or mapping row, or no reviewer.
        AlreadyExistsError: the name is taken.
        AccessDenied: the actor is not a feed operator.
    """
    if not _NAME.match(name):
        raise InvalidInputError(
            f"destination name {name!r} must be lower-case letters, digits, - or _"
        )
    if format not in FEED_FORMATS:
        raise InvalidInputError(f"feed format {format!r} is not one of {', '.join(FEED_FORMATS)}")
    if not reviewed_by.strip():
        raise InvalidInputError("a mapping must name who reviewed it (--reviewed-by)")
    catalogue = default_catalogue()
    table = parse_mapping(mapping, scheme, catalogue)
    probe = HashSetDocument(name, scheme, (), Producer(), ctx.clock())
    get_exporter(format).check(probe, ExportOptions())
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        if session.execute(select(FeedDestination.id).where(FeedDestination.name == name)).first():
            raise AlreadyExistsError(f"feed destination {name!r} already exists")
        now = ctx.clock()
        row = FeedDestination(
            name=name,
            format=format,
            scheme=scheme,
            agency=agency,
            mapping=json.dumps(table, sort_keys=True),
            reviewed_by=reviewed_by.strip(),
            reviewed_at=now,
            packages_dir=str((packages_dir or ctx.settings.data_dir / "feeds" / name).absolute()),
            created_at=now,
            created_by=actor.username,
        )
        session.add(row)
        session.flush()
        record(
            session,
            actor=actor.username,
            action="feed.destination.add",
            object_type="feed_destination",
            object_id=name,
            clock=ctx.clock,
            details={
                "format": format,
                "scheme": scheme,
                "mapping": table,
                "reviewed_by": reviewed_by,
            },
        )
        return _view(row)


def map_destination(
    ctx: ServiceContext, name: str, *, mapping: list[str], reviewed_by: str
) -> DestinationView:
    """Add or replace mapping rows of a destination (audited, with the reviewer).

    Raises:
        InvalidInputError: a bad row or no reviewer.
        NotFoundError: no such destination.
        AccessDenied: the actor is not a feed operator.
    """
    if not reviewed_by.strip():
        raise InvalidInputError("a mapping must name who reviewed it (--reviewed-by)")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *FEED_OPERATORS)
        row = load_destination(session, name)
        rows = parse_mapping(mapping, row.scheme, default_catalogue())
        table = json.loads(row.mapping) | rows
        row.mapping = json.dumps(table, sort_keys=True)
        row.reviewed_by, row.reviewed_at = reviewed_by.strip(), ctx.clock()
        record(
            session,
            actor=actor.username,
            action="feed.destination.map",
            object_type="feed_destination",
            object_id=name,
            clock=ctx.clock,
            details={"rows": rows, "reviewed_by": reviewed_by},
        )
        return _view(row)


def list_destinations(ctx: ServiceContext) -> list[DestinationView]:
    """Every destination, by name."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *FEED_OPERATORS)
        rows = session.execute(select(FeedDestination).order_by(FeedDestination.name)).scalars()
        return [_view(row) for row in rows]
