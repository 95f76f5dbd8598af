"""Wire-harness assembly: drawing and revision, IPC/WHMA-A-620 class, serial numbers.

Deeper rules (crimp setup records, 100 % electrical test per serial) come with the
harness line's own issue; see shared/domain.md section 2.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.lines import fields as f
from shopfloor.lines.base import Column, Findings, LinePlugin, RecordField

IPC_CLASSES = ("1", "2", "3")


class SerialSchema(Schema):
    serial = f.text(required=True, max_length=40)


class HarnessRecordSchema(Schema):
    drawing_number = f.text(max_length=60)
    drawing_revision = f.text(max_length=20)
    ipc_class = f.choice(IPC_CLASSES)
    serials = f.rows(SerialSchema)


class HarnessLine(LinePlugin):
    code = "harness"
    name = _l("Wire-harness assembly")
    schema = HarnessRecordSchema
    fields = (
        RecordField("drawing_number", _l("Drawing number")),
        RecordField("drawing_revision", _l("Drawing revision")),
        RecordField("ipc_class", _l("IPC/WHMA-A-620 class"), "choice",
                    choices=(("1", _l("Class 1: general")),
                             ("2", _l("Class 2: dedicated service")),
                             ("3", _l("Class 3: high reliability")))),
        RecordField("serials", _l("Serial numbers"), "table",
                    columns=(Column("serial", _l("Serial number")),)),
    )

    def check_record(self, record, findings: Findings) -> None:
        serials = [row["serial"].strip() for row in record.get("serials", [])]
        duplicates = sorted({s for s in serials if serials.count(s) > 1})
        if duplicates:
            findings.error("serials", _l("Serial numbers appear twice: %(list)s.",
                                         list=", ".join(duplicates)))

    def release_gates(self, batch) -> list[str]:
        record = batch.record or {}
        if not record.get("drawing_revision") or not record.get("ipc_class"):
            return [str(_l("Record the drawing revision and the IPC class before release."))]
        return []

    def qc_gates(self, batch) -> list[str]:
        serials = (batch.record or {}).get("serials") or []
        if serials and len(serials) != int(batch.good_quantity):
            return [str(_l("%(n)s serial numbers are recorded for %(good)s good harnesses.",
                           n=len(serials), good=int(batch.good_quantity)))]
        return []

    def label_fields(self, batch) -> dict[str, str]:
        record = batch.record or {}
        return {"drawing": f"{record.get('drawing_number', '')} "
                           f"rev. {record.get('drawing_revision', '')}".strip()}


