"""Send notices through an SMTP relay (a local test server in the tests)."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import ClassVar

from sentinela.reporting.config import NoticePolicy
from sentinela.reporting.transports.base import NoticeTransport, OutgoingNotice, to_email
from sentinela.reporting.transports.errors import NoticeDeliveryError

SMTP_TIMEOUT_S = 30.0


class SmtpTransport(NoticeTransport):
    """Hands each notice to the relay at ``policy.smtp_host:policy.smtp_port``."""

    name: ClassVar[str] = "smtp"

    def send(self, notice: OutgoingNotice, policy: NoticePolicy, outbox: Path) -> str:
        message = to_email(notice)
        try:
            with smtplib.SMTP(policy.smtp_host, policy.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
                refused = smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise NoticeDeliveryError(f"SMTP delivery of {notice.key} failed: {exc}") from None
        if refused:
            raise NoticeDeliveryError(f"SMTP relay refused {', '.join(refused)}")
        return str(message["Message-ID"])
