"""Signing webhook bodies, and checking a signature the way a partner's receiver should.

The ``Shopfloor-Signature`` header reads ``t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
HMAC-SHA256, keyed with the endpoint's signing secret, of the timestamp, a full stop and the
raw request body: ``f"{t}.".encode() + body``. Signing the timestamp with the body lets a
receiver refuse a captured request replayed later. Pure functions, no Flask: a partner may
copy ``verify`` as it is.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` keyed with ``secret``."""
    message = f"{int(timestamp)}.".encode("ascii") + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Shopfloor-Signature`` header value for ``body`` sent at ``timestamp``."""
    return f"t={int(timestamp)},{SIGNATURE_VERSION}={signature(secret, timestamp, body)}"


def parse_header(header: str) -> tuple[int | None, list[str]]:
    """The timestamp and the v1 signatures in a header (None and [] for what is missing).

    Unknown parts are ignored, so a later signature scheme can be added beside v1."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        name, _sep, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif name == SIGNATURE_VERSION and value:
            signatures.append(value)
    return timestamp, signatures


def verify(secret: str, header: str, body: bytes, now: datetime | float,
           tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS) -> bool:
    """Whether ``header`` is a valid signature of ``body`` made within ``tolerance_seconds``
    of ``now`` (a datetime or unix seconds). Compares in constant time; a request signed
    too long ago (a replay) or too far in the future is refused."""
    timestamp, signatures = parse_header(header)
    if timestamp is None or not signatures:
        return False
    current = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body).encode("ascii")
    # Check every v1 value without stopping early, so the time taken tells nothing. Bytes:
    # compare_digest refuses str with characters outside ASCII.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate.encode("utf-8", "replace"))
    return matched
