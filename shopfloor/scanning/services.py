"""resolve_scan: the one entry point for everything a scanner, a camera or a link sends.

It answers what the scan is, which page shows it and what this user may do next, and logs
every scan. A mistyped or half-read code is refused with a message, never matched to
another record (codes carry a check character; GS1 strings carry check digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import joinedload

from shopfloor.codes import (
    ALPHABET,
    CODE_LENGTH,
    KIND_BATCH,
    KIND_ITEM,
    KIND_LOT,
    KIND_ORDER,
    KIND_WORKER,
    KINDS,
    InvalidCode,
    format_code,
    normalize_code,
    parse_code,
)
from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.orders.models import Order
from shopfloor.production.models import Batch
from shopfloor.production.status import BATCH_ACTION_NAMES, BATCH_MACHINE, NEEDS_REASON
from shopfloor.scanning.models import ScanEvent
from shopfloor.shipping.models import Shipment

WZ_PATTERN = re.compile(r"^WZ/?(\d{4})/?(\d{1,6})$")
MAX_RAW = 300


@dataclass(frozen=True)
class ScanAction:
    """A next step offered on the result card (a batch status move)."""

    status: str
    label: str


@dataclass
class ScanResult:
    """What a scan resolved to; ``accepted`` is False for unknown or refused input."""

    accepted: bool
    kind: str
    code: str | None = None
    url: str | None = None
    title: str = ""
    message: str = ""
    actions: list[ScanAction] = field(default_factory=list)
    record: object | None = None

    def as_json(self) -> dict:
        """The API body: kind, code, url, actions and the message."""
        return {"kind": self.kind, "code": self.code, "url": self.url, "message": self.message,
                "actions": [{"status": a.status, "label": a.label} for a in self.actions]}


def _refused(kind: str, message) -> ScanResult:
    return ScanResult(accepted=False, kind=kind, message=str(message))


def _code_from_url(text: str) -> str | None:
    """The code in a scanned QR link ``…/s/<CODE>``, whatever the host."""
    if "://" not in text and not text.startswith("/s/"):
        return None
    path = urlsplit(text).path if "://" in text else text
    match = re.search(r"/s/([^/?#]+)/?$", path)
    return match.group(1) if match else ""


def _looks_like_our_code(text: str) -> bool:
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and code[0] in KINDS and all(c in ALPHABET for c in code)


def _batch_result(batch: Batch, user) -> ScanResult:
    actions = [ScanAction(s, str(BATCH_ACTION_NAMES[s]))
               for s in BATCH_MACHINE.next_statuses(batch.status) if s not in NEEDS_REASON]
    return ScanResult(True, "batch", batch.code,
                      url_for("production.batch_detail", batch_id=batch.id),
                      f"{_l('Batch')} {format_code(batch.code)} · {batch.product.name}",
                      actions=actions if user is not None else [], record=batch)


def _by_code(code: str, user) -> ScanResult:
    kind = code[0]
    if kind == KIND_BATCH:
        batch = db.session.scalar(select(Batch).options(joinedload(Batch.product))
                                   .where(Batch.code == code))
        if batch is not None:
            return _batch_result(batch, user)
    elif kind == KIND_LOT:
        lot = db.session.scalar(select(MaterialLot).where(MaterialLot.code == code))
        if lot is not None:
            return ScanResult(True, "lot", lot.code,
                              url_for("materials.lot_detail", lot_id=lot.id),
                              f"{_l('Lot')} {format_code(lot.code)} · {lot.material.name}",
                              record=lot)
    elif kind == KIND_ITEM:
        found = _garments_batch_with(code, user, key="item_code")
        if found is not None:
            return found
    elif kind == KIND_WORKER:
        from shopfloor.workers.models import Worker

        worker = db.session.scalar(select(Worker).where(Worker.code == code))
        if worker is not None:
            return ScanResult(True, "worker", worker.code,
                              url_for("workers.worker_edit", worker_id=worker.id),
                              f"{_l('Worker')} {worker.first_name}", record=worker)
    elif kind == KIND_ORDER:
        order = db.session.scalar(select(Order).where(Order.code == code))
        if order is not None:
            return ScanResult(True, "order", order.code,
                              url_for("orders.order_detail", order_id=order.id),
                              f"{_l('Order')} {format_code(order.code)} · {order.partner.name}",
                              record=order)
    return _refused("unknown", _l("Code %(code)s is not in Shopfloor. Check the label.",
                                  code=format_code(code)))


def _by_wz(year: str, number: str) -> ScanResult:
    wz = f"WZ/{year}/{int(number):04d}"
    shipment = db.session.scalar(select(Shipment).where(Shipment.number == wz))
    if shipment is None:
        return _refused("unknown", _l("There is no delivery note %(number)s.", number=wz))
    return ScanResult(True, "shipment", wz,
                      url_for("shipping.shipment_detail", shipment_id=shipment.id),
                      f"{_l('Shipment')} {wz} · {shipment.partner.name}", record=shipment)


def _by_gs1(text: str) -> ScanResult:
    from shopfloor.catalog.models import Material
    from shopfloor.labels.gs1 import Gs1Error, parse_element_string

    try:
        data = parse_element_string(text)
    except Gs1Error as exc:
        return _refused("invalid", _l("The GS1 barcode was not read correctly: %(why)s "
                                      "Scan it again.", why=str(exc)))
    if data.gtin and data.batch:
        lot = db.session.scalar(
            select(MaterialLot).join(Material, Material.id == MaterialLot.material_id)
            .where(Material.gtin.in_([data.gtin, data.gtin.lstrip("0")]),
                   MaterialLot.supplier_lot == data.batch).order_by(MaterialLot.id.desc()))
        if lot is not None:
            return ScanResult(True, "lot", lot.code,
                              url_for("materials.lot_detail", lot_id=lot.id),
                              f"{_l('Lot')} {format_code(lot.code)} · {lot.material.name}",
                              record=lot)
        return _refused("unknown", _l("No received lot has GTIN %(gtin)s and lot %(lot)s.",
                                      gtin=data.gtin, lot=data.batch))
    if data.sscc:
        from shopfloor.labels.models import Pallet

        pallet = db.session.scalar(select(Pallet).where(Pallet.sscc == data.sscc))
        if pallet is None:
            return _refused("unknown", _l("Pallet %(sscc)s is not in Shopfloor.",
                                          sscc=data.sscc))
        if pallet.voided_at is not None:  # its label must not stay on goods
            return _refused("invalid", _l("Pallet %(sscc)s was voided: take its label off.",
                                          sscc=data.sscc))
        result = _batch_result(db.session.get(Batch, pallet.batch_id), None)
        result.title = f"{_l('Pallet')} {data.sscc} · {result.title}"
        return result
    return _refused("unknown", _l("This GS1 barcode names nothing Shopfloor tracks."))


def _garments_batch_with(text: str, user, key: str = "rma") -> ScanResult | None:
    """A returned item, by the partner's return (RMA) number or our item code: the garments
    batch whose record lists it."""
    needle = text.strip()
    if not needle or len(needle) > 40:
        return None
    candidates = db.session.scalars(
        select(Batch).where(Batch.line == "garments",
                            cast(Batch.record, Text).contains(needle))
        .order_by(Batch.id.desc()).limit(20))
    for batch in candidates:
        if any(item.get(key) == needle for item in (batch.record or {}).get("items", [])):
            result = _batch_result(batch, user)
            result.kind, result.code = "return", needle
            result.title = f"{_l('Return')} {needle} · {result.title}"
            return result
    return None


def _resolve(text: str, user) -> ScanResult:
    if not text:
        return _refused("invalid", _l("Nothing was read. Scan again."))
    from_url = _code_from_url(text)
    if from_url is not None:
        try:
            return _by_code(parse_code(from_url), user)
        except InvalidCode:
            return _refused("invalid", _l("This link does not hold a valid Shopfloor code."))
    wz = WZ_PATTERN.match(text.upper().replace(" ", ""))
    if wz:
        return _by_wz(*wz.groups())
    from shopfloor.labels.gs1 import looks_like_gs1

    if looks_like_gs1(text):
        return _by_gs1(text)
    if _looks_like_our_code(text):
        try:
            return _by_code(parse_code(text), user)
        except InvalidCode:
            return _refused("invalid", _l("%(text)s has a wrong check character: it was "
                                          "misread or mistyped. Scan it again.",
                                          text=text.strip()))
    by_return = _garments_batch_with(text, user)
    if by_return is not None:
        return by_return
    return _refused("unknown", _l("%(text)s is not a code Shopfloor knows.", text=text[:40]))


def resolve_scan(raw: str, user, station: str = "") -> ScanResult:
    """Resolve a scan (URL, bare code, GS1 string, WZ number, return number) and log it."""
    text = (raw or "").replace("\r", "").replace("\n", "").strip()[:MAX_RAW]
    result = _resolve(text, user)
    db.session.add(ScanEvent(user_id=user.id if user is not None else None,
                             station=(station or "")[:60], raw=text, kind=result.kind,
                             code=result.code, accepted=result.accepted,
                             message=result.message[:300]))
    db.session.commit()
    return result
