"""The notice transport interface.

Why transports are pluggable and stateless: a unit sends notices through its own mail relay,
a ticketing system or a partner hotline's API; tests send them to a local SMTP server; the
default writes them to an outbox folder that a person (or another system) picks up. Each
transport gets the rendered notice and the notice policy, and returns a delivery reference
that is stored with the notice (a Message-ID, a file name, a ticket number).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import ClassVar

from sentinela.reporting.config import NoticePolicy


@dataclass(frozen=True)
class OutgoingNotice:
    """A rendered notice, ready to send.

    Attributes:
        key: a unique, file-name-safe identifier (``notice-<id>``).
        sender: the From address.
        recipient: the host's abuse (or escalation) contact.
        subject: one line.
        text: the plain-text body.
        document: the same notice as JSON (attached to e-mails as ``notice.json``).
        sent_at_rfc2822: the Date header.
    """

    key: str
    sender: str
    recipient: str
    subject: str
    text: str
    document: str
    sent_at_rfc2822: str


def to_email(notice: OutgoingNotice) -> EmailMessage:
    """The notice as an e-mail: the text body, and the JSON document attached."""
    message = EmailMessage()
    message["From"] = notice.sender
    message["To"] = notice.recipient
    message["Subject"] = " ".join(notice.subject.split())
    message["Date"] = notice.sent_at_rfc2822
    message["Message-ID"] = make_msgid(idstring=notice.key, domain="sentinela.invalid")
    message.set_content(notice.text)
    message.add_attachment(
        notice.document.encode("utf-8"),
        maintype="application",
        subtype="json",
        filename="notice.json",
    )
    return message


class NoticeTransport(ABC):
    """Delivers rendered notices. Subclasses set ``name`` (persisted with each notice)."""

    name: ClassVar[str]

    @abstractmethod
    def send(self, notice: OutgoingNotice, policy: NoticePolicy, outbox: Path) -> str:
        """Deliver ``notice``; return a delivery reference.

        Raises:
            NoticeDeliveryError: it could not be delivered (nothing is recorded as sent).
        """
