"""Project VIC VICS JSON: 1.x (``odata.metadata``) and 2.0 (``@odata.context``).

Both ``#Media`` hash sets (``value`` is an array of Media records) and ``#Cases`` exports
(``value`` holds Case objects, each with ``Media[]`` and every Media's ``MediaFiles[]``).

The file is read twice, both times with ijson (yajl2 C backend) so memory stays flat however
large the file: a header pass (:func:`~sentinela.formats.vics_header.read_header`) that stops
at the context for hash sets, then the record pass, which builds one Media object at a time.
Never ``json.load`` a VICS file: national sets reach hundreds of megabytes on a single line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, ClassVar

import ijson

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.base import Importer, ImportOptions, ImportStream, Item
from sentinela.formats.fields import UTF8_BOM, record_error, strip_bom
from sentinela.formats.records import ImportMeta
from sentinela.formats.vics_header import CONTEXT_KEYS, VicsContext, first_line, read_header
from sentinela.formats.vics_media import CategoryResolver, media_record
from sentinela.hashsets.schemes import SchemeCatalogue, default_catalogue

_BUFFER = 256 * 1024
_ITEM_PREFIX = {"Media": "value.item", "Cases": "value.item.Media.item"}


class VicsImporter(Importer):
    """Reads VICS 1.x and 2.0 hash sets and case exports."""

    name: ClassVar[str] = "vics"
    title: ClassVar[str] = "Project VIC VICS JSON (1.x and 2.0, #Media and #Cases)"

    def __init__(self, catalogue: SchemeCatalogue | None = None) -> None:
        self._catalogue = catalogue

    def sniff(self, head: bytes, filename: str) -> bool:
        """A JSON object naming an OData context, or a ``value`` array of MD5 records."""
        text = strip_bom(head).lstrip()
        if not text.startswith(b"{"):
            return False
        if any(key.encode() in text for key in CONTEXT_KEYS):
            return True
        return b'"value"' in text and b'"MD5"' in text

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Read the context (and case metadata) of ``path``; stream its Media records.

        Raises:
            FormatError: unreadable file, malformed JSON, or no or an unknown context.
        """
        catalogue = self._catalogue or default_catalogue()
        with _open_json(path) as handle:
            context, cases = read_header(handle, path)
        meta = ImportMeta(
            format=self.name,
            path=str(path),
            version=context.version,
            scheme=context.scheme,
            entity=context.entity,
            region=context.region,
            cases=cases,
            source_application=cases[0].source_application_name if cases else None,
        )
        return ImportStream(meta, _records(path, context, catalogue))


def _open_json(path: Path) -> IO[bytes]:
    """Open ``path`` for binary reading, positioned after a UTF-8 BOM if there is one."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FormatError(f"cannot read file: {error.strerror or error}", path=str(path)) from None
    if handle.read(len(UTF8_BOM)) != UTF8_BOM:
        handle.seek(0)
    return handle


def _records(path: Path, context: VicsContext, catalogue: SchemeCatalogue) -> Iterator[Item]:
    count = 0
    categories = CategoryResolver(context, catalogue)
    with _open_json(path) as handle:
        items = ijson.items(handle, _ITEM_PREFIX[context.entity], use_float=True, buf_size=_BUFFER)
        try:
            for count, obj in enumerate(items, start=1):
                position = f"record {count}"
                try:
                    yield media_record(obj, position, categories)
                except (InvalidInputError, InvalidHashError) as error:
                    raise record_error(error, path, position) from None
        except ijson.JSONError as error:
            raise FormatError(
                f"malformed or truncated JSON: {first_line(error)}",
                path=str(path),
                position=f"after record {count}",
            ) from None
    if count == 0:
        _require_value_array(path)


def _require_value_array(path: Path) -> None:
    """An empty result is fine for ``"value": []``, an error when ``value`` is missing."""
    with _open_json(path) as handle:
        for prefix, event, _ in ijson.parse(handle, buf_size=_BUFFER):
            if prefix == "value" and event == "start_array":
                return
    raise FormatError("no 'value' array of records", path=str(path), position="value")
