"""Garment returns and repairs: the returned items a batch handles.

Each listed item is also a row of ``returns.models.ReturnedItem`` (photos, disposition, the
partner's decision). Grading and the 14-day complaint clock come with the garments line's
own issue; see shared/domain.md section 3.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.codes import KIND_ITEM, new_code
from shopfloor.lines import fields as f
from shopfloor.lines.base import Column, Findings, LinePlugin, RecordField

REASONS = (
    ("size", _l("Wrong size")),
    ("defect", _l("Defect")),
    ("damaged", _l("Damaged in transport")),
    ("not_as_described", _l("Not as described")),
    ("changed_mind", _l("Changed mind")),
    ("other", _l("Other")),
)


class ReturnedItemSchema(Schema):
    item_code = f.text(max_length=8)
    rma = f.text(required=True, max_length=40)
    sku = f.text(required=True, max_length=40)
    size = f.text(max_length=20)
    colour = f.text(max_length=40)
    reason = f.choice(tuple(code for code, _ in REASONS), required=True)
    received_on = f.day()


class GarmentRecordSchema(Schema):
    items = f.rows(ReturnedItemSchema)


class GarmentsLine(LinePlugin):
    code = "garments"
    name = _l("Garment returns and repairs")
    schema = GarmentRecordSchema
    fields = (
        RecordField("items", _l("Returned items"), "table", columns=(
            Column("item_code", _l("Our item code"), "code"),
            Column("rma", _l("RMA number")),
            Column("sku", _l("SKU")),
            Column("size", _l("Size")),
            Column("colour", _l("Colour")),
            Column("reason", _l("Reason"), "choice", choices=REASONS),
            Column("received_on", _l("Received on"), "date"),
        )),
    )

    def load_record(self, data):
        """Check the record, then give every new item our own code for its tag."""
        record, findings = super().load_record(data)
        if findings.ok:
            for item in record.get("items", []):
                if not item.get("item_code"):
                    item["item_code"] = new_code(KIND_ITEM)
        return record, findings

    def check_record(self, record, findings: Findings) -> None:
        keys = [(row["rma"], row["sku"]) for row in record.get("items", [])]
        if len(keys) != len(set(keys)):
            findings.error("items", _l("The same RMA and SKU are listed twice."))

    def guard_record_change(self, batch, record) -> None:
        """An item with a question to the partner, a disposition or photos stays listed."""
        from shopfloor.returns.services import refuse_losing_items

        refuse_losing_items(batch, record)

    def record_saved(self, batch, user) -> None:
        """One returned-item row per listed item (what the portal and the API show)."""
        from shopfloor.returns.services import sync_items

        sync_items(batch, user)

    def batch_panel(self, batch) -> tuple[str, dict] | None:
        """The batch's returned items with their status and disposition."""
        from shopfloor.returns import display
        from shopfloor.returns.services import items_of_batch

        return "returns/_batch_items.html", {
            "items": items_of_batch(batch.id), "status_names": display.STAFF_STATUS_NAMES,
            "disposition_names": display.DISPOSITION_NAMES}

    def release_gates(self, batch) -> list[str]:
        if not (batch.record or {}).get("items"):
            return [str(_l("List the returned items before release."))]
        return []

    def qc_gates(self, batch) -> list[str]:
        items = (batch.record or {}).get("items") or []
        handled = batch.good_quantity + batch.rejected_quantity
        if items and handled != len(items):
            return [str(_l("%(n)s items were received but %(handled)s are counted.",
                           n=len(items), handled=handled))]
        return []
