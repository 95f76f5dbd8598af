"""Read-only status links: a signed, expiring URL for one order that a partner can forward to
a colleague who has no account.

The token carries the order's id and its partner's id, signed with the app's secret key and
a salt of its own (so no other signed value of the app can pass for it) and stamped with the
moment it was made. It is not stored: it is valid while the signature holds and it is
younger than ``portal.status_link_days``; changing the secret key ends every link. Reading a
link goes back through ``PartnerScope`` of the partner in the token, so a link opens only
that partner's order, and stops working if the order no longer belongs to that partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

SALT = "shopfloor.portal.status-link"
# A token stamped a little in the future (clocks of two servers) is still accepted.
CLOCK_SKEW = timedelta(minutes=5)


class StatusLinkRefused(Exception):
    """The token is not a valid status link (tampered, mistyped, or of another kind)."""


class StatusLinkExpired(StatusLinkRefused):
    """The token was a valid status link, but it is older than its lifetime."""


@dataclass(frozen=True)
class StatusLink:
    """What a valid token says: which order of which partner, and when it stops working."""

    order_id: int
    partner_id: int
    issued_at: datetime
    expires_at: datetime


def lifetime() -> timedelta:
    """How long a status link stays valid (``portal.status_link_days``)."""
    return timedelta(days=current_app.config["SHOPFLOOR"]["portal.status_link_days"])


def _serializer(now: datetime | None = None) -> URLSafeTimedSerializer:
    signer = TimestampSigner
    if now is not None:
        stamp = int(now.timestamp())

        class _SignerAt(TimestampSigner):
            def get_timestamp(self) -> int:
                return stamp

        signer = _SignerAt
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=signer)


def issue_status_link(order, now: datetime) -> tuple[str, StatusLink]:
    """A new token for ``order`` made at ``now``, and what it grants."""
    token = _serializer(now).dumps({"o": order.id, "p": order.partner_id})
    issued = datetime.fromtimestamp(int(now.timestamp()), UTC)
    return token, StatusLink(order_id=order.id, partner_id=order.partner_id, issued_at=issued,
                             expires_at=issued + lifetime())


def read_status_link(token: str, now: datetime) -> StatusLink:
    """What a token grants at ``now``; StatusLinkExpired when it is too old,
    StatusLinkRefused when it is not a status link at all."""
    try:
        payload, issued = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        raise StatusLinkRefused(token) from None
    if (not isinstance(payload, dict) or not isinstance(payload.get("o"), int)
            or not isinstance(payload.get("p"), int)):
        raise StatusLinkRefused(token)
    link = StatusLink(order_id=payload["o"], partner_id=payload["p"], issued_at=issued,
                      expires_at=issued + lifetime())
    if issued > now + CLOCK_SKEW:
        raise StatusLinkRefused(token)
    if now >= link.expires_at:
        raise StatusLinkExpired(token)
    return link


def status_url(token: str) -> str:
    """The full address of a status link, as the QR codes' addresses are built:
    ``<public base URL>/status/<token>``."""
    return f"{current_app.config['SHOPFLOOR']['public_base_url']}/status/{token}"
