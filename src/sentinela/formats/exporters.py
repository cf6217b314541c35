"""The registry of exporters (the write side of the exchange formats).

Build it with :func:`build_exporter_registry`; nothing registers at import time. Names are
persisted in every export record and feed manifest and must never change:

=============== ============================================= ===============
name            writes                                        read back by
=============== ============================================= ===============
``vics2_cases`` VICS 2.0 ``#Cases``: a case with its media    ``vics``
``vics2_media`` VICS 2.0 ``#Media``: a hash set               ``vics``
``vics1``       VICS 1.1/1.2/1.3, ``#Cases`` or ``#Media``    ``vics``
``case_uco``    CASE/UCO JSON-LD of a case                    ``case_uco``
``icse_csv``    INTERPOL ICSE hash export CSV                 ``icse_csv``
=============== ============================================= ===============

Why a second registry beside :func:`sentinela.formats.build_format_registry`: see
:mod:`sentinela.formats.export_base`.
"""

from __future__ import annotations

from sentinela.errors import UnknownFormatError
from sentinela.formats.case_uco_export import CaseUcoExporter
from sentinela.formats.export_base import Exporter
from sentinela.formats.icse_csv_export import IcseCsvExporter
from sentinela.formats.vics1_export import Vics1Exporter
from sentinela.formats.vics2_cases_export import Vics2CasesExporter
from sentinela.formats.vics2_media_export import Vics2MediaExporter
from sentinela.registry import Registry

__all__ = ["build_exporter_registry", "get_exporter"]


def build_exporter_registry() -> Registry[Exporter]:
    """Return a new registry holding every built-in exporter."""
    registry: Registry[Exporter] = Registry("exporter")
    for exporter in (
        Vics2CasesExporter(),
        Vics2MediaExporter(),
        Vics1Exporter(),
        CaseUcoExporter(),
        IcseCsvExporter(),
    ):
        registry.register(exporter)
    return registry


def get_exporter(name: str, registry: Registry[Exporter] | None = None) -> Exporter:
    """Return the exporter registered as ``name``.

    Raises:
        UnknownFormatError: no exporter has that name.
    """
    exporters = registry if registry is not None else build_exporter_registry()
    if name not in exporters:
        raise UnknownFormatError(
            f"unknown export format {name!r} (known: {', '.join(exporters.names())})"
        )
    return exporters.get(name)
