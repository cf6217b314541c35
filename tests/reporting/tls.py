"""An HTTPS "reported host" on 127.0.0.1 with a self-signed certificate made at run time."""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.reporting.helpers import _Handler, _Server, body


def _certificate(folder: Path) -> tuple[Path, Path, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "reported.test"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Hosting"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path, cert.subject.rfc4514_string()


@contextmanager
def tls_server() -> Iterator[tuple[str, str]]:
    """Yield the URL of ``/`` over HTTPS and the certificate's subject."""
    with tempfile.TemporaryDirectory() as folder:
        cert, key, subject = _certificate(Path(folder))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = _Server(("127.0.0.1", 0), _Handler)
        server.routes, server.hits = {"/": body(b"over tls", "text/plain")}, []
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.daemon = True
        thread.start()
        try:
            yield f"https://127.0.0.1:{server.server_address[1]}/", subject
        finally:
            server.shutdown()
            server.server_close()
