"""The VICS context string and the header pass over a VICS file.

The context URL (``@odata.context`` in 2.0, ``odata.metadata`` in 1.x) is the one place a VICS
file says what it is: the data-model version, the region (2.0 only) and whether it holds a
hash set (``#Media``) or a case export (``#Cases``). Unknown contexts are refused, as IPED does:
guessing the category scheme of a national hash set would mislabel every record.

Region -> category scheme:

* ``US`` -> ``project_vic_us``;
* ``Default`` -> ``project_vic_us``: the default VICS profile uses the Project VIC codes 0-4
  (IPED reads Default hash sets with the same category table as US);
* ``UK`` -> ``uk_caid`` and ``CUSTOM`` -> ``vics_custom``: open schemes, codes kept verbatim
  because their tables are not public;
* 1.x files have no region: ``project_vic_us``, except code 8 which NIST's NSRL-CAID files use
  (scheme ``nist_caid``; see :func:`scheme_for_code`).

The header pass streams the file with ijson events and holds only scalar case fields, so
the context may come anywhere in the document and a ``#Cases`` export's case metadata is known
before the first record, even when a writer put it after ``Media[]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from sentinela.errors import FormatError
from sentinela.formats.fields import FieldError, parse_int, parse_text
from sentinela.formats.records import CaseInfo

CONTEXT_KEYS = ("@odata.context", "odata.metadata")
NIST_CAID_CODE = "8"

_V1 = re.compile(
    r"https?://github\.com/ICMEC/ProjectVic/DataModels/(1\.\d)\.xml#(Media|Cases)", re.I
)
_V2 = re.compile(
    r"https?://github\.com/VICSDATAMODEL/ProjectVic/DataModels/(2\.0)\.xml/"
    r"(Default|US|UK|CUSTOM)/\$metadata#(Media|Cases)",
    re.I,
)
_REGION_SCHEMES = {"DEFAULT": "project_vic_us", "US": "project_vic_us", "UK": "uk_caid"}
_REGION_NAMES = {"DEFAULT": "Default", "US": "US", "UK": "UK", "CUSTOM": "CUSTOM"}
_SCALARS = frozenset({"string", "number", "boolean", "null"})
_CASE_FIELDS = {
    "CaseID": "case_id",
    "CaseNumber": "case_number",
    "ContactOrganization": "contact_organization",
    "ContactName": "contact_name",
    "ContactTitle": "contact_title",
    "ContactPhone": "contact_phone",
    "ContactEmail": "contact_email",
    "SeizureDate": "seizure_date",
    "TotalMediaFiles": "total_media_files",
    "SourceApplicationName": "source_application_name",
    "SourceApplicationVersion": "source_application_version",
}


@dataclass(frozen=True, slots=True)
class VicsContext:
    """What a VICS context URL declares."""

    url: str
    version: str
    entity: str
    region: str | None
    scheme: str


def parse_context(url: str) -> VicsContext | None:
    """Return the parsed context, or ``None`` if ``url`` is not a known VICS context."""
    text = url.strip()
    if match := _V2.fullmatch(text):
        region = match.group(2).upper()
        entity = match.group(3).capitalize()
        scheme = _REGION_SCHEMES.get(region, "vics_custom")
        return VicsContext(text, match.group(1), entity, _REGION_NAMES[region], scheme)
    if match := _V1.fullmatch(text):
        return VicsContext(
            text, match.group(1), match.group(2).capitalize(), None, "project_vic_us"
        )
    return None


def scheme_for_code(context: VicsContext, code: str) -> str:
    """Return the scheme of one record's category code (1.x NIST files use code 8)."""
    if context.version.startswith("1.") and code == NIST_CAID_CODE:
        return "nist_caid"
    return context.scheme


def first_line(error: Exception) -> str:
    """The first line of a parser's message (ijson repeats the input under it)."""
    raw = error.args[0] if error.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return text.strip().split("\n")[0].strip() or type(error).__name__


@dataclass
class _CaseBuilder:
    fields: dict[str, Any]

    def build(self, path: Path, number: int) -> CaseInfo:
        values: dict[str, Any] = {}
        try:
            for key, value in self.fields.items():
                attr = _CASE_FIELDS[key]
                if attr == "total_media_files":
                    values[attr] = parse_int(value, key)
                else:
                    values[attr] = parse_text(value, key)
        except FieldError as error:
            raise FormatError(str(error), path=str(path), position=f"case {number}") from None
        return CaseInfo(**values)


def read_header(handle: IO[bytes], path: Path) -> tuple[VicsContext, tuple[CaseInfo, ...]]:
    """Stream the document's events to find the context and, for ``#Cases``, the cases.

    Stops as soon as the context is known for a ``#Media`` file; reads the whole document
    (holding only case-level scalars) for a ``#Cases`` file.

    Raises:
        FormatError: not a JSON object, no or unknown context, truncated or malformed JSON.
    """
    context: VicsContext | None = None
    cases: list[CaseInfo] = []
    current: _CaseBuilder | None = None
    events = ijson.parse(handle, buf_size=256 * 1024)
    try:
        for index, (prefix, event, value) in enumerate(events):
            if index == 0 and event != "start_map":
                raise FormatError("a VICS file is a JSON object", path=str(path), position="byte 0")
            if prefix in CONTEXT_KEYS and event != "map_key":
                context = _context_from_event(prefix, event, value, path)
                if context.entity == "Media":
                    return context, ()
            elif prefix == "value" and event in _SCALARS | {"start_map"}:
                raise FormatError("'value' must be an array", path=str(path), position="value")
            elif prefix == "value.item" and event == "start_map":
                current = _CaseBuilder({})
            elif prefix == "value.item" and event == "end_map" and current is not None:
                cases.append(current.build(path, len(cases) + 1))
                current = None
            elif current is not None and event in _SCALARS and prefix.startswith("value.item."):
                key = prefix[len("value.item.") :]
                if key in _CASE_FIELDS:
                    current.fields[key] = value
    except ijson.JSONError as error:
        raise FormatError(
            f"malformed JSON: {first_line(error)}", path=str(path), position="header"
        ) from None
    if context is None:
        raise FormatError(
            "no '@odata.context' or 'odata.metadata' key: not a VICS file",
            path=str(path),
            position="top level",
        )
    return context, tuple(cases)


def _context_from_event(prefix: str, event: str, value: Any, path: Path) -> VicsContext:
    if event != "string":
        raise FormatError(f"{prefix!r} must be a string", path=str(path), position=prefix)
    context = parse_context(value)
    if context is None:
        raise FormatError(f"unknown VICS context {value[:200]!r}", path=str(path), position=prefix)
    return context
