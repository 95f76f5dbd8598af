"""Garment returns and repairs, and workwear sewing: the returned items a batch handles, or
the final inspection of a sewn lot by AQL sampling.

Each listed item is also a row of ``returns.models.ReturnedItem`` (photos, defect,
disposition, the partner's decision); see shared/domain.md section 3. A sewing batch names
the AQL agreed for the order: the single sampling plan of ISO 2859-1 (general level II,
``shopfloor.quality.aql``) follows from the lot size, and QC signs off only an accepted lot.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.codes import KIND_ITEM, new_code
from shopfloor.lines import fields as f
from shopfloor.lines.base import Column, Findings, LinePlugin, RecordField
from shopfloor.quality import aql
from shopfloor.quality.aql import AQLS

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
    # Empty: the parcel came without a return number and is set aside until authorised.
    rma = f.text(max_length=40)
    order_no = f.text(max_length=40)
    sku = f.text(max_length=40)
    ean = f.text(max_length=14)
    size = f.text(max_length=20)
    colour = f.text(max_length=40)
    reason = f.choice(tuple(code for code, _ in REASONS), required=True)
    received_on = f.day()
    complaint_on = f.day()
    tracking_no = f.text(max_length=40)


MSG_SKU_OR_EAN = _l("Give the SKU or the EAN.")
MSG_EAN_DIGITS = _l("An EAN has 8, 12, 13 or 14 digits.")
MSG_BAD_EAN = _l("This EAN is wrong: its last digit does not match. Scan it again.")
MSG_COMPLAINT_AFTER = _l("The complaint cannot be later than the day the parcel came.")
MSG_TWICE = _l("The same RMA and SKU are listed twice.")


def item_problems(row: dict) -> dict[str, str]:
    """What is wrong with one returned item's row, by field (pure): a SKU or an EAN, the
    EAN's GS1 check digit, and a complaint not dated after the parcel came."""
    from shopfloor.labels.gs1 import is_valid_gtin

    problems: dict[str, str] = {}
    ean = (row.get("ean") or "").strip()
    if not (row.get("sku") or "").strip() and not ean:
        problems["sku"] = str(MSG_SKU_OR_EAN)
    if ean and not (ean.isdigit() and len(ean) in (8, 12, 13, 14)):
        problems["ean"] = str(MSG_EAN_DIGITS)
    elif ean and not is_valid_gtin(ean):
        problems["ean"] = str(MSG_BAD_EAN)
    complained, received = row.get("complaint_on"), row.get("received_on")
    if complained and received and str(complained) > str(received):
        problems["complaint_on"] = str(MSG_COMPLAINT_AFTER)
    return problems


def item_key(row: dict) -> tuple[str, str] | None:
    """What identifies an item to the partner, (RMA, SKU or EAN); None without an RMA
    (several parcels without a return number may hold the same SKU)."""
    rma = (row.get("rma") or "").strip()
    return (rma, (row.get("sku") or row.get("ean") or "").strip()) if rma else None


AQL_CHOICES = tuple((f"{a.normalize():f}", f"AQL {a.normalize():f}") for a in AQLS
                    if Decimal("0.65") <= a <= Decimal("6.5"))


class GarmentRecordSchema(Schema):
    items = f.rows(ReturnedItemSchema)
    aql = f.choice(tuple(code for code, _ in AQL_CHOICES))
    sample_defects = f.number(minimum=0, maximum=100000)


def inspection_plan(batch):
    """The AQL sampling plan of a sewing batch (None without an AQL): the lot is what was
    made (the good quantity once counted, else the planned quantity)."""
    record = batch.record or {}
    if not record.get("aql"):
        return None
    lot = int(batch.good_quantity) or int(batch.planned_quantity)
    return aql.plan(max(lot, 2), record["aql"])


class GarmentsLine(LinePlugin):
    code = "garments"
    name = _l("Garment returns and repairs")
    schema = GarmentRecordSchema
    fields = (
        RecordField("items", _l("Returned items"), "table", columns=(
            Column("item_code", _l("Our item code"), "code"),
            Column("rma", _l("RMA number")),
            Column("order_no", _l("Order number")),
            Column("sku", _l("SKU")),
            Column("ean", _l("EAN")),
            Column("size", _l("Size")),
            Column("colour", _l("Colour")),
            Column("reason", _l("Reason"), "choice", choices=REASONS),
            Column("received_on", _l("Received on"), "date"),
            Column("complaint_on", _l("Complaint of"), "date"),
            Column("tracking_no", _l("Tracking number")),
        )),
        RecordField("aql", _l("AQL of the final inspection"), "choice", choices=AQL_CHOICES,
                    hint=_l("Sewing orders: the AQL agreed for the order; the sample size and "
                            "the accept and reject numbers follow from the lot (ISO 2859-1, "
                            "level II).")),
        RecordField("sample_defects", _l("Defective items found in the sample"), "number"),
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
        rows = record.get("items", [])
        keys = [key for key in map(item_key, rows) if key is not None]
        if len(keys) != len(set(keys)):
            findings.error("items", MSG_TWICE)
        for number, row in enumerate(rows, start=1):
            for message in item_problems(row).values():
                findings.error("items", _l("Row %(n)s: %(problem)s", n=number, problem=message))
        found = record.get("sample_defects")
        if found is not None and Decimal(found) != Decimal(found).to_integral_value():
            findings.error("sample_defects", _l("Count whole items."))
        if found is not None and not record.get("aql"):
            findings.error("aql", _l("Choose the AQL the sample is judged by."))

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
        from shopfloor.returns.intake import INTAKE_STATUSES
        from shopfloor.returns.services import items_of_batch

        plan = inspection_plan(batch)
        found = (batch.record or {}).get("sample_defects")
        items = items_of_batch(batch.id)
        return "returns/_batch_items.html", {
            "items": items, "status_names": display.STAFF_STATUS_NAMES,
            "disposition_names": display.DISPOSITION_NAMES, "plan": plan,
            "stage_names": display.REPAIR_STAGE_NAMES, "batch_id": batch.id,
            "intake_open": batch.status in INTAKE_STATUSES,
            "set_aside": sum(1 for item in items if item.status == "set_aside"),
            "sample_defects": None if found in (None, "") else int(Decimal(found)),
            "accepted": aql.verdict(plan, int(Decimal(found)))
            if plan is not None and found not in (None, "") else None}

    def release_gates(self, batch) -> list[str]:
        """None: returned parcels are scanned in after release (``returns.intake``)."""
        return []

    def qc_gates(self, batch) -> list[str]:
        record = batch.record or {}
        items = record.get("items") or []
        handled = batch.good_quantity + batch.rejected_quantity
        problems = []
        if not items and not record.get("aql"):
            problems.append(str(_l("List the returned items, or for a sewing order choose "
                                   "its AQL.")))
        if items and handled != len(items):
            problems.append(str(_l("%(n)s items were received but %(handled)s are counted.",
                                   n=len(items), handled=handled)))
        plan = inspection_plan(batch)
        if plan is not None:
            found = record.get("sample_defects")
            if found in (None, ""):
                problems.append(str(_l("Inspect a sample of %(n)s items (AQL %(aql)s) and "
                                       "record the defective ones.", n=plan.sample_size,
                                       aql=record["aql"])))
            elif not aql.verdict(plan, int(Decimal(found))):
                problems.append(str(_l("The lot is rejected: %(found)s defective in the "
                                       "sample, at most %(accept)s are accepted.",
                                       found=int(Decimal(found)), accept=plan.accept)))
        return problems
