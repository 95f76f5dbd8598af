"""Webhook fixtures: real HTTPS receivers on 127.0.0.1 (certificates from a test CA made by
trustme), settings that trust that CA and allow 127.0.0.1, and the portal's partner fixtures."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from tests.portal.conftest import (  # noqa: F401 - fixtures shared with the portal's tests
    make_partner_user,
    sign_in_as,
    two_partners,
)


@dataclass
class Received:
    """One request a receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """An HTTPS server in a thread that records every POST and answers the statuses in
    ``answers`` in turn (200 once they are used up)."""

    def __init__(self, certificate: trustme.LeafCert):
        self.received: list[Received] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(context)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hooks") -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    """The certificate authority the tests' Shopfloor trusts."""
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(test_ca, tmp_path_factory) -> str:
    """The test CA as a PEM file, for ``webhooks.ca_file``."""
    path = tmp_path_factory.mktemp("webhook-ca") / "ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def configure(app, monkeypatch):
    """configure({"webhooks.max_attempts": 2}): change settings for this test only."""

    def apply(values: dict) -> None:
        current = app.config["SHOPFLOOR"]
        monkeypatch.setitem(app.config, "SHOPFLOOR",
                            replace(current, values={**current.values, **values}))

    return apply


@pytest.fixture(autouse=True)
def webhook_settings(configure, ca_file):
    """Trust the test CA and let webhooks reach 127.0.0.1, where the receivers listen."""
    configure({"webhooks.ca_file": ca_file, "webhooks.allowed_private_hosts": "127.0.0.1"})


@pytest.fixture
def receiver(test_ca):
    """A receiver whose certificate Shopfloor trusts."""
    server = Receiver(test_ca.issue_cert("127.0.0.1"))
    yield server
    server.close()


@pytest.fixture
def untrusted_receiver():
    """A receiver whose certificate comes from a CA Shopfloor does not know."""
    server = Receiver(trustme.CA().issue_cert("127.0.0.1"))
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(5)
        yield sock.getsockname()[1]
