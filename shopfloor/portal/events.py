"""Partner events: the one place where "something happened to a partner's order" is published.

``publish`` gives the event one id and fans it out, inside the caller's transaction (an
outbox: the event is stored exactly when the change it reports is committed, and not at all
when that change rolls back), to

- the webhook deliveries of the partner's endpoints that subscribe to it
  (``shopfloor.webhooks.services.enqueue_deliveries``), and
- one e-mail to each of the partner's portal people who asked for it
  (``shopfloor.portal.notify``).

The ``data`` of each event has a stable JSON shape, built here (dates as ISO 8601 strings,
quantities as decimal strings; ``url`` is a path of the JSON API, as in the API's own
answers, and every other ``*_url`` an absolute address on ``public_base_url``):

``order.status_changed``::

    {"order": {"id": 17, "code": "Z7K4M2XQ", "partner_reference": "PO-2026/114",
               "status": "in_production", "previous_status": "confirmed",
               "earliest_due": "2026-12-11", "url": "/api/v1/orders/17",
               "portal_url": "https://coop.example/portal/orders/17"}}

``order.at_risk`` (``risk``: ``at_risk`` = may be late, ``late`` = expected after its due
date; ``expected_on`` null when not within the planning horizon; ``due_date`` the due date
of the order line behind the alert)::

    {"order": {...as above without previous_status..., "risk": "late",
               "expected_on": "2026-12-14", "due_date": "2026-12-11"}}

``shipment.created``::

    {"shipment": {"id": 5, "number": "WZ/2026/0005", "shipped_on": "2026-12-02",
                  "order": {"id": 17, "code": "Z7K4M2XQ", "partner_reference": "PO-2026/114"},
                  "lines": [{"line_no": 1, "product_code": "MYD-LAW-100",
                             "product_name": "Lavender soap 100 g", "unit": "pcs",
                             "quantity": "40"}],
                  "delivery_note_url": "https://coop.example/portal/shipments/5/wz.pdf"}}

``return_item.needs_decision`` (the partner is asked "repair or write off?"; ``answers``
are the values the decision takes, ``photos`` absolute addresses of the defect photos in the
portal, ``order`` null when the batch serves no order)::

    {"returned_item": {"id": 3, "item_code": "I7K4M2XQ", "rma": "MW-RMA-40012",
                       "sku": "KURTKA-02", "size": "L", "colour": "granat",
                       "reason": "defect", "status": "awaiting_decision",
                       "question": "Zamek rozdarty. Naprawa 25 zł czy spisać?",
                       "answers": ["repair", "write_off"],
                       "photos": ["https://coop.example/portal/returns/3/photos/ab12.jpg"],
                       "order": {"id": 17, "code": "Z7K4M2XQ", "partner_reference": "PO-1"},
                       "url": "/api/v1/returned-items/3",
                       "portal_url": "https://coop.example/portal/returns/3"}}

``recall.issued`` (goods made from a recalled lot reached the partner; only its own batches
and delivery notes are named; built by ``traceability.recalls.notice_data``)::

    {"recall": {"id": 2, "reason": "Supplier recall of fragrance lot: allergen above spec",
                "issued_at": "2026-12-06T10:15:00+00:00",
                "batches": [{"code": "B7K4M2XQ", "product_code": "MYD-LAW-100",
                             "product_name": "Lavender soap 100 g", "unit": "pcs",
                             "quantity": "40"}],
                "shipments": [{"id": 5, "number": "WZ/2026/0005", "shipped_on": "2026-12-02",
                               "order": {"id": 17, "code": "Z7K4M2XQ",
                                         "partner_reference": "PO-1"}}],
                "portal_url": "https://coop.example/portal/recalls/2"}}
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask import current_app

from shopfloor.database import utcnow
from shopfloor.units import plain_quantity
from shopfloor.webhooks.models import WebhookEvent
from shopfloor.webhooks.services import enqueue_deliveries


def path_for(endpoint: str, **values) -> str:
    """A path of this application, built without a request (services also run in jobs, the
    CLI and tests, where ``url_for`` has no server to build on)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute_url(path: str) -> str:
    """``path`` on the address people reach Shopfloor at (``public_base_url``)."""
    return current_app.config["SHOPFLOOR"]["public_base_url"] + path


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def publish(event: str, partner_id: int, data: dict, *, now: datetime | None = None,
            event_id: str | None = None) -> str:
    """Publish one event about a partner's order: webhook deliveries and e-mails, added to
    the current transaction (no commit: the caller commits them with its change).

    ``event`` is a ``WebhookEvent`` value (ValueError otherwise); ``data`` is built by the
    builders below. ``event_id`` is a new UUID4 unless given (a stable id for an event that
    may be published again, see ``publish_order_alert``). Returns the event id.
    """
    from shopfloor.portal.notify import email_partner_people  # here: notify imports us

    event = WebhookEvent(event).value
    event_id = event_id or str(uuid.uuid4())
    occurred_at = now or utcnow()
    enqueue_deliveries(event, partner_id, data, event_id=event_id, occurred_at=occurred_at)
    email_partner_people(event, partner_id, data, event_id=event_id)
    return event_id


# ------------------------------------------------------------------ data builders


def order_ref(order) -> dict:
    """An order as other events name it: ``{"id", "code", "partner_reference"}``."""
    return {"id": order.id, "code": order.code, "partner_reference": order.partner_reference}


def order_data(order) -> dict:
    """``{"order": {"id", "code", "partner_reference", "status", "earliest_due", "url",
    "portal_url"}}``: ``url`` is the order in the JSON API (a path, as the API's own
    ``url``), ``portal_url`` its page in the portal (absolute). Reads only the order's row."""
    return {"order": {
        **order_ref(order), "status": order.status, "earliest_due": _iso(order.earliest_due),
        "url": path_for("api_orders.OrderDetail", order_id=order.id),
        "portal_url": absolute_url(path_for("portal.order_detail", order_id=order.id))}}


def status_changed_data(order, previous_status: str) -> dict:
    """``order_data`` plus ``order.previous_status``: the data of ``order.status_changed``."""
    data = order_data(order)
    data["order"]["previous_status"] = str(previous_status)
    return data


def at_risk_data(order, risk: str, expected_on: date | None, due_date: date) -> dict:
    """``order_data`` plus ``order.risk`` (``at_risk`` or ``late``), ``order.expected_on``
    (ISO date or null) and ``order.due_date``: the data of ``order.at_risk``."""
    data = order_data(order)
    data["order"].update(risk=str(risk), expected_on=_iso(expected_on),
                         due_date=_iso(due_date))
    return data


def shipment_data(shipment) -> dict:
    """``{"shipment": {"id", "number", "shipped_on", "order": {"id", "code",
    "partner_reference"}, "lines": [{"line_no", "product_code", "product_name", "unit",
    "quantity"}], "delivery_note_url"}}``; ``lines`` has one entry per order line shipped
    (batches of the same line added up), in line order."""
    per_line: dict[int, dict] = {}
    for item in shipment.lines:
        line = item.order_line
        entry = per_line.get(line.id)
        if entry is None:
            per_line[line.id] = entry = {
                "line_no": line.line_no, "product_code": line.product.code,
                "product_name": line.product.name, "unit": line.product.unit, "quantity": 0}
        entry["quantity"] += item.quantity
    lines = sorted(per_line.values(), key=lambda entry: entry["line_no"])
    for entry in lines:
        entry["quantity"] = plain_quantity(entry["quantity"])
    return {"shipment": {
        "id": shipment.id, "number": shipment.number, "shipped_on": _iso(shipment.shipped_on),
        "order": order_ref(shipment.order), "lines": lines,
        "delivery_note_url": absolute_url(path_for("portal.delivery_note",
                                             shipment_id=shipment.id))}}


def returned_item_data(item) -> dict:
    """The data of ``return_item.needs_decision`` (see the module docstring)."""
    from shopfloor.extensions import db
    from shopfloor.orders.models import Order
    from shopfloor.returns.models import DECISION_ANSWERS

    order = db.session.get(Order, item.order_id) if item.order_id else None
    return {"returned_item": {
        "id": item.id, "item_code": item.item_code, "rma": item.rma, "sku": item.sku,
        "size": item.size, "colour": item.colour, "reason": item.reason,
        "status": item.status, "question": item.question, "answers": list(DECISION_ANSWERS),
        "photos": [absolute_url(path_for("portal_returns.photo", item_id=item.id,
                                         name=photo.name)) for photo in item.photos],
        "order": order_ref(order) if order else None,
        "url": path_for("api_returned_items.ReturnedItemDetail", item_id=item.id),
        "portal_url": absolute_url(path_for("portal_returns.item", item_id=item.id))}}


# ------------------------------------------------------------------ what the areas call


def publish_item_needs_decision(item, now: datetime | None = None) -> str:
    """Publish ``return_item.needs_decision`` for an item just put to the partner."""
    return publish(WebhookEvent.RETURN_ITEM_NEEDS_DECISION, item.partner_id,
                   returned_item_data(item), now=now)


def publish_status_changed(order, previous_status: str, now: datetime | None = None) -> str:
    """Publish ``order.status_changed`` for an order that has just moved."""
    return publish(WebhookEvent.ORDER_STATUS_CHANGED, order.partner_id,
                   status_changed_data(order, previous_status), now=now)


def publish_shipment_created(shipment, now: datetime | None = None) -> str:
    """Publish ``shipment.created`` for a shipment just recorded (it needs its id)."""
    return publish(WebhookEvent.SHIPMENT_CREATED, shipment.partner_id,
                   shipment_data(shipment), now=now)


def publish_order_alert(order, alert, now: datetime | None = None) -> str | None:
    """Publish ``order.at_risk`` for a deadline alert (``planning.services.OrderAlert``)
    that is new: call it before the managers are notified of it, as a notification with the
    alert's dedupe key is what says it was announced already. Overdue alerts are not
    published (the partner sees the due date pass). Returns the event id, None if nothing.

    The event id is derived from the alert's dedupe key, so should the alert be published
    again (no manager to keep the notification), nobody gets the e-mail twice and a
    webhook receiver can drop the duplicate by its id.
    """
    from sqlalchemy import select

    from shopfloor.extensions import db
    from shopfloor.notifications.models import Notification
    from shopfloor.planning.forecast import AT_RISK, LATE

    if alert.state not in (AT_RISK, LATE):
        return None
    announced = db.session.scalar(select(Notification.id).where(
        Notification.dedupe_key == alert.dedupe_key).limit(1))
    if announced is not None:
        return None
    event_id = str(uuid.uuid5(uuid.NAMESPACE_URL,
                              absolute_url(f"/events/{alert.dedupe_key}")))
    return publish(WebhookEvent.ORDER_AT_RISK, order.partner_id,
                   at_risk_data(order, alert.state, alert.projected, alert.due),
                   now=now, event_id=event_id)
