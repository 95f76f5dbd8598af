"""Returned items: kept in step with the garments batch record, defect photos, a disposition
set by the cooperative, and the "repair or write off?" question put to the partner and
answered by them (portal or API). Every change is audited; asking publishes
``return_item.needs_decision`` (webhooks and e-mail) in the same transaction."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.auth.models import Role
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.returns import defects
from shopfloor.returns.models import (
    DECISION_ANSWERS,
    Disposition,
    ItemStatus,
    ReturnedItem,
    ReturnedItemPhoto,
)
from shopfloor.uploads import save_photo

PHOTO_AREA = "returns"
MAX_PHOTOS = 6
MSG_HAS_HISTORY = _l("Item %(code)s already has a disposition or a question to the partner: "
                     "it cannot be taken off the list.")
MSG_KEEPS_RMA = _l("Item %(code)s is being handled under its RMA number: the number stays.")
MSG_SET_ASIDE = _l("This parcel came without a return number (RMA): it is set aside. Record "
                   "the RMA once the partner authorises the return, or send it back.")
# Photos taken at intake, waiting in the session for the item row the record's save makes.
PENDING_PHOTOS = "returns.pending_photos"


def _partner_and_order(batch) -> tuple[int | None, int | None]:
    """The partner and order a batch serves (its first order line), if any."""
    for allocation in batch.allocations:
        order = allocation.order_line.order
        return order.partner_id, order.id
    return None, None


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def refuse_losing_items(batch, record: dict) -> None:
    """Refuse a record that drops an item something happened to (a question to the
    partner, a disposition, photos): what the partner saw must not vanish silently."""
    rows = (record or {}).get("items", [])
    listed = {row.get("item_code") for row in rows}
    without_rma = sorted(row["item_code"] for row in rows
                         if row.get("item_code") and not (row.get("rma") or "").strip())
    for item in db.session.scalars(select(ReturnedItem).where(
            ReturnedItem.batch_id == batch.id, ReturnedItem.item_code.in_(without_rma),
            ReturnedItem.rma != "")):
        if item.status not in (ItemStatus.RECEIVED, ItemStatus.SET_ASIDE) or item.disposition:
            raise DomainError(MSG_KEEPS_RMA % {"code": item.item_code}, field="record")
    for item in db.session.scalars(select(ReturnedItem).where(
            ReturnedItem.batch_id == batch.id, ReturnedItem.item_code.not_in(
                sorted(code for code in listed if code)))):
        if item.status != ItemStatus.RECEIVED or item.disposition or item.photos:
            raise DomainError(MSG_HAS_HISTORY % {"code": item.item_code}, field="record")


def sync_items(batch, user) -> None:
    """Make the batch's returned-item rows match its record's ``items`` (called by the
    garments plug-in after the record is saved, inside that transaction; no commit): new
    item codes get a row, listed ones are updated, and an unlisted one (checked by
    ``refuse_losing_items`` to have no history) loses its row."""
    listed = {row["item_code"]: row for row in (batch.record or {}).get("items", [])
              if row.get("item_code")}
    partner_id, order_id = _partner_and_order(batch)
    existing = {item.item_code: item for item in db.session.scalars(
        select(ReturnedItem).where(ReturnedItem.batch_id == batch.id))}
    for code, item in existing.items():
        if code not in listed:
            db.session.delete(item)
    pending = db.session.info.get(PENDING_PHOTOS) or {}
    for code, row in listed.items():
        values = {key: (row.get(key) or "").strip() for key in TEXT_FIELDS}
        values.update(reason=row["reason"], received_on=_day(row.get("received_on")),
                      complaint_on=_day(row.get("complaint_on")),
                      partner_id=partner_id, order_id=order_id)
        item = existing.get(code)
        if item is None:
            status = ItemStatus.RECEIVED if values["rma"] else ItemStatus.SET_ASIDE
            item = ReturnedItem(item_code=code, batch_id=batch.id, status=status.value,
                                **values)
            for name in pending.get(code, ()):
                item.photos.append(ReturnedItemPhoto(name=name,
                                                     added_by=user.id if user else None))
            db.session.add(item)
            write_audit(item, "created", user, to_status=item.status)
            continue
        status = _status_for_rma(item, values["rma"])
        if status != item.status:
            write_audit(item, "status", user, from_status=item.status, to_status=status)
            values["status"] = status
        if any(getattr(item, key) != value for key, value in values.items()):
            apply_edits(item, values, user)


TEXT_FIELDS = ("rma", "sku", "ean", "order_no", "size", "colour", "tracking_no")


def _status_for_rma(item: ReturnedItem, rma: str) -> str:
    """A parcel set aside is received once its return number is recorded; a received item
    whose number is taken away is set aside again (``refuse_losing_items`` allows that
    only before anything was decided)."""
    if item.status == ItemStatus.SET_ASIDE and rma:
        return ItemStatus.RECEIVED.value
    if item.status == ItemStatus.RECEIVED and not rma and not item.disposition:
        return ItemStatus.SET_ASIDE.value
    return item.status


def items_of_batch(batch_id: int) -> list[ReturnedItem]:
    """The returned items of a batch, in the order they were listed."""
    return list(db.session.scalars(select(ReturnedItem).where(ReturnedItem.batch_id == batch_id)
                                   .order_by(ReturnedItem.id)))


@conflict_safe
def add_photo(item: ReturnedItem, data: bytes, user, caption: str = "") -> ReturnedItemPhoto:
    """Add a photo of the item's defect (checked, EXIF removed, re-encoded)."""
    if len(item.photos) >= MAX_PHOTOS:
        raise DomainError(_l("An item has at most %(n)s photos. Remove one first.",
                             n=MAX_PHOTOS), field="photo")
    name = save_photo(data, PHOTO_AREA)
    photo = ReturnedItemPhoto(name=name, caption=caption.strip()[:200],
                              added_by=user.id if user else None)
    item.photos.append(photo)
    write_audit(item, "edited", user, changes={"photos": (len(item.photos) - 1,
                                                           len(item.photos))})
    commit([item])
    return photo


@conflict_safe
def set_defect_note(item: ReturnedItem, note: str, user,
                    expected_version: int | str | None = None) -> None:
    """What is wrong with the item, in words the partner reads."""
    check_version(item, expected_version)
    apply_edits(item, {"defect_note": note.strip()}, user)
    commit([item])


@conflict_safe
def record_defect(item: ReturnedItem, code: str | None, zone: str | None, user,
                  expected_version: int | str | None = None) -> None:
    """The defect found at inspection, from the catalogue, and its zone (A or B); none
    (both empty) for an item without a defect."""
    check_version(item, expected_version)
    code, zone = (code or None), (zone or None)
    if code is not None and code not in defects.DEFECTS:
        raise DomainError(_l("Choose the defect from the catalogue."), field="defect_code")
    if code is not None and zone not in defects.ZONES:
        raise DomainError(_l("Say where it is: zone A (front, upper sleeve, collar) or B "
                             "(underarm, inside)."), field="defect_zone")
    if code is None:
        zone = None
    apply_edits(item, {"defect_code": code, "defect_zone": zone}, user)
    commit([item])


def _partner_bans_destruction(item: ReturnedItem) -> bool:
    from shopfloor.partners.models import Partner

    partner = db.session.get(Partner, item.partner_id) if item.partner_id else None
    return partner is None or partner.destruction_ban


@conflict_safe
def set_disposition(item: ReturnedItem, disposition: str, user, exemption: str = "",
                    expected_version: int | str | None = None) -> None:
    """The cooperative decides what becomes of the item (not while the partner is asked),
    within the rules of ``returns.defects``: a repair needs the defect and its zone, a
    critical defect never goes on sale or to a charity, a major one back to stock only after
    a passed re-inspection, and destroying is refused under the EU ban unless the exemption
    that allows it is recorded."""
    check_version(item, expected_version)
    if disposition not in {d.value for d in Disposition}:
        raise DomainError(_l("Choose what becomes of the item."), field="disposition")
    if item.status == ItemStatus.AWAITING_DECISION:
        raise DomainError(_l("The partner has been asked about this item: wait for the "
                             "answer."), field="disposition")
    if (item.status == ItemStatus.SET_ASIDE) != (disposition == Disposition.RETURN_TO_PARTNER):
        raise DomainError(MSG_SET_ASIDE if item.status == ItemStatus.SET_ASIDE else _l(
            "Only a parcel without a return number (RMA) is sent back to the partner."),
            field="disposition")
    if (item.disposition == Disposition.REPAIR and disposition in defects.ON_SALE
            and not item.reinspection_passed):
        raise DomainError(_l("Finish the repair and pass its re-inspection first."),
                          field="disposition")
    exemption = (exemption or "").strip() if disposition == Disposition.DESTROY else ""
    problem = defects.disposition_problem(disposition, item.defect_code, item.defect_zone,
                                          _partner_bans_destruction(item), exemption,
                                          item.reinspection_passed)
    if problem:
        raise DomainError(defects.PROBLEMS[problem], field="disposition")
    previous = item.status
    apply_edits(item, {"disposition": disposition, "status": ItemStatus.DECIDED.value,
                       "destroy_exemption": exemption}, user)
    if item.decided_at is None:
        item.decided_at = utcnow()
    if previous != ItemStatus.DECIDED:
        write_audit(item, "status", user, from_status=previous, to_status=ItemStatus.DECIDED)
    commit([item])


@conflict_safe
def reinspect(item: ReturnedItem, passed: bool, user, note: str = "",
              now: datetime | None = None, expected_version: int | str | None = None) -> None:
    """The re-inspection of a repaired item: passed, it may go back to stock; failed, it
    goes back to repair with a note saying what is still wrong (both audited)."""
    check_version(item, expected_version)
    if item.disposition != Disposition.REPAIR:
        raise DomainError(_l("Only a repaired item is re-inspected."), field="reinspection")
    if item.repaired_at is None:
        raise DomainError(_l("The repair is not finished yet: re-inspect it after the "
                             "repair."), field="reinspection")
    note = (note or "").strip()[:1000]
    if not passed and not note:
        raise DomainError(_l("Say what is still wrong: the sewer reads it before repairing "
                             "again."), field="reinspection_note")
    values = {"reinspection_passed": passed, "reinspection_note": note}
    if not passed:
        values["repaired_at"] = None  # back in the repair queue
    apply_edits(item, values, user, reason=note or None)
    item.reinspected_at = now or utcnow()
    commit([item])


@conflict_safe
def ask_partner(item: ReturnedItem, question: str, user, now: datetime | None = None,
                expected_version: int | str | None = None) -> str:
    """Ask the partner "repair or write off?" about an item, with the defect described and
    at least one photo; publishes ``return_item.needs_decision``. Returns the event id."""
    from shopfloor.portal.events import publish_item_needs_decision

    check_version(item, expected_version)
    if item.partner_id is None:
        raise DomainError(_l("This batch serves no partner's order: there is nobody to ask."),
                          field="question")
    if item.status == ItemStatus.SET_ASIDE:
        raise DomainError(MSG_SET_ASIDE, field="question")
    if item.status != ItemStatus.RECEIVED:
        raise DomainError(_l("The partner can be asked only about an item without a "
                             "disposition."), field="question")
    if not item.photos:
        raise DomainError(_l("Add a photo of the defect first: the partner decides from it."),
                          field="photo")
    if item.defect_code is None or item.defect_zone is None:
        raise DomainError(_l("Record the defect from the catalogue and its zone first: a "
                             "repair needs them."), field="defect_code")
    text = question.strip() or item.defect_note.strip()
    if not text:
        raise DomainError(_l("Describe the defect for the partner."), field="question")
    apply_edits(item, {"question": text, "status": ItemStatus.AWAITING_DECISION.value,
                       "asked_by": user.id if user else None}, user)
    item.asked_at = now or utcnow()
    write_audit(item, "status", user, from_status=ItemStatus.RECEIVED,
                to_status=ItemStatus.AWAITING_DECISION)
    event_id = publish_item_needs_decision(item, now=item.asked_at)
    commit([item])
    return event_id


class AnswerNotAllowed(DomainError):
    """The account may read the partner's orders but not decide on them."""

    status_code = 403


class AlreadyAnswered(DomainError):
    """The item is not (or no longer) waiting for the partner's answer."""

    status_code = 409


@conflict_safe
def answer_decision(item: ReturnedItem, answer: str, user, note: str = "",
                    now: datetime | None = None) -> None:
    """The partner's answer: ``repair`` or ``write_off`` (recycled or donated, never
    destroyed). Only an account that may send orders answers; a second answer is refused."""
    if getattr(user, "role", None) != Role.PARTNER_ORDERER:
        raise AnswerNotAllowed(_l("Your account may see orders but not decide on them. Ask "
                                  "a colleague who sends orders."), field="answer")
    if item.status != ItemStatus.AWAITING_DECISION:
        raise AlreadyAnswered(_l("This item is not waiting for your decision (it may have "
                                 "been answered already)."), field="answer")
    if answer not in DECISION_ANSWERS:
        raise DomainError(_l("Answer repair or write off."), field="answer")
    apply_edits(item, {"disposition": answer, "status": ItemStatus.DECIDED.value,
                       "answer_note": note.strip()[:1000], "answered_by": user.id}, user)
    item.answered_at = now or utcnow()
    item.decided_at = item.decided_at or item.answered_at
    write_audit(item, "status", user, from_status=ItemStatus.AWAITING_DECISION,
                to_status=ItemStatus.DECIDED, reason=note.strip() or None)
    commit([item])
