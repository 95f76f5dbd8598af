"""From records to label data: batch cards, unit labels, garment tags, SSCC allocation.

The renderers (symbols, sheets, zpl) take the plain dataclasses in ``kinds``; this module
is where the database, the line plug-ins and the configuration come in.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.codes import KIND_BATCH, InvalidCode, format_code, parse_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.labels import kinds
from shopfloor.labels.gs1 import make_sscc, sscc_capacity
from shopfloor.lines import get_line, line_name
from shopfloor.production.models import Batch
from shopfloor.shipping.services import next_document_number
from shopfloor.units import format_quantity, unit_name

SSCC_SERIES = "SSCC"


def scan_url(code: str) -> str:
    """What a QR code holds: ``<public base URL>/s/<CODE>`` (DESIGN rule 6)."""
    return f"{current_app.config['SHOPFLOOR']['public_base_url']}/s/{code}"


def batches_by_codes(texts: list[str]) -> list[Batch]:
    """The batches named by codes as typed; refuses unknown or mistyped codes, naming them."""
    codes: list[str] = []
    for text in texts:
        try:
            code = parse_code(text)
        except InvalidCode:
            raise DomainError(_l("%(text)s is not a valid batch code.", text=text),
                              field="codes") from None
        if code[0] != KIND_BATCH:
            raise DomainError(_l("%(text)s is not a batch code.", text=text), field="codes")
        codes.append(code)
    if not codes:
        raise DomainError(_l("Give at least one batch code."), field="codes")
    found = {b.code: b for b in db.session.scalars(select(Batch).where(Batch.code.in_(codes)))}
    missing = [format_code(c) for c in codes if c not in found]
    if missing:
        raise DomainError(_l("Unknown batch codes: %(codes)s.", codes=", ".join(missing)),
                          field="codes")
    return [found[c] for c in codes]


def batch_card(batch: Batch) -> kinds.BatchCard:
    """The A6 card that travels with a batch."""
    allocations = batch.allocations
    due = min((a.order_line.due_date for a in allocations), default=None)
    partners = sorted({a.order_line.order.partner.name for a in allocations})
    return kinds.BatchCard(
        code=format_code(batch.code), url=scan_url(batch.code), product=batch.product.name,
        line=line_name(batch.line),
        quantity=f"{format_quantity(batch.planned_quantity)} {unit_name(batch.product.unit)}",
        due=format_date(due, "medium") if due else "", partner=", ".join(partners))


def unit_label(batch: Batch) -> kinds.ProductUnitLabel:
    """A product unit label, with what the line plug-in says it must carry."""
    data = get_line(batch.line).unit_label(batch)
    return kinds.ProductUnitLabel(
        product=batch.product.name, nominal=data["nominal"], batch_code=format_code(batch.code),
        durability=data["durability"], ingredients=data["ingredients"],
        responsible_person=data["responsible_person"], url=scan_url(batch.code))


def garment_tags(batch: Batch) -> list[kinds.GarmentTag]:
    """One tag per returned item: our item code and the partner's return number."""
    items = (batch.record or {}).get("items") or []
    if batch.line != "garments" or not items:
        raise DomainError(_l("Batch %(code)s lists no returned items.",
                             code=format_code(batch.code)), field="codes")
    return [kinds.GarmentTag(item_code=item["item_code"], return_number=item["rma"],
                             sku=item.get("sku", ""), size=item.get("size", ""))
            for item in items if item.get("item_code")]


def allocate_sscc(user=None) -> str:
    """The next SSCC of the configured company prefix; a serial is never handed out twice.

    The counter row is taken inside the caller's transaction, like delivery-note numbers.
    """
    settings = current_app.config["SHOPFLOOR"]
    prefix, extension = settings["gs1.company_prefix"], settings["gs1.extension_digit"]
    if not prefix:
        raise DomainError(_l("Set gs1.company_prefix in the configuration to print pallet "
                             "labels."), field="kind")
    # One counter for all SSCCs (not per year): it only ever goes up, so no serial repeats.
    serial = next_document_number(f"{SSCC_SERIES}{extension}", 0)
    if serial >= sscc_capacity(prefix):
        raise DomainError(_l("All SSCC serials of company prefix %(prefix)s are used.",
                             prefix=prefix), field="kind")
    return make_sscc(extension, prefix, serial)


def group_sscc(sscc: str, company_prefix: str) -> str:
    """An SSCC as printed under the barcode: extension, prefix, serial, check digit (an
    SSCC of another prefix than the configured one keeps only extension and check apart)."""
    if not company_prefix or sscc[1:1 + len(company_prefix)] != company_prefix:
        return f"{sscc[0]} {sscc[1:17]} {sscc[17]}"
    cut = 1 + len(company_prefix)
    return f"{sscc[0]} {sscc[1:cut]} {sscc[cut:17]} {sscc[17]}"


def worker_badges(texts: list[str]) -> list[kinds.WorkerBadge]:
    """Badges for workers named by their badge codes: QR, first name, photo."""
    from shopfloor.uploads import photo_path
    from shopfloor.workers.models import Worker
    from shopfloor.workers.services import PHOTO_AREA

    badges = []
    for text in texts:
        try:
            code = parse_code(text)
        except InvalidCode:
            raise DomainError(_l("%(text)s is not a valid badge code.", text=text),
                              field="codes") from None
        worker = db.session.scalar(select(Worker).where(Worker.code == code))
        if worker is None:
            raise DomainError(_l("There is no worker with badge %(code)s.",
                                 code=format_code(code)), field="codes")
        path = photo_path(PHOTO_AREA, worker.photo or "")
        badges.append(kinds.WorkerBadge(first_name=worker.first_name, url=scan_url(worker.code),
                                        photo_png=_png(path) if path else None))
    if not badges:
        raise DomainError(_l("Give at least one badge code."), field="codes")
    return badges


def _png(path) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(path) as image:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def labels_for(kind: str, texts: list[str], user=None) -> list:
    """Label data of one kind for batches named by code (garment tags: every item; pallet
    labels: every pallet built and not voided), or for workers named by badge code."""
    if kind == "badge":
        return worker_badges(texts)
    batches = batches_by_codes(texts)
    if kind == "batch":
        return [batch_card(b) for b in batches]
    if kind == "unit":
        return [unit_label(b) for b in batches]
    if kind == "garment":
        return [tag for b in batches for tag in garment_tags(b)]
    if kind == "pallet":  # the pallets built on the batch pages, reprinted with their SSCCs
        from shopfloor.labels.pallets import labels_of_batches

        return labels_of_batches(batches)
    raise DomainError(_l("Unknown label kind %(kind)s.", kind=kind), field="kind")
