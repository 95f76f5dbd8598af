"""Co-packing and kitting: the kit's bill of materials, the partner's material receipts,
what was scrapped or sent back, and the reconciliation of the partner's material per order
(shared/domain.md section 4): received = used in kits + scrapped + returned + on hand.

GTIN/SSCC rules and logistics labels come with the co-packing line's own issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.lines import fields as f
from shopfloor.lines.base import Column, Findings, LinePlugin, RecordField


class BomRowSchema(Schema):
    component = f.text(required=True, max_length=80)
    gtin = f.text(max_length=14)
    quantity_per_kit = f.number(minimum=0.001, required=True)


class ReceiptRowSchema(Schema):
    delivery_note = f.text(required=True, max_length=40)
    component = f.text(max_length=80)
    gtin = f.text(max_length=14)
    lot = f.text(max_length=40)
    declared = f.number(minimum=0, required=True)
    counted = f.number(minimum=0, required=True)


class UsageRowSchema(Schema):
    component = f.text(required=True, max_length=80)
    scrapped = f.number(minimum=0)
    returned = f.number(minimum=0)


class CopackRecordSchema(Schema):
    kit_sku = f.text(max_length=40)
    bom_version = f.text(max_length=20)
    bom = f.rows(BomRowSchema)
    receipts = f.rows(ReceiptRowSchema)
    usage = f.rows(UsageRowSchema)


class CopackLine(LinePlugin):
    code = "copack"
    name = _l("Co-packing")
    schema = CopackRecordSchema
    fields = (
        RecordField("kit_sku", _l("Kit SKU")),
        RecordField("bom_version", _l("Bill of materials version")),
        RecordField("bom", _l("Bill of materials (per kit)"), "table", columns=(
            Column("component", _l("Component")),
            Column("gtin", _l("GTIN")),
            Column("quantity_per_kit", _l("Quantity per kit"), "number"),
        )),
        RecordField("receipts", _l("Material received from the partner"), "table", columns=(
            Column("delivery_note", _l("Partner's delivery note")),
            Column("component", _l("Component (as in the bill of materials)")),
            Column("gtin", _l("GTIN")),
            Column("lot", _l("Lot")),
            Column("declared", _l("Declared"), "number"),
            Column("counted", _l("Counted"), "number"),
        )),
        RecordField("usage", _l("Partner's material scrapped or sent back"), "table", columns=(
            Column("component", _l("Component")),
            Column("scrapped", _l("Scrapped"), "number"),
            Column("returned", _l("Returned to the partner"), "number"),
        )),
    )

    def check_record(self, record, findings: Findings) -> None:
        for row in record.get("receipts", []):
            if Decimal(row["counted"]) != Decimal(row["declared"]):
                findings.warn(_l("Delivery note %(note)s: counted %(counted)s, declared "
                                 "%(declared)s. Tell the partner.", note=row["delivery_note"],
                                 counted=row["counted"], declared=row["declared"]))

    def release_gates(self, batch) -> list[str]:
        record = batch.record or {}
        if not record.get("bom") or not record.get("bom_version"):
            return [str(_l("Record the kit's bill of materials and its version before "
                           "release."))]
        return []


# ------------------------------------------------------------------ reconciliation


@dataclass(frozen=True)
class ComponentBalance:
    """One component of the partner's material across the batches of an order."""

    component: str
    received: Decimal   # counted at goods-in
    used: Decimal       # good kits made x quantity per kit
    scrapped: Decimal
    returned: Decimal

    @property
    def on_hand(self) -> Decimal:
        """What should still be here: received - used - scrapped - returned."""
        return self.received - self.used - self.scrapped - self.returned

    @property
    def balanced(self) -> bool:
        """Nothing used that was never received (a negative stock is a variance to explain)."""
        return self.on_hand >= 0


def _number(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def reconcile(batches: Iterable[tuple[dict, Decimal]]) -> list[ComponentBalance]:
    """Reconcile the partner's material of an order from its batches' records and good kit
    counts: one balance per component the partner delivered (a receipt names it), in the
    order first received. Components only the cooperative supplies are not the partner's
    and are left out; a receipt without a component counts under its GTIN or lot."""
    received: dict[str, Decimal] = {}
    used: dict[str, Decimal] = {}
    scrapped: dict[str, Decimal] = {}
    returned: dict[str, Decimal] = {}
    for record, kits in batches:
        for row in record.get("receipts") or []:
            name = (row.get("component") or row.get("gtin") or row.get("lot") or "").strip()
            received[name] = received.get(name, Decimal(0)) + _number(row.get("counted"))
        for row in record.get("bom") or []:
            name = row["component"].strip()
            used[name] = used.get(name, Decimal(0)) + _number(row["quantity_per_kit"]) * kits
        for row in record.get("usage") or []:
            name = row["component"].strip()
            scrapped[name] = scrapped.get(name, Decimal(0)) + _number(row.get("scrapped"))
            returned[name] = returned.get(name, Decimal(0)) + _number(row.get("returned"))
    return [ComponentBalance(name, total, used.get(name, Decimal(0)),
                             scrapped.get(name, Decimal(0)), returned.get(name, Decimal(0)))
            for name, total in received.items()]


def order_balances(batches) -> list[ComponentBalance] | None:
    """The reconciliation of an order from the batches making it (None: no co-packing
    batch, so nothing to reconcile). Scrapped batches count: what went into them was used."""
    kits = [(batch.record or {}, batch.good_quantity) for batch in batches
            if batch.line == CopackLine.code]
    return reconcile(kits) if kits else None
