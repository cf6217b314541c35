"""Contract every notice transport keeps, and proof that every transport module is registered."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import ClassVar

import pytest

import sentinela.reporting.transports as transports_package
from sentinela.errors import DuplicateNameError
from sentinela.registry import Registry
from sentinela.reporting.config import NoticePolicy
from sentinela.reporting.transports import (
    NoticeDeliveryError,
    NoticeTransport,
    OutgoingNotice,
    build_transport_registry,
)
from sentinela.reporting.transports.outbox import OutboxTransport
from tests.reporting.helpers import SmtpSink, smtp_sink

NOTICE = OutgoingNotice(
    key="notice-1",
    sender="unit@sentinela.invalid",
    recipient="abuse@host.test",
    subject="Notice of illegal content [TD-1]",
    text="Please remove http://host.test/1\n",
    document=json.dumps({"format": "sentinela.takedown_notice", "items": [{"reference": "TD-1"}]}),
    sent_at_rfc2822="Sun, 01 Mar 2026 12:00:00 +0000",
)


class TransportContract:
    """Checks every transport must pass. Subclasses name the transport and provide
    ``delivered`` (the messages it delivered, parsed) and ``notice_policy``."""

    transport_name: ClassVar[str]

    @pytest.fixture
    def transport(self) -> NoticeTransport:
        return build_transport_registry().get(self.transport_name)

    def delivered(self, outbox: Path) -> list[bytes]:
        raise NotImplementedError

    def test_delivers_text_and_json(
        self, transport: NoticeTransport, notice_policy: NoticePolicy, tmp_path: Path
    ) -> None:
        ref = transport.send(NOTICE, notice_policy, tmp_path / "outbox")
        assert ref
        [raw] = self.delivered(tmp_path / "outbox")
        message = message_from_bytes(raw, policy=policy.default)
        assert message["To"] == "abuse@host.test"
        assert message["Subject"] == NOTICE.subject
        assert "http://host.test/1" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        attachments = [p for p in message.iter_attachments() if p.get_filename() == "notice.json"]
        assert json.loads(attachments[0].get_content())["items"][0]["reference"] == "TD-1"


class TestOutboxTransport(TransportContract):
    transport_name = "outbox"

    @pytest.fixture
    def notice_policy(self) -> NoticePolicy:
        return NoticePolicy()

    def delivered(self, outbox: Path) -> list[bytes]:
        files = sorted(outbox.glob("*.eml"))
        assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
        return [f.read_bytes() for f in files]

    def test_refuses_to_overwrite(self, tmp_path: Path) -> None:
        OutboxTransport().send(NOTICE, NoticePolicy(), tmp_path)
        with pytest.raises(NoticeDeliveryError):
            OutboxTransport().send(NOTICE, NoticePolicy(), tmp_path)


class TestSmtpTransport(TransportContract):
    transport_name = "smtp"

    @pytest.fixture
    def sink(self) -> Iterator[SmtpSink]:
        with smtp_sink() as sink:
            yield sink

    @pytest.fixture
    def notice_policy(self, sink: SmtpSink) -> NoticePolicy:
        self._sink = sink
        return NoticePolicy(transport="smtp", smtp_port=sink.port)

    def delivered(self, outbox: Path) -> list[bytes]:
        assert not outbox.exists()
        return [m.as_bytes() for m in self._sink.messages]

    def test_an_unreachable_relay_is_a_delivery_error(self, tmp_path: Path) -> None:
        with smtp_sink() as sink:
            port = sink.port
        with pytest.raises(NoticeDeliveryError):
            build_transport_registry().get("smtp").send(
                NOTICE, NoticePolicy(transport="smtp", smtp_port=port), tmp_path
            )


def test_every_transport_module_is_registered() -> None:
    registry = build_transport_registry()
    registered = {type(t) for t in registry}
    for info in pkgutil.iter_modules(transports_package.__path__):
        module = importlib.import_module(f"{transports_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, NoticeTransport) and cls is not NoticeTransport:
                assert cls in registered, f"{cls.__name__} is not in build_transport_registry()"
    assert registry.names() == ["outbox", "smtp"]


def test_registry_refuses_duplicates() -> None:
    registry: Registry[NoticeTransport] = build_transport_registry()
    with pytest.raises(DuplicateNameError):
        registry.register(OutboxTransport())
