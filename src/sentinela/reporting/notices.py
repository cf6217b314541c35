"""Rendering notices to hosts: a plain-text e-mail (pt-PT or English) and a JSON document.

The text comes from the templates in ``content/notices.toml`` (data, one per language); the
JSON document carries the same facts for a host's ticketing system. A notice never carries
the content itself, only its URL, the report reference and the content's SHA-256.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, StrictUndefined, Template

from sentinela.reporting.transports.base import OutgoingNotice

FORMAT = "sentinela.takedown_notice"
FORMAT_VERSION = 1
NOTICE_KINDS: tuple[str, ...] = ("notice", "resend", "escalation")
_SUBJECTS = {
    "en": {
        "notice": "Notice of illegal content",
        "resend": "Reminder: illegal content still reachable",
        "escalation": "Escalation: illegal content still reachable",
    },
    "pt-PT": {
        "notice": "Notificação de conteúdo ilegal",
        "resend": "Lembrete: conteúdo ilegal ainda acessível",
        "escalation": "Escalamento: conteúdo ilegal ainda acessível",
    },
}


@dataclass(frozen=True)
class NoticeItem:
    """One reported URL in a notice."""

    report_id: int
    url: str
    reported_at: datetime
    sha256: str | None

    @property
    def reference(self) -> str:
        """The reference the host quotes back (``TD-<report id>``)."""
        return f"TD-{self.report_id}"


@dataclass(frozen=True)
class NoticeContent:
    """Everything a notice says."""

    notice_id: int
    kind: str
    sequence: int
    hosting_name: str
    recipient: str
    country: str
    reporter: str
    sent_at: datetime
    items: tuple[NoticeItem, ...]


def language_for(country: str) -> str:
    """Hosts in Portugal get Portuguese notices; everyone else gets English."""
    return "pt-PT" if country.upper() == "PT" else "en"


@lru_cache(maxsize=4)
def _template(lang: str) -> Template:
    source = resources.files("sentinela.reporting").joinpath("content", "notices.toml")
    texts = tomllib.loads(source.read_text(encoding="utf-8"))
    env = Environment(
        autoescape=False,  # noqa: S701 - plain-text e-mail, never rendered as HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(str(texts[lang]["text"]))


def notice_document(content: NoticeContent) -> dict[str, object]:
    """The JSON form of a notice."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "notice": content.notice_id,
        "kind": content.kind,
        "sequence": content.sequence,
        "sent_at": content.sent_at.isoformat(),
        "from": content.reporter,
        "host": {"name": content.hosting_name, "country": content.country},
        "request": ["remove_or_disable_access", "preserve_records", "do_not_inform_uploader"],
        "items": [
            {
                "reference": item.reference,
                "url": item.url,
                "reported_at": item.reported_at.isoformat(),
                "sha256": item.sha256,
            }
            for item in content.items
        ],
    }


def render_notice(content: NoticeContent, sender: str) -> OutgoingNotice:
    """The e-mail and JSON of a notice, in the host's language."""
    lang = language_for(content.country)
    text = _template(lang).render(
        kind=content.kind,
        sequence=content.sequence,
        hosting_name=content.hosting_name,
        reporter=content.reporter,
        notice_id=content.notice_id,
        sent_at=content.sent_at.isoformat(),
        items=[
            {
                "reference": item.reference,
                "url": item.url,
                "reported_at": item.reported_at.isoformat(),
                "sha256": item.sha256,
            }
            for item in content.items
        ],
    )
    refs = ", ".join(item.reference for item in content.items[:5])
    more = "" if len(content.items) <= 5 else f" (+{len(content.items) - 5})"
    return OutgoingNotice(
        key=f"notice-{content.notice_id}",
        sender=sender,
        recipient=content.recipient,
        subject=f"{_SUBJECTS[lang][content.kind]} [{refs}{more}]",
        text=text,
        document=json.dumps(notice_document(content), indent=2, ensure_ascii=False),
        sent_at_rfc2822=format_datetime(content.sent_at),
    )
