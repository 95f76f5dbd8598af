"""Demo intake and repairs on Moda Wtórna's garments batch in progress: a parcel scanned in
(with a photo), a parcel without a return number set aside, the seam-repair picture
instruction for defect M02, one jacket waiting for its repair and one repaired by Ola,
waiting for re-inspection."""

from __future__ import annotations

from sqlalchemy import func, select

from shopfloor.core.demo.partners import PARTNERS_BY_KEY
from shopfloor.core.demo.pictures import draw_scene
from shopfloor.extensions import db
from shopfloor.instructions.services import (
    StepData,
    add_step,
    create_instruction,
    publish_version,
    set_materials_and_tools,
    set_step_photo,
)
from shopfloor.partners.models import Partner
from shopfloor.production.models import Batch
from shopfloor.production.status import BatchStatus
from shopfloor.returns.intake import IntakeData, intake_item
from shopfloor.returns.models import ItemStatus, RepairInstruction, ReturnedItem
from shopfloor.returns.repairs import finish_repair, link_repair_instruction
from shopfloor.returns.services import record_defect, set_disposition
from shopfloor.timeutil import local_today
from shopfloor.workers.models import Worker

REPAIR_TITLE = "Naprawa rozprutego szwu"
# (kind, pictogram, caption, photo description, scene[, good, bad])
REPAIR_STEPS = (
    ("do", "look", "Znajdź rozprute miejsce.", "Kurtka z rozprutym szwem", "garment-seam-bad"),
    ("do", "sew", "Zszyj szew szarą nicią.", "Igła z szarą nicią nad szwem", "garment-sew"),
    ("check", "look", "Obejrzyj szew. Czy jest cały?", "Zszyty szew", "garment-check",
     "garment-seam-good", "garment-seam-bad"),
)


def _repair_instruction(user) -> int:
    instruction = create_instruction(REPAIR_TITLE, user, line="garments")
    version = instruction.versions[0]
    set_materials_and_tools(version, ["Nici szare"], ["Igła", "Nożyczki"], user)
    for kind, pictogram, caption, alt, scene, *check in REPAIR_STEPS:
        step = add_step(version, StepData(kind, caption, alt, pictogram), user)
        set_step_photo(step, draw_scene(scene), user)
        if check:
            set_step_photo(step, draw_scene(check[0]), user, which="good_photo")
            set_step_photo(step, draw_scene(check[1]), user, which="bad_photo")
    publish_version(version, user)
    link_repair_instruction("M02", instruction.id, user)
    return instruction.id


def load_intake_and_repairs(user) -> int:
    """The intake and repair story, once; returns how many records it touched."""
    if db.session.scalar(select(func.count(RepairInstruction.id))):
        return 0
    moda = db.session.scalar(select(Partner.id).where(
        Partner.name == PARTNERS_BY_KEY["moda"].name))
    batch = db.session.scalar(select(Batch).join(ReturnedItem, ReturnedItem.batch_id == Batch.id)
                              .where(Batch.line == "garments", ReturnedItem.partner_id == moda,
                                     Batch.status == BatchStatus.IN_PROGRESS.value)
                              .order_by(Batch.id).limit(1))
    if batch is None:
        return 0
    _repair_instruction(user)
    waiting = list(db.session.scalars(select(ReturnedItem).where(
        ReturnedItem.batch_id == batch.id, ReturnedItem.status == ItemStatus.RECEIVED.value,
        ReturnedItem.defect_code.is_(None)).order_by(ReturnedItem.id).limit(2)))
    for item in waiting:
        record_defect(item, "M02", "A", user)
        set_disposition(item, "repair", user)
    ola = db.session.scalar(select(Worker).where(Worker.first_name == "Ola"))
    if len(waiting) == 2:
        from shopfloor.returns.repairs import repair_version

        finish_repair(waiting[1], None, worker=ola, version=repair_version(waiting[1]))
    today = local_today().isoformat()
    intake_item(batch, IntakeData(rma="MW-RMA-49001", order_no="SKLEP-2612-0417",
                                  sku="KRT-ROB-02", ean="5901234123457", size="L",
                                  colour="granatowa", reason="defect", received_on=today,
                                  tracking_no="INPOST-6200123"),
                [draw_scene("garment-seam-bad")], user)
    intake_item(batch, IntakeData(order_no="SKLEP-2612-0433", sku="SPD-ROB-01", size="52",
                                  colour="khaki", reason="size", received_on=today), [], user)
    return 3 + len(waiting)
