"""The registry of notice transports: one module, one class per way of sending.

Built-in transports are listed in :func:`build_transport_registry`; importing this package
registers nothing. ``tests/contracts/test_notice_transports.py`` fails if a transport module
in this folder is missing from the list. Names are persisted with each notice: never rename.
"""

from __future__ import annotations

from sentinela.registry import Registry
from sentinela.reporting.transports.base import NoticeTransport, OutgoingNotice
from sentinela.reporting.transports.errors import NoticeDeliveryError
from sentinela.reporting.transports.outbox import OutboxTransport
from sentinela.reporting.transports.smtp import SmtpTransport

__all__ = [
    "NoticeDeliveryError",
    "NoticeTransport",
    "OutgoingNotice",
    "build_transport_registry",
]


def build_transport_registry() -> Registry[NoticeTransport]:
    """A registry holding one instance of each built-in transport."""
    registry: Registry[NoticeTransport] = Registry("notice transport")
    for transport in (OutboxTransport(), SmtpTransport()):
        registry.register(transport)
    return registry
