"""Exchange formats: the registry of importers (and, later, exporters).

Build the registry with :func:`build_format_registry`; nothing registers at import time. Names
are persisted with every imported hash set and must never change:

=============== ===========================================================
``vics``        Project VIC VICS JSON 1.x and 2.0, ``#Media`` and ``#Cases``
``nsrl_rdsv3``  NIST NSRL RDSv3 SQLite, minimal and full layouts
``nsrl_rds2``   NIST NSRL RDS 2.x ``NSRLFile.txt``
``ncmec_xml``   NCMEC hash-sharing API v2 XML, deletions included
``icse_csv``    INTERPOL ICSE hash export CSV
``plain_list``  md5sum/sha1sum/sha256sum output, PDQ hex per line
=============== ===========================================================
"""

from __future__ import annotations

from pathlib import Path

from sentinela.errors import UnknownFormatError
from sentinela.formats.base import (
    ExchangeFormat,
    Importer,
    ImportOptions,
    ImportStream,
    read_head,
)
from sentinela.formats.icse_csv import IcseCsvImporter
from sentinela.formats.ncmec_xml import NcmecXmlImporter
from sentinela.formats.nsrl_rds2 import NsrlRds2Importer
from sentinela.formats.nsrl_rdsv3 import NsrlRdsV3Importer
from sentinela.formats.plain_list import PlainListImporter
from sentinela.formats.vics import VicsImporter
from sentinela.registry import Registry

__all__ = [
    "ExchangeFormat",
    "ImportOptions",
    "ImportStream",
    "Importer",
    "build_format_registry",
    "detect_format",
    "get_importer",
    "importers",
]

AUTO = "auto"


def build_format_registry() -> Registry[ExchangeFormat]:
    """Return a new registry holding every built-in format."""
    registry: Registry[ExchangeFormat] = Registry("format")
    for fmt in (
        VicsImporter(),
        NsrlRdsV3Importer(),
        NsrlRds2Importer(),
        NcmecXmlImporter(),
        IcseCsvImporter(),
        PlainListImporter(),
    ):
        registry.register(fmt)
    return registry


def importers(registry: Registry[ExchangeFormat]) -> list[Importer]:
    """The registered formats that can import, sorted by name."""
    return [fmt for fmt in registry if isinstance(fmt, Importer)]


def get_importer(registry: Registry[ExchangeFormat], name: str) -> Importer:
    """Return the importer registered as ``name``.

    Raises:
        UnknownFormatError: no format has that name, or it cannot import.
    """
    if name not in registry:
        known = ", ".join(fmt.name for fmt in importers(registry))
        raise UnknownFormatError(f"unknown format {name!r} (known: {known})")
    fmt = registry.get(name)
    if not isinstance(fmt, Importer):
        raise UnknownFormatError(f"format {name!r} cannot be imported")
    return fmt


def detect_format(
    path: Path, registry: Registry[ExchangeFormat] | None = None, name: str = AUTO
) -> Importer:
    """Return the importer for ``path``: the one named, or the only one whose sniff accepts it.

    Args:
        path: the file to import.
        registry: the formats to consider (the built-ins by default).
        name: a format name, or ``"auto"`` to sniff the file's first bytes.

    Raises:
        UnknownFormatError: no importer (or more than one) recognises the file, or ``name`` is
            unknown.
        FormatError: the file cannot be read.
    """
    formats = registry if registry is not None else build_format_registry()
    if name != AUTO:
        return get_importer(formats, name)
    head = read_head(path)
    matches = [imp for imp in importers(formats) if imp.sniff(head, path.name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(imp.name for imp in importers(formats))
        raise UnknownFormatError(
            f"no known format recognises this file (known: {known}); pass a format name",
            path=str(path),
        )
    names = ", ".join(imp.name for imp in matches)
    raise UnknownFormatError(
        f"several formats recognise this file ({names}); pass a format name", path=str(path)
    )
