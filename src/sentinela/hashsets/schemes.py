"""Category schemes and the reviewed mappings between them, loaded from data files.

A category is always a ``(scheme, code)`` pair, never a single global enum: Project VIC US
codes 0-4, UK grades A/B/C, the INTERPOL baseline flag and the industry A1-B2 classes describe
different things, and no table can turn one into another without a person deciding it. So:

* each scheme is one TOML file in ``schemes/`` (``format_version``, ``name``, ``title``,
  ``kind``, ``open`` and a ``[codes."<code>"]`` table with a neutral ``label`` and a triage
  ``class``);
* each mapping is one TOML file ``schemes/mappings/<from>__<to>.toml`` carrying who reviewed
  it and when, and an explicit ``[codes]`` table;
* :meth:`SchemeCatalogue.map_category` only follows such a table and returns ``None`` when
  there is none or the code is not in it. It never guesses.

An *open* scheme (``open = true``) is one whose code table is not public (UK CAID numeric codes
inside VICS files, VICS ``CUSTOM`` regions): any code is accepted and kept verbatim, with the
scheme's ``default_class``.

Triage classes: ``categorised`` (known-categorised), ``benign`` (known-benign, e.g. NSRL) and
``non_pertinent`` (known, and graded as not relevant).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from sentinela.errors import FormatError, InvalidInputError, UnknownNameError

SCHEME_FORMAT_VERSION = 1
TRIAGE_CLASSES = frozenset({"categorised", "benign", "non_pertinent"})
MAPPING_STATUSES = frozenset({"placeholder", "reviewed"})
_SCHEME_KINDS = frozenset({"codes", "flag"})


class SchemeFileError(FormatError):
    """A scheme or mapping data file is malformed."""


@dataclass(frozen=True, slots=True)
class Category:
    """A category as given by a source: a code inside one scheme."""

    scheme: str
    code: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"


@dataclass(frozen=True, slots=True)
class SchemeCode:
    """One code of a scheme, with its neutral label and triage class."""

    code: str
    label: str
    triage_class: str


@dataclass(frozen=True)
class Scheme:
    """A category scheme loaded from ``schemes/<name>.toml``."""

    name: str
    title: str
    kind: str
    open: bool
    codes: Mapping[str, SchemeCode]
    default_class: str | None = None
    note: str = ""
    format_version: int = SCHEME_FORMAT_VERSION

    def validate_code(self, code: str) -> SchemeCode:
        """Return the code's entry, or raise if the scheme does not define it.

        Raises:
            InvalidInputError: the code is empty or, in a closed scheme, unknown.
        """
        if not isinstance(code, str) or not code.strip() or code != code.strip():
            raise InvalidInputError(f"invalid category code {code!r} for scheme {self.name!r}")
        entry = self.codes.get(code)
        if entry is not None:
            return entry
        if self.open and self.default_class is not None:
            return SchemeCode(
                code=code, label=f"{self.title} code {code}", triage_class=self.default_class
            )
        known = ", ".join(self.codes) or "none"
        raise InvalidInputError(
            f"unknown category code {code!r} for scheme {self.name!r} (known: {known})"
        )

    def category(self, code: str) -> Category:
        """Return ``Category(self.name, code)`` after validating the code."""
        self.validate_code(code)
        return Category(self.name, code)


@dataclass(frozen=True)
class SchemeMapping:
    """A reviewed code table from one scheme to another."""

    from_scheme: str
    to_scheme: str
    status: str
    reviewed_by: str
    reviewed_at: dt.date
    table: Mapping[str, str]
    note: str = ""

    def map_code(self, code: str) -> str | None:
        """Return the target code, or ``None`` when the table has no row for ``code``."""
        return self.table.get(code)


@dataclass(frozen=True)
class SchemeCatalogue:
    """All schemes and mappings, with lookups that never guess."""

    schemes: Mapping[str, Scheme]
    mappings: Mapping[tuple[str, str], SchemeMapping] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def scheme(self, name: str) -> Scheme:
        """Return the scheme called ``name``.

        Raises:
            UnknownNameError: no such scheme.
        """
        try:
            return self.schemes[name]
        except KeyError:
            known = ", ".join(sorted(self.schemes))
            raise UnknownNameError(f"unknown category scheme {name!r} (known: {known})") from None

    def validate(self, category: Category) -> SchemeCode:
        """Validate ``category`` against its scheme.

        Raises:
            InvalidInputError: the scheme is unknown or does not define the code.
        """
        try:
            scheme = self.scheme(category.scheme)
        except UnknownNameError as error:
            raise InvalidInputError(str(error)) from None
        return scheme.validate_code(category.code)

    def mapping(self, from_scheme: str, to_scheme: str) -> SchemeMapping | None:
        """Return the reviewed mapping between two schemes, if one is shipped."""
        return self.mappings.get((from_scheme, to_scheme))

    def map_category(self, category: Category, to_scheme: str) -> Category | None:
        """Map ``category`` into ``to_scheme`` through an explicit table.

        Returns:
            The category itself when it is already in ``to_scheme``; the mapped category when a
            mapping file has a row for its code; otherwise ``None`` (the category stays in its
            own scheme).

        Raises:
            InvalidInputError: ``category`` is not valid in its own scheme.
            UnknownNameError: ``to_scheme`` is not a known scheme.
        """
        self.validate(category)
        self.scheme(to_scheme)
        if category.scheme == to_scheme:
            return category
        mapping = self.mapping(category.scheme, to_scheme)
        if mapping is None:
            return None
        code = mapping.map_code(category.code)
        return None if code is None else Category(to_scheme, code)


def _schemes_dir() -> Traversable:
    return resources.files("sentinela.hashsets").joinpath("schemes")


def _read_toml(file: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SchemeFileError(str(error), path=str(file)) from error


def _text(data: Mapping[str, Any], key: str, file: Traversable, *, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise SchemeFileError(f"{key!r} must be a non-empty string", path=str(file), position=key)
    return value


def _parse_scheme(file: Traversable) -> Scheme:
    data = _read_toml(file)
    if data.get("format_version") != SCHEME_FORMAT_VERSION:
        raise SchemeFileError(
            f"unsupported format_version {data.get('format_version')!r}",
            path=str(file),
            position="format_version",
        )
    name = _text(data, "name", file)
    if f"{name}.toml" != file.name:
        raise SchemeFileError(f"name {name!r} does not match the file name", path=str(file))
    kind = _text(data, "kind", file)
    is_open = data.get("open", False)
    default_class = data.get("default_class")
    if kind not in _SCHEME_KINDS or not isinstance(is_open, bool):
        raise SchemeFileError("bad 'kind' or 'open'", path=str(file))
    if is_open and default_class not in TRIAGE_CLASSES:
        raise SchemeFileError(
            "an open scheme needs a default_class", path=str(file), position="default_class"
        )
    raw_codes = data.get("codes", {})
    if not isinstance(raw_codes, dict) or (not raw_codes and not is_open):
        raise SchemeFileError("a closed scheme needs [codes]", path=str(file), position="codes")
    codes: dict[str, SchemeCode] = {}
    for code, entry in raw_codes.items():
        where = f"codes.{code}"
        if not isinstance(entry, dict) or entry.get("class") not in TRIAGE_CLASSES:
            raise SchemeFileError(
                "each code needs a label and a class", path=str(file), position=where
            )
        codes[code] = SchemeCode(code, _text(entry, "label", file), entry["class"])
    return Scheme(
        name=name,
        title=_text(data, "title", file),
        kind=kind,
        open=is_open,
        codes=MappingProxyType(codes),
        default_class=default_class,
        note=_text(data, "note", file, required=False),
    )


def _parse_mapping(file: Traversable, schemes: Mapping[str, Scheme]) -> SchemeMapping:
    data = _read_toml(file)
    source, target = _text(data, "from", file), _text(data, "to", file)
    if file.name != f"{source}__{target}.toml":
        raise SchemeFileError("file name must be <from>__<to>.toml", path=str(file))
    if source not in schemes or target not in schemes:
        raise SchemeFileError("mapping names an unknown scheme", path=str(file))
    status = data.get("status")
    reviewed_at = data.get("reviewed_at")
    if status not in MAPPING_STATUSES or not isinstance(reviewed_at, dt.date):
        raise SchemeFileError("needs status and a reviewed_at date", path=str(file))
    table = data.get("codes")
    if not isinstance(table, dict) or not table:
        raise SchemeFileError("needs a [codes] table", path=str(file), position="codes")
    for code, mapped in table.items():
        try:
            schemes[source].validate_code(code)
            schemes[target].validate_code(mapped if isinstance(mapped, str) else "")
        except InvalidInputError as error:
            raise SchemeFileError(str(error), path=str(file), position=f"codes.{code}") from None
    return SchemeMapping(
        from_scheme=source,
        to_scheme=target,
        status=status,
        reviewed_by=_text(data, "reviewed_by", file),
        reviewed_at=reviewed_at,
        table=MappingProxyType(dict(table)),
        note=_text(data, "note", file, required=False),
    )


def load_schemes(directory: Traversable | None = None) -> dict[str, Scheme]:
    """Load every ``*.toml`` scheme file in ``directory`` (the shipped ``schemes/`` by default).

    Raises:
        SchemeFileError: a file is malformed.
    """
    folder = directory if directory is not None else _schemes_dir()
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return {scheme.name: scheme for scheme in map(_parse_scheme, files)}


def load_mappings(
    schemes: Mapping[str, Scheme], directory: Traversable | None = None
) -> dict[tuple[str, str], SchemeMapping]:
    """Load every mapping file in ``directory`` (the shipped ``schemes/mappings/`` by default).

    Raises:
        SchemeFileError: a file is malformed or names unknown schemes or codes.
    """
    folder = directory if directory is not None else _schemes_dir().joinpath("mappings")
    mappings: dict[tuple[str, str], SchemeMapping] = {}
    if not folder.is_dir():
        return mappings
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if file.name.endswith(".toml"):
            mapping = _parse_mapping(file, schemes)
            mappings[(mapping.from_scheme, mapping.to_scheme)] = mapping
    return mappings


def load_catalogue(directory: Traversable | None = None) -> SchemeCatalogue:
    """Load schemes from ``directory`` and mappings from its ``mappings/`` folder."""
    folder = directory if directory is not None else _schemes_dir()
    schemes = load_schemes(folder)
    mappings = load_mappings(schemes, folder.joinpath("mappings"))
    return SchemeCatalogue(MappingProxyType(schemes), MappingProxyType(mappings))


@lru_cache(maxsize=1)
def default_catalogue() -> SchemeCatalogue:
    """The shipped schemes and mappings, loaded once (they are read-only package data)."""
    return load_catalogue()


def map_category(
    category: Category, to_scheme: str, catalogue: SchemeCatalogue | None = None
) -> Category | None:
    """Map ``category`` into ``to_scheme`` with a shipped, reviewed table; ``None`` if none.

    See :meth:`SchemeCatalogue.map_category`.
    """
    return (catalogue or default_catalogue()).map_category(category, to_scheme)
