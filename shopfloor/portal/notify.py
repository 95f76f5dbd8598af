"""E-mail to a partner's portal people about the events of its orders (see ``portal.events``).

Who gets one: the partner's active portal accounts with an e-mail address whose preference
for the event is on (``portal.preferences``; no choice made means the event's default).
Each mail is written in the person's language (as ``scheduling.partner_digest`` does it,
with ``force_locale``) from the event's JSON data alone, so it says exactly what a webhook
receiver is told. Mail goes through the outbox in the caller's transaction, keyed by event
and person, so an event published twice with the same id is mailed once. Nothing is queued
while e-mail is off (``smtp.host`` empty), as for the staff's e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from shopfloor.auth.models import User
from shopfloor.codes import format_code
from shopfloor.extensions import db
from shopfloor.notifications.services import queue_email
from shopfloor.portal.display import PARTNER_ORDER_STATUS_NAMES
from shopfloor.portal.events import absolute_url, path_for
from shopfloor.portal.preferences import people_wanting
from shopfloor.units import format_quantity, unit_name
from shopfloor.webhooks.models import WebhookEvent


def recipients(event: str, partner_id: int) -> list[User]:
    """The partner's active portal people with an address who want e-mail about ``event``
    (one query: their stored choice, else the event's default)."""
    return list(db.session.scalars(people_wanting(event).where(User.partner_id == partner_id)))


def dedupe_key(event_id: str, user_id: int) -> str:
    """The outbox key of one person's e-mail about one event."""
    return f"partner-event:{event_id}:{user_id}"


def email_partner_people(event: str, partner_id: int, data: dict, *, event_id: str) -> int:
    """Queue one e-mail per person who wants ``event`` (see the module docstring); no
    commit. Returns how many were queued."""
    settings = current_app.config["SHOPFLOOR"]
    render = RENDERERS.get(event)
    if render is None or not settings["smtp.host"]:
        return 0
    queued = 0
    for user in recipients(event, partner_id):
        with force_locale(user.language or settings["default_language"]):
            subject, body = render(data)
            text = "\n".join([_("Hello, %(name)s", name=user.display_name), "", body, "",
                              *_footer(settings["cooperative.name"])])
        if queue_email(user.email, subject, text,
                       dedupe_key=dedupe_key(event_id, user.id)) is not None:
            queued += 1
    return queued


def _footer(cooperative: str) -> list[str]:
    return [_("You receive this e-mail because it is switched on in your notification "
              "settings in the portal: %(url)s",
              url=absolute_url(path_for("portal.preferences"))),
            "", _("Kind regards,"), cooperative]


# ------------------------------------------------------------------ one text per event


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value), "long") if value else ""


def _status(value: str) -> str:
    return str(PARTNER_ORDER_STATUS_NAMES.get(value, value))


def _reference_line(order: dict) -> list[str]:
    reference = order.get("partner_reference")
    return [_("Your order number: %(reference)s", reference=reference)] if reference else []


def _status_changed(data: dict) -> tuple[str, str]:
    order = data["order"]
    code, status = format_code(order["code"]), _status(order["status"])
    if order.get("partner_reference"):
        subject = _("Order %(code)s (your reference %(reference)s): %(status)s", code=code,
                    reference=order["partner_reference"], status=status)
    else:
        subject = _("Order %(code)s: %(status)s", code=code, status=status)
    body = [_("Order %(code)s has changed from “%(previous)s” to “%(status)s”.", code=code,
              previous=_status(order["previous_status"]), status=status),
            *_reference_line(order), "",
            _("See the order in the portal: %(url)s", url=order["portal_url"])]
    return subject, "\n".join(body)


def _at_risk(data: dict) -> tuple[str, str]:
    order = data["order"]
    code, due, expected = format_code(order["code"]), _day(order["due_date"]), order[
        "expected_on"]
    late = order["risk"] == "late"
    subject = (_("Order %(code)s will be late", code=code) if late
               else _("Order %(code)s may be late", code=code))
    if not expected:
        news = _("Order %(code)s is due %(due)s and we cannot yet name the day it will be "
                 "finished.", code=code, due=due)
    elif late:
        news = _("Order %(code)s is due %(due)s. We expect to finish it on %(expected)s, "
                 "which is after the due date.", code=code, due=due, expected=_day(expected))
    else:
        news = _("Order %(code)s is due %(due)s. We expect to finish it on %(expected)s, "
                 "with little time to spare.", code=code, due=due, expected=_day(expected))
    body = [news, *_reference_line(order), "",
            _("See the order in the portal: %(url)s", url=order["portal_url"])]
    return subject, "\n".join(body)


def _shipment_created(data: dict) -> tuple[str, str]:
    shipment = data["shipment"]
    order = shipment["order"]
    code = format_code(order["code"])
    subject = _("Order %(code)s: shipment %(number)s is on its way", code=code,
                number=shipment["number"])
    body = [_("On %(day)s we shipped goods of order %(code)s with delivery note %(number)s:",
              day=_day(shipment["shipped_on"]), code=code, number=shipment["number"])]
    body += [f"- {line['product_name']} ({line['product_code']}): "
             f"{format_quantity(line['quantity'])} {unit_name(line['unit'])}"
             for line in shipment["lines"]]
    body += [*_reference_line(order), "",
             _("The delivery note: %(url)s", url=shipment["delivery_note_url"])]
    return subject, "\n".join(body)


def _item_needs_decision(data: dict) -> tuple[str, str]:
    item = data["returned_item"]
    code = format_code(item["item_code"])
    subject = _("Returned item %(code)s (RMA %(rma)s): repair or write off?", code=code,
                rma=item["rma"])
    body = [_("We checked the returned item %(code)s (RMA %(rma)s, %(sku)s). Please tell us "
              "whether to repair it or write it off.", code=code, rma=item["rma"],
              sku=item["sku"]), "", item["question"]]
    if item.get("order"):
        body += ["", *_reference_line(item["order"])]
    body += ["", _("See the photos and answer in the portal: %(url)s", url=item["portal_url"])]
    return subject, "\n".join(body)


def render_recall(data: dict) -> tuple[str, str]:
    """The subject and text of a recall notice (also mailed to contacts without an account)."""
    recall = data["recall"]
    codes = ", ".join(format_code(b["code"]) for b in recall["batches"])
    subject = _("Recall: batches %(codes)s", codes=codes)
    body = [_("We are recalling goods you received from us. Please stop selling or using "
              "them and keep them apart until we tell you what to do."), "",
            _("Why: %(reason)s", reason=recall["reason"]), "", _("Batches:")]
    body += [f"- {format_code(b['code'])}: {b['product_name']} ({b['product_code']}), "
             f"{format_quantity(b['quantity'])} {unit_name(b['unit'])}"
             for b in recall["batches"]]
    body += ["", _("Delivery notes:")]
    body += [f"- {s['number']} ({_day(s['shipped_on'])})" for s in recall["shipments"]]
    body += ["", _("The notice in the portal: %(url)s", url=recall["portal_url"])]
    return subject, "\n".join(body)


RENDERERS: dict[str, Callable[[dict], tuple[str, str]]] = {
    WebhookEvent.ORDER_STATUS_CHANGED.value: _status_changed,
    WebhookEvent.ORDER_AT_RISK.value: _at_risk,
    WebhookEvent.SHIPMENT_CREATED.value: _shipment_created,
    WebhookEvent.RETURN_ITEM_NEEDS_DECISION.value: _item_needs_decision,
    WebhookEvent.RECALL_ISSUED.value: render_recall,
}
