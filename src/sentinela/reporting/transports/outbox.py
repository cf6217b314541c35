"""The default transport: each notice becomes files in an outbox folder.

``<outbox>/<key>.eml`` is the complete e-mail (text and JSON attachment) and
``<outbox>/<key>.json`` the JSON document alone; both mode 0600 in a 0700 folder. A person,
or the unit's own mail system, sends them on. Nothing leaves the machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from sentinela.reporting.config import NoticePolicy
from sentinela.reporting.transports.base import NoticeTransport, OutgoingNotice, to_email
from sentinela.reporting.transports.errors import NoticeDeliveryError


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


class OutboxTransport(NoticeTransport):
    """Writes notices to the outbox folder."""

    name: ClassVar[str] = "outbox"

    def send(self, notice: OutgoingNotice, policy: NoticePolicy, outbox: Path) -> str:
        try:
            outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write(outbox / f"{notice.key}.eml", to_email(notice).as_bytes())
            _write(outbox / f"{notice.key}.json", notice.document.encode("utf-8"))
        except OSError as exc:
            raise NoticeDeliveryError(f"cannot write {notice.key} to {outbox}: {exc}") from None
        return f"{notice.key}.eml"
