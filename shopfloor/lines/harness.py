"""Wire-harness assembly, following shared/domain.md section 2.

The product's harness type (``shopfloor.harness``) holds the drawing, its revision, the
IPC/WHMA-A-620 class, the connectors and the wire list; the batch record names the drawing
and revision it is made to, which must be the type's. Production starts only after a passing
crimp set-up, and the tablet refuses steps while the set-up in force has failed. Each
harness gets a serial number; the 100 % electrical test is recorded per serial with its
rework loop; packing refuses a serial without a pass; QC signs off only when every harness
passed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.harness import services
from shopfloor.harness.face import connector_face_svg
from shopfloor.lines import fields as f
from shopfloor.lines.base import Findings, LinePlugin, RecordField

IPC_CLASSES = ("1", "2", "3")


class HarnessRecordSchema(Schema):
    drawing_number = f.text(max_length=60)
    drawing_revision = f.text(max_length=20)
    ipc_class = f.choice(IPC_CLASSES)


def setup_refusal(batch) -> str | None:
    """Why work on a harness batch may not go on (no crimp set-up, or a failed one)."""
    setup = services.latest_setup(batch)
    if setup is None:
        return str(_l("No crimp set-up is recorded. Call the supervisor."))
    if not setup.passed:
        return str(_l("The crimp set-up did not pass. Call the supervisor."))
    return None


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
    )

    def check_for_batch(self, batch, record, findings: Findings) -> None:
        harness_type = services.harness_type_of(batch.product_id)
        if harness_type is None:
            return
        for name, expected in (("drawing_number", harness_type.drawing_number),
                               ("drawing_revision", harness_type.drawing_revision),
                               ("ipc_class", harness_type.ipc_class)):
            given = record.get(name)
            if given and expected and str(given).strip().upper() != expected:
                findings.error(name, _l("The harness type says %(expected)s.",
                                        expected=expected))

    def release_gates(self, batch) -> list[str]:
        record = batch.record or {}
        if not record.get("drawing_revision") or not record.get("ipc_class"):
            return [str(_l("Record the drawing revision and the IPC class before release."))]
        return []

    def start_gates(self, batch) -> list[str]:
        refusal = setup_refusal(batch)
        return [str(_l("Record a passing crimp set-up before production starts."))] \
            if refusal else []

    def work_refusal(self, batch) -> str | None:
        return setup_refusal(batch)

    def qc_gates(self, batch) -> list[str]:
        units = services.units_of(batch)
        problems = []
        if not units:
            problems.append(str(_l("Give each harness its serial number and test it.")))
        untested = [u.serial for u in units if u.status not in ("passed", "packed")]
        if untested:
            problems.append(str(_l("Without a passed electrical test: %(list)s.",
                                   list=", ".join(untested))))
        if units and len(units) != int(batch.good_quantity):
            problems.append(str(_l("%(n)s serial numbers are recorded for %(good)s good "
                                   "harnesses.", n=len(units), good=int(batch.good_quantity))))
        return problems

    def step_figure_choices(self, product_id) -> tuple:
        harness_type = services.harness_type_of(product_id) if product_id else None
        return tuple((c["name"], _l("Connector %(name)s", name=c["name"]))
                     for c in (harness_type.connectors if harness_type else []))

    def step_figure(self, batch, step):
        name = (step.settings or {}).get("figure")
        harness_type = services.harness_type_of(batch.product_id) if name else None
        connector = harness_type.connector(name) if harness_type else None
        return connector_face_svg(connector, harness_type.wires) if connector else None

    def batch_panel(self, batch):
        from shopfloor.harness.display import batch_panel

        return "harness/_batch_panel.html", batch_panel(batch)

    def label_fields(self, batch) -> dict[str, str]:
        record = batch.record or {}
        return {"drawing": f"{record.get('drawing_number', '')} "
                           f"rev. {record.get('drawing_revision', '')}".strip()}
