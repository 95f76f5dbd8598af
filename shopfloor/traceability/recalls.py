"""Issuing a recall from a forward trace (shared/domain.md section 0 and §1 rule 8, Art. 5 of
Regulation 1223/2009): the lots are rejected, the unfinished batches that used them are put
on hold, and every partner who received goods made from them is told, in one transaction,
about its own batches and delivery notes only (``recall.issued``: webhook, e-mail to its
portal people, and e-mail to its contacts, who may have no portal account)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_transition, commit, write_audit
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.materials.models import LotStatus, MaterialLot
from shopfloor.materials.services import LOT_MACHINE, LOT_STATUS_NAMES
from shopfloor.notifications.services import queue_email
from shopfloor.orders.services import refresh_order_status
from shopfloor.partners.models import PartnerContact
from shopfloor.production.models import Batch
from shopfloor.production.status import ACTIVE, BATCH_MACHINE, BATCH_STATUS_NAMES, BatchStatus
from shopfloor.shipping.models import Shipment, ShipmentLine
from shopfloor.traceability.models import Recall, RecallNotice
from shopfloor.traceability.services import trace_forward
from shopfloor.units import plain_quantity
from shopfloor.webhooks.models import WebhookEvent

HOLDABLE = ACTIVE | {BatchStatus.PLANNED}


def _shipped_to(partner_id: int, batch_ids: list[int]) -> tuple[list[dict], list[dict]]:
    """What one partner received of the traced batches: per batch and per delivery note."""
    rows = db.session.execute(
        select(ShipmentLine, Shipment).join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.partner_id == partner_id, ShipmentLine.batch_id.in_(batch_ids))
        .order_by(Shipment.shipped_on, Shipment.id, ShipmentLine.id))
    per_batch: dict[int, dict] = {}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    shipments: dict[int, dict] = {}
    for line, shipment in rows:
        batch = line.batch
        per_batch.setdefault(batch.id, {
            "code": batch.code, "product_code": batch.product.code,
            "product_name": batch.product.name, "unit": batch.product.unit})
        totals[batch.id] += line.quantity
        shipments.setdefault(shipment.id, {
            "id": shipment.id, "number": shipment.number,
            "shipped_on": shipment.shipped_on.isoformat(),
            "order": {"id": shipment.order.id, "code": shipment.order.code,
                      "partner_reference": shipment.order.partner_reference}})
    batches = [{**entry, "quantity": plain_quantity(totals[batch_id])}
               for batch_id, entry in per_batch.items()]
    return batches, list(shipments.values())


def notice_data(recall: Recall, notice: RecallNotice) -> dict:
    """The data of ``recall.issued`` for one partner: ``{"recall": {"id", "reason",
    "issued_at", "batches": [{"code", "product_code", "product_name", "unit", "quantity"}],
    "shipments": [{"id", "number", "shipped_on", "order": {...}}], "portal_url"}}``."""
    from shopfloor.portal.events import absolute_url, path_for

    return {"recall": {
        "id": recall.id, "reason": recall.reason, "issued_at": recall.created_at.isoformat(),
        "batches": notice.batches, "shipments": notice.shipments,
        "portal_url": absolute_url(path_for("portal_recalls.recall_detail",
                                            recall_id=recall.id))}}


def _mail_contacts(notice: RecallNotice, data: dict, skip: set[str]) -> int:
    """E-mail the partner's contacts (not already mailed as portal people), in the default
    language: a recall must reach whoever the cooperative would phone."""
    from shopfloor.portal.notify import render_recall

    settings = current_app.config["SHOPFLOOR"]
    if not settings["smtp.host"]:
        return 0
    mailed = 0
    contacts = db.session.scalars(select(PartnerContact).where(
        PartnerContact.partner_id == notice.partner_id).order_by(PartnerContact.id))
    for contact in contacts:
        address = (contact.email or "").strip()
        if not address or address.lower() in skip:
            continue
        skip.add(address.lower())
        with force_locale(settings["default_language"]):
            subject, body = render_recall(data)
            text = "\n".join([_("Hello, %(name)s", name=contact.name), "", body, "",
                              _("Kind regards,"), settings["cooperative.name"]])
        if queue_email(address, subject, text,
                       dedupe_key=f"recall:{notice.recall_id}:contact:{contact.id}"):
            mailed += 1
    return mailed


def _hold(batch: Batch, reason: str, user) -> None:
    from_status = batch.status
    apply_transition(batch, BATCH_MACHINE, BatchStatus.ON_HOLD, user,
                     status_names=BATCH_STATUS_NAMES, reason=reason)
    batch.held_from = from_status


def issue_recall(lots: list[MaterialLot], reference: str, reason: str, user,
                 now: datetime | None = None) -> Recall:
    """Recall what was made from ``lots`` (see the module docstring); one commit."""
    from shopfloor.portal.events import publish
    from shopfloor.portal.notify import recipients

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why: the partners read it in the notice."), field="reason")
    if not lots:
        raise DomainError(_l("Trace a lot or a supplier's lot number first."), field="q")
    trace = trace_forward(lots)
    why = str(_l("Recall: %(reason)s", reason=reason))
    for lot in lots:
        if lot.status != LotStatus.REJECTED:
            apply_transition(lot, LOT_MACHINE, LotStatus.REJECTED, user,
                             status_names=LOT_STATUS_NAMES, reason=why)
    held = []
    for row in trace.batches:
        if row.batch.status in HOLDABLE:
            _hold(row.batch, why, user)
            held.append(row.batch)
    recall = Recall(reference=reference.strip()[:120], reason=reason,
                    lot_codes=[lot.code for lot in lots], held_batches=[b.code for b in held],
                    created_at=now or utcnow(), user_id=getattr(user, "id", None))
    db.session.add(recall)
    write_audit(recall, "created", user, reason=reason)
    db.session.flush()
    batch_ids = [row.batch.id for row in trace.batches]
    for partner_row in trace.partners:
        batches, shipments = _shipped_to(partner_row.partner.id, batch_ids)
        notice = RecallNotice(partner_id=partner_row.partner.id, batches=batches,
                              shipments=shipments, event_id="")
        recall.notices.append(notice)
        data = notice_data(recall, notice)
        notice.event_id = publish(WebhookEvent.RECALL_ISSUED, notice.partner_id, data,
                                  now=recall.created_at)
        portal_people = {u.email.lower() for u in recipients(WebhookEvent.RECALL_ISSUED,
                                                               notice.partner_id)}
        notice.contacts_mailed = _mail_contacts(notice, data, portal_people)
    db.session.flush()
    for batch in held:
        for allocation in batch.allocations:
            refresh_order_status(allocation.order_line.order, user)
    commit([recall, *lots, *held])
    return recall


def all_recalls() -> list[Recall]:
    """Every recall issued, newest first."""
    return list(db.session.scalars(select(Recall).order_by(Recall.id.desc())))


def recalls_of(lots: list[MaterialLot]) -> list[Recall]:
    """Recalls already issued for any of these lots, newest first."""
    codes = {lot.code for lot in lots}
    found = db.session.scalars(select(Recall).order_by(Recall.id.desc()))
    return [recall for recall in found if codes & set(recall.lot_codes or [])]
