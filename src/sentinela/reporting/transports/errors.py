"""Transport errors."""

from __future__ import annotations

from sentinela.errors import SentinelaError


class NoticeDeliveryError(SentinelaError):
    """A notice could not be delivered; it is not recorded as sent and is tried again."""
