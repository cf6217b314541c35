"""Takedown settings: deadlines, the guarded fetcher's limits, notices and the public limiter.

They are read from ``<data_dir>/takedown.toml`` when it exists (see ``docs/reporting.md``),
else the defaults below apply. Why a file of its own rather than more ``SENTINELA_*``
variables: the deadlines per priority, the hosting table and the notice schedule are policy
that a unit reviews and versions as a document, not switches set per process.

The fetcher's ``allow_networks`` exists for tests only: their "reported hosts" are HTTP
servers on 127.0.0.1, which the guard refuses otherwise. In production mode any entry is
refused at load time.
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sentinela.db.reporting import PRIORITIES
from sentinela.errors import ConfigurationError
from sentinela.settings import Settings

CONFIG_FILE = "takedown.toml"
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class FetchPolicy(BaseModel):
    """Limits of the guarded fetcher (evidence capture and rechecks).

    Attributes:
        max_bytes: the most body bytes kept from the reported URL; more is cut and flagged.
        max_linked_bytes: the same for each image a reported page links to.
        max_linked_images: how many linked images one capture fetches at most.
        connect_timeout_s: to open one connection.
        read_timeout_s: the longest silence while reading.
        total_timeout_s: the whole capture, redirects and linked images included.
        max_redirects: hops followed before giving up.
        allow_networks: CIDR ranges allowed although private or loopback (tests only).
        user_agent: what the fetcher says it is.
    """

    model_config = _FROZEN

    max_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    max_linked_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_linked_images: int = Field(default=25, ge=0)
    connect_timeout_s: float = Field(default=10.0, gt=0)
    read_timeout_s: float = Field(default=20.0, gt=0)
    total_timeout_s: float = Field(default=120.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    allow_networks: tuple[str, ...] = ()
    user_agent: str = "Sentinela-Preservation/1.0"

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for net in value:
            ipaddress.ip_network(net, strict=False)
        return value


class NoticePolicy(BaseModel):
    """How notices are sent, and how often the worker comes back.

    Attributes:
        transport: ``outbox`` (files in ``outbox_dir``) or ``smtp``.
        outbox_dir: where the outbox transport writes; ``<data_dir>/takedown/outbox`` if unset.
        sender: the From address.
        smtp_host: the SMTP relay (``smtp`` transport).
        smtp_port: its port.
        recheck_every_hours: between two visits to a notified URL.
        resend_after_hours: a notice is sent again when the content is still up after this.
        escalate_after_notices: after this many notices, the next one is an escalation.
        reporter_name: who the notices say they come from.
    """

    model_config = _FROZEN

    transport: str = "outbox"
    outbox_dir: Path | None = None
    sender: str = "takedown@sentinela.invalid"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    recheck_every_hours: float = Field(default=24.0, gt=0)
    resend_after_hours: float = Field(default=48.0, gt=0)
    escalate_after_notices: int = Field(default=3, ge=1)
    reporter_name: str = "Sentinela national hotline (police)"


class PublicLimits(BaseModel):
    """The public form's rate limits, per client address (kept in memory only).

    Attributes:
        submissions: submissions allowed per window.
        status_checks: receipt look-ups allowed per window.
        window_s: the sliding window.
        max_urls: URLs accepted in one submission.
    """

    model_config = _FROZEN

    submissions: int = Field(default=5, ge=1)
    status_checks: int = Field(default=30, ge=1)
    window_s: int = Field(default=3600, ge=1)
    max_urls: int = Field(default=20, ge=1, le=200)


class PartnerLimits(BaseModel):
    """The partner API's rate limit, per partner key (kept in memory only).

    Attributes:
        requests: calls (reports and status checks together) allowed per key per window.
        window_s: the sliding window.
    """

    model_config = _FROZEN

    requests: int = Field(default=120, ge=1)
    window_s: int = Field(default=60, ge=1)


def _default_deadlines() -> dict[str, float]:
    return {"urgent": 4.0, "high": 24.0, "normal": 72.0, "low": 168.0}


class TakedownConfig(BaseModel):
    """The takedown policy.

    Attributes:
        decide_within_hours: the decision deadline per priority.
        remind_before_hours: a reminder goes out when this much time is left.
        escalate_before_hours: the decision is escalated when this much time is left.
        default_action: what applies when the deadline passes: ``take_down`` or ``hold``.
        default_hold_days: how long a default hold lasts.
        max_capture_attempts: captures tried (one per tick) before a report is left to an
            officer.
        preservation_remind_days: ISP requests get a reminder this long before the data expires.
        hosting_table: the offline IP -> host, abuse contact and country table (TOML).
        fetch: the guarded fetcher's limits.
        notices: transports and schedule.
        public: the public form's limits.
        partner: the partner API's limit per key.
    """

    model_config = _FROZEN

    decide_within_hours: dict[str, float] = Field(default_factory=_default_deadlines)
    remind_before_hours: float = Field(default=6.0, ge=0)
    escalate_before_hours: float = Field(default=1.0, ge=0)
    default_action: Literal["take_down", "hold"] = "take_down"
    default_hold_days: int = Field(default=30, ge=1)
    max_capture_attempts: int = Field(default=5, ge=1)
    preservation_remind_days: int = Field(default=14, ge=0)
    hosting_table: Path | None = None
    fetch: FetchPolicy = Field(default_factory=FetchPolicy)
    notices: NoticePolicy = Field(default_factory=NoticePolicy)
    public: PublicLimits = Field(default_factory=PublicLimits)
    partner: PartnerLimits = Field(default_factory=PartnerLimits)

    @field_validator("decide_within_hours")
    @classmethod
    def _every_priority(cls, value: dict[str, float]) -> dict[str, float]:
        missing = set(PRIORITIES) - set(value)
        unknown = set(value) - set(PRIORITIES)
        if missing or unknown:
            raise ValueError(f"deadlines must name exactly the priorities {', '.join(PRIORITIES)}")
        if any(hours <= 0 for hours in value.values()):
            raise ValueError("deadlines must be positive")
        return value

    def outbox(self, settings: Settings) -> Path:
        """The outbox folder."""
        return self.notices.outbox_dir or settings.data_dir / "takedown" / "outbox"


def check_for_mode(config: TakedownConfig, settings: Settings) -> TakedownConfig:
    """Refuse a fetch allow-list outside development mode.

    Raises:
        ConfigurationError: ``fetch.allow_networks`` is set in production mode.
    """
    if config.fetch.allow_networks and settings.mode != "development":
        raise ConfigurationError(
            "takedown fetch.allow_networks opens private and loopback ranges; it is for "
            "tests and development only"
        )
    return config


def load_takedown_config(settings: Settings, path: Path | None = None) -> TakedownConfig:
    """Read the takedown policy (``<data_dir>/takedown.toml`` unless ``path`` is given).

    Raises:
        ConfigurationError: the file is unreadable, malformed or unsafe for the mode.
    """
    file = path or settings.data_dir / CONFIG_FILE
    if not file.exists():
        if path is not None:
            raise ConfigurationError(f"takedown config {file} does not exist")
        return check_for_mode(TakedownConfig(), settings)
    try:
        with file.open("rb") as fh:
            raw = tomllib.load(fh)
        config = TakedownConfig.model_validate(raw.get("takedown", raw))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"takedown config {file}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "takedown"
        raise ConfigurationError(f"takedown config {file}: {loc}: {first['msg']}") from None
    return check_for_mode(config, settings)
