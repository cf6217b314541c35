"""Builders for the reporting tests: a "reported host" on 127.0.0.1, an SMTP sink, benign
images made by code, and runtimes whose fetch guard allows the loopback servers."""

from __future__ import annotations

import io
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
from PIL import Image

from sentinela.reporting.config import FetchPolicy, NoticePolicy, TakedownConfig
from sentinela.reporting.hosting import HostingTable
from sentinela.reporting.netguard import Resolver, system_resolver
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.settings import Settings

Handler = Callable[[BaseHTTPRequestHandler], None]
LOOPBACK = ("127.0.0.1/32",)


def png(seed: int, size: int = 96) -> bytes:
    """A benign PNG: a smooth gradient with a seeded pattern."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size]
    base = (x * rng.uniform(1, 3) + y * rng.uniform(1, 3)) % 256
    blocks = rng.integers(0, 256, (8, 8)).repeat(size // 8, 0).repeat(size // 8, 1)
    pixels = np.stack([base, blocks, (base + blocks) % 256], axis=-1).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, format="PNG")
    return out.getvalue()


def body(data: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Handler:
    """Answer ``status`` with ``data``."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.send_header("X-Test-Server", "reported-host")
        h.end_headers()
        h.wfile.write(data)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    """Answer a redirect to ``location``."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


def endless(claimed: int = 2 * 1024**3) -> Handler:
    """Claim ``claimed`` bytes (2 GiB) and stream zeros until the client hangs up."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/octet-stream")
        h.send_header("Content-Length", str(claimed))
        h.end_headers()
        chunk = b"\0" * 65536
        try:
            for _ in range(claimed // len(chunk)):
                h.wfile.write(chunk)
        except OSError:
            return

    return handle


def drip(interval_s: float = 0.2, total: int = 1000) -> Handler:
    """Send one byte every ``interval_s`` (a slow-drip server)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", str(total))
        h.end_headers()
        try:
            for _ in range(total):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(interval_s)
        except OSError:
            return

    return handle


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.hits.append(path)
        route = self.server.routes.get(path)
        if route is None:
            body(b"not found", "text/plain", 404)(self)
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Handler]
    hits: list[str]


@dataclass
class HostServer:
    """A reported host: routes by path; anything else answers 404."""

    server: _Server

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def routes(self) -> dict[str, Handler]:
        return self.server.routes

    @property
    def hits(self) -> list[str]:
        return self.server.hits


@contextmanager
def host_server() -> Iterator[HostServer]:
    """An HTTP server on 127.0.0.1 in a thread."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes, server.hits = {}, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield HostServer(server)
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpSink:
    """Messages received by the test SMTP server."""

    port: int
    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _SmtpServer

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        rcpts: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self._say("250 sink")
            elif verb.startswith("MAIL FROM"):
                rcpts = []
                self._say("250 ok")
            elif verb.startswith("RCPT TO"):
                rcpts.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.sink.messages.append(message_from_bytes(data, policy=policy.default))
                self.server.sink.recipients.append(rcpts)
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """A minimal SMTP server on 127.0.0.1 that keeps what it receives."""
    server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
    server.sink = SmtpSink(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server.sink
    finally:
        server.shutdown()
        server.server_close()


def loopback_config(**fetch: object) -> TakedownConfig:
    """A policy whose guard allows 127.0.0.1, with short limits."""
    options: dict[str, object] = {
        "allow_networks": LOOPBACK,
        "total_timeout_s": 10.0,
        "read_timeout_s": 5.0,
        "connect_timeout_s": 5.0,
        "max_bytes": 256 * 1024,
        "max_linked_bytes": 128 * 1024,
        "max_linked_images": 5,
        **fetch,
    }
    return TakedownConfig(fetch=FetchPolicy.model_validate(options))


def runtime(
    settings: Settings,
    config: TakedownConfig | None = None,
    *,
    resolver: Resolver = system_resolver,
    smtp_port: int | None = None,
    outbox: Path | None = None,
) -> TakedownRuntime:
    """A runtime over ``config`` with a hosting table that knows 127.0.0.1."""
    cfg = config or loopback_config()
    if smtp_port is not None:
        notices = NoticePolicy(transport="smtp", smtp_port=smtp_port, smtp_host="127.0.0.1")
        cfg = cfg.model_copy(update={"notices": notices})
    elif outbox is not None:
        cfg = cfg.model_copy(update={"notices": NoticePolicy(outbox_dir=outbox)})
    table = HostingTable.from_toml(hosting_toml(settings.data_dir.parent / "hosting.toml"))
    return TakedownRuntime.build(settings, cfg, resolver=resolver, hosting=table)


def hosting_toml(path: Path) -> Path:
    """A hosting table naming 127.0.0.0/8 as a Portuguese host with an escalation contact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[[network]]\ncidr = "127.0.0.0/8"\nhost = "Loopback Hosting"\n'
        'abuse = "abuse@loopback.test"\ncountry = "PT"\nescalation = "legal@loopback.test"\n'
        '[[network]]\ncidr = "203.0.113.0/24"\nhost = "Example Net"\n'
        'abuse = "abuse@example.test"\ncountry = "NL"\n',
        encoding="utf-8",
    )
    return path
