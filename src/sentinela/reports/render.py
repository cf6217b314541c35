"""Render the report document as self-contained HTML, canonical JSON and a CSV of items.

Every rendering is a pure function of the document (and, for HTML, of the blurred thumbnails
passed in), with fixed key order, separators and line endings, so identical documents give
identical bytes. The HTML page loads nothing: styles are inline, images (only when asked for)
are ``data:`` URIs, and a Content-Security-Policy forbids every other source.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sentinela.errors import InvalidInputError
from sentinela.hashsets.schemes import Category, default_catalogue

CSV_COLUMNS = (
    "exhibit",
    "path",
    "parent_container",
    "deleted",
    "sha256",
    "md5",
    "sha1",
    "size",
    "mime",
    "pdq",
    "pdq_quality",
    "triage_class",
    "categories",
    "series",
    "victim_identified",
    "sets",
)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sentinela.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.globals["yesno"] = _yesno
    return env


def _yesno(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def _labels(doc: dict[str, Any]) -> dict[str, str]:
    catalogue = default_catalogue()
    labels = {}
    for category in doc["counts"]["by_category"]:
        scheme, _, code = category.partition(":")
        try:
            labels[category] = catalogue.validate(Category(scheme, code)).label
        except InvalidInputError:
            continue
    return labels


def render_html(doc: dict[str, Any], thumbnails: dict[str, str] | None = None) -> bytes:
    """The report as one self-contained HTML page (UTF-8).

    Args:
        doc: the document from :func:`~sentinela.reports.collect.collect_report`.
        thumbnails: ``data:`` URIs of blurred thumbnails by SHA-256, only when the caller
            explicitly asked for them; ``None`` shows no media at all.
    """
    template = _environment().get_template("examination.html")
    text = template.render(r=doc, thumbnails=thumbnails or {}, labels=_labels(doc))
    return text.encode("utf-8")


def render_json(doc: dict[str, Any]) -> bytes:
    """The document as canonical, indented JSON (UTF-8, sorted keys, final newline)."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def render_csv(doc: dict[str, Any]) -> bytes:
    """One row per occurrence (every item found, known or new), in report order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in doc["items"]:
        writer.writerow([_cell(item[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")
