"""Webhook endpoints (add, disable, enable, rotate the secret), the outbox of deliveries, and
sending a delivery again.

``enqueue_deliveries`` only adds rows to the session: the service that made the change
commits them with it, so an event is queued exactly when the change it reports is saved (an
outbox). ``shopfloor.webhooks.delivery.deliver_webhooks`` posts them later.

The signing secret is never stored: it is HMAC-SHA256 of the application's secret key and
the endpoint's salt, so it can be shown once when made and replaced by rotating the salt.
Changing ``secret_key`` therefore changes every endpoint's secret as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from shopfloor.audit.services import write_audit
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.webhooks.addresses import URL_MAX, UrlProblem, allowed_hosts, check_target
from shopfloor.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

SECRET_PREFIX = "whsec_"  # noqa: S105 - not a secret: makes a leaked one recognisable
ENDPOINTS_PER_PARTNER = 10
DESCRIPTION_MAX = 120
EVENT_ID_MAX = 36
# Delivered deliveries are kept this long for the partner's log, then the clean-up drops them.
KEEP_DELIVERED_DAYS = 30
DISABLED_ERROR = "endpoint disabled"


def signing_secret(endpoint: WebhookEndpoint) -> str:
    """The endpoint's current signing secret, derived from the app's key and its salt."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    message = f"webhook:{endpoint.secret_salt}".encode()
    return SECRET_PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()


def _json_default(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go into a webhook payload")


def payload_body(event: str, event_id: str, occurred_at: datetime, data: dict) -> str:
    """The JSON body sent for an event: compact, keys sorted, UTF-8 text."""
    envelope = {"id": event_id, "type": event,
                "created_at": occurred_at.astimezone(UTC).isoformat(timespec="seconds"),
                "data": data}
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


def enqueue_deliveries(event: str, partner_id: int, data: dict, *, event_id: str,
                       occurred_at: datetime) -> int:
    """Queue ``event`` for every active endpoint of the partner that subscribed to it.

    Does not commit: the caller's transaction does. An endpoint that already has this
    ``event_id`` (a caller run twice) gets no second copy. Returns how many were queued.
    ``data`` may hold dates, datetimes (sent in UTC) and Decimals (sent as strings).
    """
    event = WebhookEvent(event).value  # ValueError for an event partners cannot subscribe to
    if not event_id or len(event_id) > EVENT_ID_MAX:
        raise ValueError(f"event_id must be 1 to {EVENT_ID_MAX} characters")
    endpoints = [e for e in db.session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.partner_id == partner_id,
                                      WebhookEndpoint.disabled_at.is_(None))
        .order_by(WebhookEndpoint.id)) if event in e.event_list]
    if not endpoints:
        return 0
    already = set(db.session.scalars(select(WebhookDelivery.endpoint_id).where(
        WebhookDelivery.event_id == event_id,
        WebhookDelivery.endpoint_id.in_([e.id for e in endpoints]))))
    body = payload_body(event, event_id, occurred_at, data)
    now = utcnow()
    queued = 0
    for endpoint in endpoints:
        if endpoint.id in already:
            continue
        db.session.add(WebhookDelivery(
            endpoint_id=endpoint.id, event=event, event_id=event_id, payload=body,
            status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=now,
            created_at=now))
        queued += 1
    return queued


# ------------------------------------------------------------------ endpoints

URL_MESSAGES = {
    "scheme": _l("Use an address that starts with https://: webhooks are sent only over an "
                 "encrypted connection."),
    "malformed": _l("This is not a web address. Write it in full, for example "
                    "https://example.com/shopfloor-webhooks."),
    "credentials": _l("Leave the user name and password out of the address: every request "
                      "is signed instead."),
    "too_long": _l("Use at most %(n)s characters.", n=URL_MAX),
}


def allowed_private_hosts() -> frozenset[str]:
    """The hosts exempt from the private-address rule (``webhooks.allowed_private_hosts``)."""
    return allowed_hosts(current_app.config["SHOPFLOOR"]["webhooks.allowed_private_hosts"])


def check_url(url: str) -> str:
    """The address, trimmed, if webhooks may be sent to it; a DomainError on ``url`` if not."""
    url = (url or "").strip()
    if not url:
        raise DomainError(_l("Enter the address of your system that will receive the "
                             "webhooks."), field="url")
    try:
        check_target(url, allowed_private_hosts())
    except UrlProblem as problem:
        if problem.code == "host_not_found":
            message = _l("The host %(host)s cannot be found. Check the address.",
                         host=problem.host)
        elif problem.code == "private":
            message = _l("The address %(host)s leads to a private or local network "
                         "(%(address)s), where Shopfloor does not send webhooks. Use a "
                         "public address.", host=problem.host, address=problem.address)
        else:
            message = URL_MESSAGES[problem.code]
        raise DomainError(message, field="url") from None
    return url


def _events(events: Iterable[str]) -> str:
    chosen = {str(e) for e in events or ()}
    known = [e.value for e in WebhookEvent]
    if not chosen or not chosen <= set(known):
        raise DomainError(_l("Choose at least one event from the list."), field="events")
    return " ".join(e for e in known if e in chosen)


def _description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=DESCRIPTION_MAX),
                          field="description")
    return description


def _check_room(partner_id: int) -> None:
    active = db.session.scalar(select(func.count(WebhookEndpoint.id)).where(
        WebhookEndpoint.partner_id == partner_id, WebhookEndpoint.disabled_at.is_(None)))
    if active >= ENDPOINTS_PER_PARTNER:
        raise DomainError(_l("A firm may have %(n)s active endpoints at most: disable one "
                             "you no longer use.", n=ENDPOINTS_PER_PARTNER), field="url")


class EndpointSecret(NamedTuple):
    """An endpoint and its signing secret, shown to the partner this once (unpacks as
    ``endpoint, secret``)."""

    endpoint: WebhookEndpoint
    secret: str


def create_endpoint(partner, url: str, description: str, events: Iterable[str],
                    user) -> EndpointSecret:
    """Add an endpoint for the partner; returns it with its signing secret."""
    values = {"url": check_url(url), "description": _description(description),
              "events": _events(events)}
    _check_room(partner.id)
    endpoint = WebhookEndpoint(partner_id=partner.id, secret_salt=secrets.token_hex(16),
                               created_by_id=getattr(user, "id", None), **values)
    db.session.add(endpoint)
    write_audit(endpoint, "created", user)
    db.session.commit()
    return EndpointSecret(endpoint, signing_secret(endpoint))


def rotate_secret(endpoint: WebhookEndpoint, user) -> EndpointSecret:
    """Give the endpoint a new signing secret; the old one stops working at once."""
    endpoint.secret_salt = secrets.token_hex(16)
    write_audit(endpoint, "secret_rotated", user)
    db.session.commit()
    return EndpointSecret(endpoint, signing_secret(endpoint))


def _fail_pending(endpoint: WebhookEndpoint) -> int:
    """Mark the endpoint's waiting deliveries failed: nothing is sent while it is disabled,
    and the log shows which events did not arrive (each can be sent again once enabled)."""
    waiting = list(db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id,
        WebhookDelivery.status == DeliveryStatus.PENDING.value)))
    for delivery in waiting:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.last_error = DISABLED_ERROR
    return len(waiting)


def disable_endpoint(endpoint: WebhookEndpoint, user, now: datetime | None = None
                     ) -> WebhookEndpoint:
    """Stop sending to the endpoint; its waiting deliveries are marked failed."""
    if endpoint.disabled_at is None:
        endpoint.disabled_at = now or utcnow()
        _fail_pending(endpoint)
        write_audit(endpoint, "status", user, from_status="active", to_status="disabled")
        db.session.commit()
    return endpoint


def enable_endpoint(endpoint: WebhookEndpoint, user) -> WebhookEndpoint:
    """Send to the endpoint again (new events only; older ones can be sent again by hand)."""
    if endpoint.disabled_at is not None:
        _check_room(endpoint.partner_id)
        endpoint.disabled_at = None
        write_audit(endpoint, "status", user, from_status="disabled", to_status="active")
        db.session.commit()
    return endpoint


def resend_delivery(delivery: WebhookDelivery, user) -> WebhookDelivery:
    """Queue the same event again for the same endpoint: a new delivery with the same
    ``event_id`` and body (so the receiver can tell it is a repeat), due now."""
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise DomainError(_l("This endpoint is disabled: enable it first, then send the "
                             "event again."))
    now = utcnow()
    copy = WebhookDelivery(endpoint_id=endpoint.id, event=delivery.event,
                           event_id=delivery.event_id, payload=delivery.payload,
                           status=DeliveryStatus.PENDING.value, attempts=0,
                           next_attempt_at=now, created_at=now, resend_of_id=delivery.id)
    db.session.add(copy)
    write_audit(copy, "created", user, changes={"resend_of_id": (None, delivery.id)})
    db.session.commit()
    return copy


def delete_old_deliveries(now: datetime) -> int:
    """Delete deliveries delivered more than ``KEEP_DELIVERED_DAYS`` ago (does not commit;
    failed and pending ones stay for the partner to see and send again)."""
    cutoff = now - timedelta(days=KEEP_DELIVERED_DAYS)
    return db.session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.DELIVERED.value,
                                      WebhookDelivery.delivered_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
