"""Intake of returned garments by scanning: one parcel at a time into a garments batch that
is released or in progress. The item is added to the batch record through the production
service (so the line's checks, the audit and the item rows all run), together with its
photos in the same transaction; a parcel without a return number (RMA) is set aside."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.codes import KIND_ITEM, new_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines.garments import REASONS, item_key, item_problems
from shopfloor.production.models import Batch
from shopfloor.production.status import BatchStatus
from shopfloor.returns.models import ReturnedItem
from shopfloor.returns.services import MAX_PHOTOS, PENDING_PHOTOS, PHOTO_AREA
from shopfloor.timeutil import local_today
from shopfloor.uploads import photo_path, save_photo

LINE = "garments"
INTAKE_STATUSES = (BatchStatus.RELEASED.value, BatchStatus.IN_PROGRESS.value)
MSG_BATCH = _l("Choose a garments batch that is released or in progress.")
MSG_DATE = _l("Enter a date as YYYY-MM-DD.")
MSG_FUTURE = _l("This date is in the future.")
MSG_TOO_LONG = _l("At most %(n)s characters.")
LIMITS = {"rma": 40, "order_no": 40, "sku": 40, "ean": 14, "size": 20, "colour": 40,
          "tracking_no": 40}


@dataclass
class IntakeData:
    """One parcel as typed or scanned at intake (every value as text)."""

    rma: str = ""
    order_no: str = ""
    sku: str = ""
    ean: str = ""
    size: str = ""
    colour: str = ""
    reason: str = ""
    received_on: str = ""
    complaint_on: str = ""
    tracking_no: str = ""

    @classmethod
    def from_form(cls, form) -> IntakeData:
        """The fields of a submitted form, trimmed (a scanner may add spaces)."""
        return cls(**{name: (form.get(name) or "").strip() for name in cls.__dataclass_fields__})


def intake_batches() -> list[Batch]:
    """The garments batches a parcel can be added to: released or in progress."""
    return list(db.session.scalars(select(Batch).where(
        Batch.line == LINE, Batch.status.in_(INTAKE_STATUSES)).order_by(Batch.id.desc())))


def _parse_day(text: str, today: date) -> date | str | None:
    """The date, None when empty, or the message saying what is wrong with it."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return str(MSG_DATE)
    return str(MSG_FUTURE) if day > today else day


def intake_problems(batch: Batch | None, data: IntakeData,
                    today: date | None = None) -> dict[str, str]:
    """Every problem of one parcel, by field, checked before anything is stored."""
    today = today or local_today()
    problems: dict[str, str] = {}
    if batch is None or batch.line != LINE or batch.status not in INTAKE_STATUSES:
        problems["batch_id"] = str(MSG_BATCH)
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            problems[name] = str(MSG_TOO_LONG % {"n": limit})
    if data.reason not in {code for code, _label in REASONS}:
        problems["reason"] = str(_l("Choose the reason for the return."))
    days = {}
    for name in ("received_on", "complaint_on"):
        parsed = _parse_day(getattr(data, name), today)
        if isinstance(parsed, str):
            problems[name] = parsed
        else:
            days[name] = parsed
    row = {**asdict(data), **days}
    for name, message in item_problems(row).items():
        problems.setdefault(name, message)
    key = item_key(row)
    if batch is not None and key is not None and "rma" not in problems and any(
            item_key(other) == key for other in (batch.record or {}).get("items", [])):
        problems["rma"] = str(_l("This RMA with this SKU is already in the batch."))
    return problems


def _new_item_code() -> str:
    while True:
        code = new_code(KIND_ITEM)
        if db.session.scalar(select(ReturnedItem.id).where(
                ReturnedItem.item_code == code)) is None:
            return code


def _forget(names: list[str]) -> None:
    for name in names:
        path = photo_path(PHOTO_AREA, name)
        if path is not None:
            path.unlink(missing_ok=True)


def intake_item(batch: Batch | None, data: IntakeData, photos: list[bytes], user,
                expected_version: int | str | None = None) -> ReturnedItem:
    """Add one parcel to a garments batch: a new row of its record (through
    ``production.services.update_batch_record``) and its photos, in one transaction. Raises
    ``IntakeRefused`` naming every field that is wrong; then nothing is stored."""
    from shopfloor.production.services import RecordInvalid, update_batch_record

    today = local_today()
    problems = intake_problems(batch, data, today)
    photos = [photo for photo in photos if photo]
    if len(photos) > MAX_PHOTOS:
        problems["photos"] = str(_l("At most %(n)s photos for one item.", n=MAX_PHOTOS))
    if problems:
        raise IntakeRefused(problems)
    stored: list[str] = []
    try:
        for photo in photos:
            stored.append(save_photo(photo, PHOTO_AREA))
    except DomainError as exc:
        _forget(stored)
        raise IntakeRefused({"photos": str(exc.message)}) from None
    code = _new_item_code()
    row = {**asdict(data), "item_code": code,
           "received_on": data.received_on or today.isoformat(),
           "complaint_on": data.complaint_on or None}
    record = dict(batch.record or {})
    record["items"] = [*record.get("items", []), row]
    db.session.info[PENDING_PHOTOS] = {code: stored}
    try:
        update_batch_record(batch, record, user, expected_version=expected_version,
                            reason=_("Intake of returned item %(code)s.", code=code))
    except RecordInvalid as exc:
        db.session.rollback()
        _forget(stored)
        messages = [m for found in exc.findings.errors.values() for m in found]
        raise IntakeRefused({"form": " ".join(messages)}) from None
    except Exception:
        db.session.rollback()
        _forget(stored)
        raise
    finally:
        db.session.info.pop(PENDING_PHOTOS, None)
    return db.session.scalar(select(ReturnedItem).where(ReturnedItem.item_code == code))


class IntakeRefused(DomainError):
    """Some fields of the parcel are wrong: ``problems`` says which and why."""

    def __init__(self, problems: dict[str, str]):
        first = next(iter(problems))
        super().__init__(problems[first], field=first)
        self.problems = problems


def authorise_item(item: ReturnedItem, rma: str, user,
                   expected_version: int | str | None = None) -> None:
    """The partner authorised a parcel that was set aside: its return number is recorded in
    the batch record (through the production service) and the item is received."""
    from shopfloor.audit.services import check_version
    from shopfloor.production.services import RecordInvalid, update_batch_record
    from shopfloor.returns.models import ItemStatus

    check_version(item, expected_version)
    rma = (rma or "").strip()
    if item.status != ItemStatus.SET_ASIDE:
        raise DomainError(_l("This item already has its return number."), field="rma")
    if not rma:
        raise DomainError(_l("Scan or type the RMA number the partner gave."), field="rma")
    if len(rma) > LIMITS["rma"]:
        raise DomainError(MSG_TOO_LONG % {"n": LIMITS["rma"]}, field="rma")
    batch = item.batch
    rows = [dict(row) for row in (batch.record or {}).get("items", [])]
    mine = next(row for row in rows if row.get("item_code") == item.item_code)
    mine["rma"] = rma
    if any(item_key(row) == item_key(mine) for row in rows if row is not mine):
        raise DomainError(_l("This RMA with this SKU is already in the batch."), field="rma")
    try:
        update_batch_record(batch, {**(batch.record or {}), "items": rows}, user,
                            reason=_("The partner authorised the return: RMA %(rma)s.",
                                     rma=rma))
    except RecordInvalid as exc:
        db.session.rollback()
        raise DomainError(" ".join(m for found in exc.findings.errors.values()
                                   for m in found), field="rma") from None
