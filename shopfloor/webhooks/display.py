"""How webhook events, statuses and delivery errors read on the partner's pages."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l

from shopfloor.webhooks.models import DeliveryStatus, WebhookEvent

EVENT_NAMES = {
    WebhookEvent.ORDER_STATUS_CHANGED.value: _l("An order's status changed"),
    WebhookEvent.ORDER_AT_RISK.value: _l("An order may be late"),
    WebhookEvent.SHIPMENT_CREATED.value: _l("A shipment was sent"),
    WebhookEvent.RETURN_ITEM_NEEDS_DECISION.value: _l("A returned item needs your decision"),
    WebhookEvent.RECALL_ISSUED.value: _l("Goods you received are recalled"),
}

DELIVERY_STATUS_NAMES = {
    DeliveryStatus.PENDING.value: _l("Waiting"),
    DeliveryStatus.DELIVERED.value: _l("Delivered"),
    DeliveryStatus.FAILED.value: _l("Failed"),
}
# The badge colours the office stylesheet already has (green, amber, red).
DELIVERY_STATUS_CLASSES = {
    DeliveryStatus.PENDING.value: "awaiting_qc",
    DeliveryStatus.DELIVERED.value: "done",
    DeliveryStatus.FAILED.value: "rejected",
}

# The delivery job stores its reasons in English (the log is written once, read in either
# language); the part before ": " is one of these, the rest is technical detail.
ERROR_TEXTS = {
    "connection refused": _l("Your server refused the connection"),
    "timed out": _l("Your server did not answer in time"),
    "TLS certificate not trusted": _l("Your server's certificate is not trusted"),
    "TLS error": _l("The encrypted connection failed"),
    "host name not found": _l("The host name cannot be found"),
    "address refused": _l("Not sent to a private or local network address"),
    "connection closed by the receiver": _l("Your server closed the connection"),
    "invalid HTTP answer": _l("Your server's answer is not valid HTTP"),
    "network error": _l("Network error"),
    "endpoint disabled": _l("Not sent: the endpoint was disabled"),
}


def error_text(message: str | None) -> str:
    """A delivery's stored error in the reader's language, technical detail kept."""
    if not message:
        return ""
    head, sep, detail = message.partition(": ")
    if head.startswith("HTTP ") and detail == "redirects are not followed":
        return f"{head}: " + str(_l("redirects are not followed"))
    known = ERROR_TEXTS.get(head)
    if known is None:
        return message
    return f"{known}{sep}{detail}" if detail else str(known)


def pretty_payload(payload: str) -> str:
    """The body as sent, indented for reading (unchanged when it is not JSON)."""
    try:
        return json.dumps(json.loads(payload), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        return payload
