"""Co-packing and kitting: the kit's bill of materials and the partner's material receipts.

Reconciliation, GTIN/SSCC rules and logistics labels come with the co-packing line's own
issue; see shared/domain.md section 4.
"""

from __future__ import annotations

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
    gtin = f.text(max_length=14)
    lot = f.text(max_length=40)
    declared = f.number(minimum=0, required=True)
    counted = f.number(minimum=0, required=True)


class CopackRecordSchema(Schema):
    kit_sku = f.text(max_length=40)
    bom_version = f.text(max_length=20)
    bom = f.rows(BomRowSchema)
    receipts = f.rows(ReceiptRowSchema)


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
            Column("gtin", _l("GTIN")),
            Column("lot", _l("Lot")),
            Column("declared", _l("Declared"), "number"),
            Column("counted", _l("Counted"), "number"),
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
