"""GET /api/v1/docs: the API reference for partners' developers, rendered on the server from
the app's own OpenAPI document (no JavaScript, nothing from another site). Public, like the
document itself: it describes the API, it shows no data."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from shopfloor.api.reference_model import build_reference, schema_anchor
from shopfloor.auth.access import PUBLIC, require_role

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")

WEBHOOK_EVENTS = (
    ("order.status_changed", "An order moved to another status."),
    ("order.at_risk", "The forecast says an order line may miss its due date."),
    ("shipment.created", "A shipment for one of your orders was recorded."),
    ("return_item.needs_decision", "A returned item waits for your decision."),
    ("recall.issued", "Batches you received are recalled: stop selling them."),
)

# Shown on the page as it is, and executed by a test, so the example cannot drift from the
# signature scheme.
VERIFY_SNIPPET = '''\
import hashlib
import hmac
import time


def verify_shopfloor_signature(secret: str, header: str, body: bytes,
                               tolerance_seconds: int = 300) -> bool:
    """True when the Shopfloor-Signature header was made with this secret over
    this exact body, recently enough."""
    timestamp, signatures = "", []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            timestamp = value
        elif name == "v1":
            signatures.append(value)
    if not (timestamp.isascii() and timestamp.isdigit()) or not signatures:
        return False
    if abs(time.time() - int(timestamp)) > tolerance_seconds:
        return False  # too old (a replay) or from the future
    signed = timestamp.encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256)
    expected = digest.hexdigest().encode()
    return any(hmac.compare_digest(expected, s.encode()) for s in signatures)
'''

PAYLOAD_EXAMPLE = '''\
{
  "id": "3f0c2b9e-5d1a-4e7b-9a55-0c1d2e3f4a5b",
  "type": "order.status_changed",
  "created_at": "2026-11-27T09:30:00+00:00",
  "data": { ... }
}'''

ERROR_EXAMPLE = '''\
{
  "error": {
    "code": 422,
    "title": "The request could not be handled",
    "message": "Something in the request was not right.",
    "errors": {"query": {"status": ["Must be one of: draft, confirmed, ..."]}}
  }
}'''


@bp.get("/docs")
@require_role(PUBLIC)
def reference():
    """The API reference page: how to connect, then every operation and schema."""
    from shopfloor.api import api

    settings = current_app.config["SHOPFLOOR"]
    return render_template(
        "api/reference.html", ref=build_reference(api.spec.to_dict()),
        base_url=settings["public_base_url"] + "/api/v1",
        rate_limit=settings["api.rate_limit_per_minute"], events=WEBHOOK_EVENTS,
        webhook_timeout=settings.values.get("webhooks.timeout_seconds"),
        verify_snippet=VERIFY_SNIPPET, payload_example=PAYLOAD_EXAMPLE,
        error_example=ERROR_EXAMPLE, schema_anchor=schema_anchor)
