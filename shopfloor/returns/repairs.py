"""Repair tasks of returned garments: an item whose disposition is repair waits for a sewer,
who follows the picture instruction chosen for its defect on the station tablet; finishing
it puts the item into re-inspection (``services.reinspect``): passed, it may go back to
stock; failed, it waits for repair again with the inspector's note."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, commit, conflict_safe, write_audit
from shopfloor.codes import InvalidCode, parse_code
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.instructions.models import Instruction, InstructionVersion, VersionStatus
from shopfloor.returns import defects
from shopfloor.returns.models import (
    Disposition,
    ItemStatus,
    RepairInstruction,
    RepairStage,
    ReturnedItem,
)

# Worker screens: short sentences that say what to do (accessibility.md A12).
MSG_NOT_HERE = _l("This item is not in your work. Call the supervisor.")
MSG_NOT_FOR_REPAIR = _l("This item does not need a repair now. Call the supervisor.")
MSG_NO_STEPS = _l("This repair has no picture steps yet. Call the supervisor.")


def repair_links() -> dict[str, Instruction]:
    """The instruction chosen for each defect code that has one."""
    return {link.defect_code: db.session.get(Instruction, link.instruction_id)
            for link in db.session.scalars(select(RepairInstruction))}


def repair_instructions() -> list[Instruction]:
    """The instructions a repair may follow: those of the garments line, or of no product."""
    return list(db.session.scalars(select(Instruction).where(
        (Instruction.line == "garments") | (Instruction.product_id.is_(None)))
        .order_by(Instruction.title)))


def link_repair_instruction(defect_code: str, instruction_id: int | None, user) -> None:
    """Choose the picture instruction that repairs a defect of the catalogue (None: no
    instruction). Audited on the link row."""
    if defect_code not in defects.DEFECTS:
        raise DomainError(_l("Choose the defect from the catalogue."), field="defect_code")
    instruction = db.session.get(Instruction, instruction_id) if instruction_id else None
    if instruction_id and instruction is None:
        raise DomainError(_l("Choose an instruction from the list."), field=defect_code)
    link = db.session.scalar(select(RepairInstruction).where(
        RepairInstruction.defect_code == defect_code))
    if instruction is None:
        if link is not None:
            write_audit(link, "edited", user, changes={"instruction": (link.instruction_id,
                                                                       None)})
            db.session.delete(link)
            commit()
        return
    if link is None:
        link = RepairInstruction(defect_code=defect_code, instruction_id=instruction.id)
        db.session.add(link)
        write_audit(link, "created", user, changes={"instruction": (None, instruction.title)})
    else:
        apply_edits(link, {"instruction_id": instruction.id}, user)
    commit([link])


def repair_version(item: ReturnedItem) -> InstructionVersion | None:
    """The published version of the instruction chosen for the item's defect, if any."""
    if item.defect_code is None:
        return None
    return db.session.scalar(
        select(InstructionVersion)
        .join(RepairInstruction, RepairInstruction.instruction_id
              == InstructionVersion.instruction_id)
        .where(RepairInstruction.defect_code == item.defect_code,
               InstructionVersion.status == VersionStatus.PUBLISHED)
        .order_by(InstructionVersion.number.desc()).limit(1))


def repair_queue(batch_id: int | None = None) -> list[ReturnedItem]:
    """Items for repair not yet passed, oldest decision first: waiting for a sewer or for
    re-inspection (``ReturnedItem.repair_stage`` says which); of one batch if given."""
    query = select(ReturnedItem).where(
        ReturnedItem.status == ItemStatus.DECIDED.value,
        ReturnedItem.disposition == Disposition.REPAIR.value,
        ReturnedItem.reinspection_passed.is_not(True))
    if batch_id is not None:
        query = query.where(ReturnedItem.batch_id == batch_id)
    return list(db.session.scalars(query.order_by(ReturnedItem.decided_at, ReturnedItem.id)))


def items_to_repair(batch_id: int) -> list[ReturnedItem]:
    """The items of a batch a sewer may repair now."""
    return [item for item in repair_queue(batch_id)
            if item.repair_stage == RepairStage.TO_REPAIR]


def item_to_repair(batch_id: int | None, text: str) -> ReturnedItem:
    """The item a worker scanned (its tag) or picked, checked to be theirs to repair."""
    try:
        code = parse_code(text or "")
    except InvalidCode:
        raise DomainError(MSG_NOT_HERE, field="answer") from None
    item = db.session.scalar(select(ReturnedItem).where(ReturnedItem.item_code == code))
    if item is None or batch_id is None or item.batch_id != batch_id:
        raise DomainError(MSG_NOT_HERE, field="answer")
    if item.repair_stage != RepairStage.TO_REPAIR:
        raise DomainError(MSG_NOT_FOR_REPAIR, field="answer")
    return item


@conflict_safe
def finish_repair(item: ReturnedItem, user, worker=None,
                  version: InstructionVersion | None = None,
                  now: datetime | None = None) -> None:
    """The repair is done: by a worker on the tablet (``worker``, following ``version``)
    or recorded in the office by ``user``; the item waits for re-inspection."""
    if item.repair_stage != RepairStage.TO_REPAIR:
        raise DomainError(MSG_NOT_FOR_REPAIR, field="repair")
    apply_edits(item, {"repaired_by": worker.id if worker is not None else None,
                       "repair_version_id": version.id if version is not None else None,
                       "reinspection_passed": None}, user,
                reason=(str(_l("Repaired by %(name)s on the tablet.", name=worker.first_name))
                        if worker is not None else None))
    item.repaired_at = now or utcnow()
    write_audit(item, "edited", user, changes={"repaired_at": (None, item.repaired_at)})
    commit([item])
