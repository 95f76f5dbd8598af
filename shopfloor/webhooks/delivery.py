"""The webhooks job: post the deliveries that are due, signed, and retry what fails.

Each delivery is one HTTPS POST of the stored body, signed with the endpoint's current
secret and the time of that attempt. A 2xx answer delivers it; anything else (another
status, a redirect, which is never followed, a network or TLS error, an address that now
leads into a private network) counts an attempt, records a short reason and waits longer
each time (``notifications.services.backoff``) until ``webhooks.max_attempts``, when it
fails for good and the partner can send it again. At-least-once: a receiver that answers
after our timeout, or a crash before the commit, means the same event comes again, with the
same ``Shopfloor-Event-Id``.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from shopfloor.database import utcnow
from shopfloor.extensions import db
from shopfloor.notifications.services import backoff
from shopfloor.webhooks.addresses import Target, UrlProblem, allowed_hosts, check_target
from shopfloor.webhooks.models import DeliveryStatus, WebhookDelivery
from shopfloor.webhooks.services import DISABLED_ERROR, signing_secret
from shopfloor.webhooks.signing import sign

USER_AGENT = "Shopfloor-Webhooks/1"
# Deliveries handled per run: a backlog is worked off over several short runs.
BATCH = 100
# The receiver's answer is read this far and dropped: only its status counts.
READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class DeliverySettings:
    """The ``webhooks.*`` configuration keys."""

    timeout: int
    max_attempts: int
    ca_file: str
    allowed: frozenset[str]

    @classmethod
    def from_config(cls) -> DeliverySettings:
        """Read the ``webhooks.*`` keys of the running app."""
        s = current_app.config["SHOPFLOOR"]
        return cls(timeout=s["webhooks.timeout_seconds"], max_attempts=s["webhooks.max_attempts"],
                   ca_file=s["webhooks.ca_file"],
                   allowed=allowed_hosts(s["webhooks.allowed_private_hosts"]))

    @property
    def hold(self) -> timedelta:
        """How long a run keeps a delivery to itself; longer than any one attempt takes."""
        return timedelta(seconds=max(300, 6 * self.timeout))


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificates and host names verified against the system's CAs, plus ``ca_file``."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class _PinnedConnection(http.client.HTTPSConnection):
    """Connects only to the addresses that were checked, while TLS (SNI, the certificate's
    name) and the Host header use the host name of the URL."""

    def __init__(self, target: Target, timeout: int, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._addresses = target.addresses

    def connect(self):
        """Open the TCP connection to the first checked address that answers, then TLS."""
        error: OSError | None = None
        for address in self._addresses:
            try:
                sock = socket.create_connection((address, self.port), self.timeout)
                break
            except OSError as exc:
                error = exc
        else:
            raise error or OSError("no address to connect to")
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def describe_error(exc: BaseException) -> str:
    """A short, readable reason for a failed attempt, for the partner's delivery log."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or exc.reason or ""
        return "TLS certificate not trusted" + (f": {detail}" if detail else "")
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
        return "connection closed by the receiver"
    if isinstance(exc, http.client.HTTPException):
        return f"invalid HTTP answer: {type(exc).__name__}"
    if isinstance(exc, OSError):
        return f"network error: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the HTTP status, if any, and the error (None: delivered)."""

    status: int | None
    error: str | None


def post(target: Target, headers: dict[str, str], body: bytes, timeout: int,
         context: ssl.SSLContext) -> Outcome:
    """POST ``body`` to ``target`` once; redirects are not followed."""
    connection = _PinnedConnection(target, timeout, context)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(READ_LIMIT)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, describe_error(exc))
    finally:
        connection.close()
    if 200 <= status < 300:
        return Outcome(status, None)
    if 300 <= status < 400:
        return Outcome(status, f"HTTP {status}: redirects are not followed")
    return Outcome(status, f"HTTP {status}")


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, timestamp: int
                ) -> dict[str, str]:
    """The request headers of one attempt, the signature made at ``timestamp``."""
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
            "Shopfloor-Event": delivery.event, "Shopfloor-Event-Id": delivery.event_id,
            "Shopfloor-Delivery": str(delivery.id),
            "Shopfloor-Signature": sign(secret, timestamp, body)}


def _claim(delivery_id: int, now: datetime, hold: timedelta) -> bool:
    """Take a due delivery for this run (another run at the same time then skips it); if
    the process dies while sending, it is due again after ``hold``."""
    taken = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id,
               WebhookDelivery.status == DeliveryStatus.PENDING.value,
               WebhookDelivery.next_attempt_at <= now)
        .values(next_attempt_at=now + hold)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def _attempt(delivery: WebhookDelivery, now: datetime, settings: DeliverySettings,
             context: ssl.SSLContext) -> Outcome:
    body = delivery.payload.encode("utf-8")
    try:
        target = check_target(delivery.endpoint.url, settings.allowed)
    except UrlProblem as problem:
        return Outcome(None, problem.describe())
    # The time of sending, not the run's ``now``: the receiver compares it with its clock.
    timestamp = int(utcnow().timestamp())
    headers = headers_for(delivery, signing_secret(delivery.endpoint), body, timestamp)
    return post(target, headers, body, settings.timeout, context)


def _record(delivery: WebhookDelivery, outcome: Outcome, now: datetime,
            max_attempts: int) -> str:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = outcome.status
    delivery.last_error = outcome.error[:2000] if outcome.error else None
    if outcome.error is None:
        delivery.status = DeliveryStatus.DELIVERED.value
        delivery.delivered_at = now
        return "delivered"
    if delivery.attempts >= max_attempts:
        delivery.status = DeliveryStatus.FAILED.value
        return "given_up"
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    return "retry"


def deliver_webhooks(now: datetime | None = None) -> str:
    """Job: post the webhook deliveries that are due; returns a one-line summary.

    Committed one delivery at a time, so a slow or broken endpoint holds back no other.
    A delivery whose endpoint has been disabled is not sent but marked failed.
    """
    now = now or utcnow()
    settings = DeliverySettings.from_config()
    due = list(db.session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING.value,
               WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)))
    if not due:
        return "No webhook due."
    context = tls_context(settings.ca_file)
    counts: Counter[str] = Counter()
    for delivery_id in due:
        if not _claim(delivery_id, now, settings.hold):
            counts["taken"] += 1  # a run started by hand got to it first
            continue
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if not delivery.endpoint.active:
            delivery.status = DeliveryStatus.FAILED.value
            delivery.last_error = DISABLED_ERROR
            counts["disabled"] += 1
        else:
            outcome = _attempt(delivery, now, settings, context)
            result = _record(delivery, outcome, now, settings.max_attempts)
            counts[result] += 1
            if outcome.error:
                current_app.logger.info("Webhook delivery %s to %s failed: %s", delivery.id,
                                        delivery.endpoint.url, outcome.error)
        db.session.commit()
    summary = (f"Delivered {counts['delivered']} webhook(s), "
               f"{counts['retry'] + counts['given_up']} failed")
    if counts["given_up"]:
        summary += f" ({counts['given_up']} after the last attempt)"
    if counts["disabled"]:
        summary += f", {counts['disabled']} not sent (endpoint disabled)"
    if counts["taken"]:
        summary += f", {counts['taken']} sent by another run"
    return summary + "."
