"""State changes of batches: plan, move through statuses, record output and consumption."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from shopfloor.audit.services import (
    apply_edits,
    apply_transition,
    check_version,
    commit,
    conflict_safe,
    write_audit,
)
from shopfloor.catalog.models import Product
from shopfloor.codes import KIND_BATCH, InvalidCode, format_code, parse_code
from shopfloor.database import new_unique_code, utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import get_line
from shopfloor.lines.base import Findings
from shopfloor.materials.models import LotStatus, MaterialLot
from shopfloor.materials.services import remaining_quantity
from shopfloor.orders.models import Order, OrderLine
from shopfloor.orders.services import refresh_order_status
from shopfloor.orders.status import OrderStatus
from shopfloor.production.models import (
    Batch,
    BatchAllocation,
    BatchDeviation,
    BatchReject,
    Consumption,
)
from shopfloor.production.status import (
    BATCH_MACHINE,
    BATCH_STATUS_NAMES,
    NEEDS_REASON,
    UNRELEASED,
    BatchStatus,
)
from shopfloor.units import format_quantity, plain_quantity

PLANNABLE_ORDER_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION,
                                      OrderStatus.READY, OrderStatus.PARTLY_SHIPPED})
CONSUMING_STATUSES = frozenset({BatchStatus.PLANNED, BatchStatus.RELEASED,
                                BatchStatus.IN_PROGRESS})
OUTPUT_STATUSES = frozenset({BatchStatus.IN_PROGRESS, BatchStatus.AWAITING_QC})
QUANTITY_STEP = Decimal("0.001")  # what Numeric(14, 3) keeps


class RecordInvalid(DomainError):
    """The line's batch record has errors; ``findings`` says which field and why."""

    def __init__(self, findings: Findings):
        super().__init__(_l("The batch record needs correcting."), field="record")
        self.findings = findings


@dataclass
class AllocationData:
    """Part of a batch meant for one order line."""

    order_line_id: int
    quantity: Decimal


def _orders_of(batch: Batch) -> list[Order]:
    ids = {a.order_line.order_id for a in batch.allocations}
    return [db.session.get(Order, order_id) for order_id in sorted(ids)]


def plan_batch(product_id: int | None, planned_quantity: Decimal | None,
               allocations: list[AllocationData], user, notes: str = "") -> Batch:
    """Plan a batch of one product, optionally serving order lines of that product."""
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or not product.active:
        raise DomainError(_l("Choose a product from the list."), field="product_id")
    if planned_quantity is None or planned_quantity <= 0:
        raise DomainError(_l("The quantity must be more than zero."), field="planned_quantity")
    total = Decimal(0)
    for allocation in allocations:
        line = db.session.get(OrderLine, allocation.order_line_id)
        if line is None or line.product_id != product.id:
            raise DomainError(_l("Choose order lines for this product."), field="allocations")
        if line.order.status not in PLANNABLE_ORDER_STATUSES:
            raise DomainError(_l("Order %(code)s is not confirmed.", code=line.order.code),
                              field="allocations")
        if allocation.quantity is None or allocation.quantity <= 0:
            raise DomainError(_l("The quantity must be more than zero."), field="allocations")
        if allocation.quantity > line.quantity:
            raise DomainError(_l("Order %(code)s line %(no)s needs only %(qty)s.",
                                 code=line.order.code, no=line.line_no,
                                 qty=format_quantity(line.quantity)), field="allocations")
        total += allocation.quantity
    if total > planned_quantity:
        raise DomainError(_l("The order lines take more than the batch will make."),
                          field="allocations")
    batch = Batch(code=new_unique_code(Batch, KIND_BATCH), line=product.line,
                  product_id=product.id, planned_quantity=planned_quantity, notes=notes.strip(),
                  record={},
                  allocations=[BatchAllocation(order_line_id=a.order_line_id,
                                               quantity=a.quantity) for a in allocations])
    db.session.add(batch)
    write_audit(batch, "created", user, to_status=batch.status)
    db.session.flush()
    for order in _orders_of(batch):
        refresh_order_status(order, user)
    commit([batch])
    return batch


@conflict_safe
def update_batch_record(batch: Batch, data: dict, user, reason: str = "",
                        expected_version: int | str | None = None) -> Findings:
    """Save the line's batch record; after release every change needs a reason (audited).

    Returns the findings so the page can show the line's warnings.
    """
    check_version(batch, expected_version)
    if BATCH_MACHINE.is_final(batch.status):
        raise DomainError(_l("A finished batch cannot be changed."), field="record")
    plugin = get_line(batch.line)
    record, findings = plugin.load_record(data)
    if findings.ok:
        plugin.check_for_batch(batch, record, findings)
    if not findings.ok:
        raise RecordInvalid(findings)
    stored = plugin.dump_record(record)
    plugin.guard_record_change(batch, stored)
    apply_edits(batch, {"record": stored}, user, reason=reason,
                reason_required=batch.status not in UNRELEASED)
    plugin.record_saved(batch, user)
    keep_findings(batch, findings, user)
    commit([batch])
    return findings


def keep_findings(batch: Batch, findings: Findings, user) -> list[BatchDeviation]:
    """Keep the line's warnings with the batch (each message once), in the caller's
    transaction. A finding that sends the batch to QC is kept too and, while the batch is
    in progress, moves it to "awaiting QC" with the finding as the reason (audited)."""
    known = {(d.severity, d.message) for d in batch.deviations}
    added = []
    for severity, messages in (("warning", findings.warnings), ("qc", findings.to_qc)):
        for message in messages:
            if (severity, message) not in known:
                known.add((severity, message))
                deviation = BatchDeviation(severity=severity, message=message,
                                           user_id=getattr(user, "id", None))
                batch.deviations.append(deviation)
                added.append(deviation)
    if findings.to_qc and batch.status == BatchStatus.IN_PROGRESS:
        apply_transition(batch, BATCH_MACHINE, BatchStatus.AWAITING_QC, user,
                         status_names=BATCH_STATUS_NAMES, reason=" ".join(findings.to_qc))
    return added


def _gates(batch: Batch, to_status: str) -> list[str]:
    plugin = get_line(batch.line)
    problems: list[str] = []
    if to_status == BatchStatus.RELEASED and batch.status == BatchStatus.PLANNED:
        problems += plugin.release_gates(batch)
        for consumption in batch.consumptions:
            if consumption.lot.status != LotStatus.APPROVED:
                problems.append(str(_l("Lot %(code)s is not approved.",
                                       code=consumption.lot.code)))
    if to_status == BatchStatus.IN_PROGRESS and batch.status == BatchStatus.RELEASED:
        problems += plugin.start_gates(batch)
    if to_status == BatchStatus.DONE:
        if batch.good_quantity <= 0 and not batch.rejects:
            problems.append(str(_l("Record the good and rejected quantities first.")))
        problems += plugin.qc_gates(batch)
    if batch.status == BatchStatus.ON_HOLD and to_status != BatchStatus.SCRAPPED \
            and to_status != batch.held_from:
        problems.append(str(_l("A batch on hold goes back to “%(status)s”.",
                               status=BATCH_STATUS_NAMES.get(batch.held_from, batch.held_from))))
    return problems


@conflict_safe
def move_batch(batch: Batch, to_status: str, user, reason: str = "",
               expected_version: int | str | None = None) -> None:
    """Move a batch through its statuses, checking the line's gates; orders follow."""
    if to_status in NEEDS_REASON and not reason.strip():
        raise DomainError(_l("Say why."), field="reason")
    from_status = batch.status
    apply_transition(batch, BATCH_MACHINE, to_status, user, status_names=BATCH_STATUS_NAMES,
                     reason=reason, expected_version=expected_version,
                     problems=_gates(batch, to_status) if BATCH_MACHINE.can(
                         from_status, to_status) else ())
    if to_status == BatchStatus.AWAITING_QC:
        closing = Findings()
        get_line(batch.line).closing_findings(batch, closing)
        keep_findings(batch, closing, user)
    now = utcnow()
    if to_status == BatchStatus.ON_HOLD:
        batch.held_from = from_status
    elif from_status == BatchStatus.ON_HOLD:
        batch.held_from = None
    if to_status == BatchStatus.RELEASED and batch.released_at is None:
        batch.released_at = now
    if to_status == BatchStatus.IN_PROGRESS and batch.started_at is None:
        batch.started_at = now
    if to_status in (BatchStatus.DONE, BatchStatus.SCRAPPED):
        batch.finished_at = now
    db.session.flush()
    for order in _orders_of(batch):
        refresh_order_status(order, user)
    commit([batch])


@dataclass
class RejectData:
    """Rejected units and the reason."""

    reason: str
    quantity: Decimal


@conflict_safe
def record_output(batch: Batch, good_quantity: Decimal | None, rejects: list[RejectData],
                  user, reason: str = "", expected_version: int | str | None = None) -> None:
    """Record how many units came out good and how many were rejected, and why."""
    check_version(batch, expected_version)
    if batch.status not in OUTPUT_STATUSES:
        raise DomainError(_l("Output is recorded while the batch is in progress or awaiting QC."),
                          field="good_quantity")
    if good_quantity is None or good_quantity < 0:
        raise DomainError(_l("Enter the good quantity (0 or more)."), field="good_quantity")
    for reject in rejects:
        if not reject.reason.strip():
            raise DomainError(_l("Every reject needs a reason."), field="rejects")
        if reject.quantity is None or reject.quantity <= 0:
            raise DomainError(_l("The quantity must be more than zero."), field="rejects")
    before = [f"{r.reason}: {r.quantity:f}" for r in batch.rejects]
    after = [f"{r.reason.strip()}: {r.quantity:f}" for r in rejects]
    delta = good_quantity - batch.good_quantity
    get_line(batch.line).output_changed(batch, delta, user)  # refused: nothing is saved
    apply_edits(batch, {"good_quantity": good_quantity}, user, reason=reason)
    if before != after:
        batch.rejects = [BatchReject(reason=r.reason.strip(), quantity=r.quantity)
                         for r in rejects]
        write_audit(batch, "edited", user, reason=reason, changes={"rejects": (before, after)})
    commit([batch])


def add_to_good_quantity(batch: Batch, delta: Decimal) -> bool:
    """Move a batch's good quantity by ``delta`` (a count from a tablet) in the caller's
    transaction; False when the batch is not in progress or would go below zero.

    One guarded UPDATE instead of read-then-write, so taps at a shared table add up on any
    database. Each tap is recorded as a step event (who, where, when), so no audit row is
    written per tap; the row's version moves on, so an open office form sees the change.
    """
    moved = db.session.execute(
        update(Batch)
        .where(Batch.id == batch.id, Batch.status == BatchStatus.IN_PROGRESS.value,
               Batch.good_quantity + delta >= 0)
        .values(good_quantity=Batch.good_quantity + delta, version=Batch.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(batch)  # the row changed under the ORM
    return moved == 1


def find_lot(text: str) -> MaterialLot:
    """A lot by its code as typed or scanned."""
    try:
        code = parse_code(text)
    except InvalidCode:
        raise DomainError(_l("%(text)s is not a lot code: check it and type it again.",
                             text=text.strip()), field="lot") from None
    lot = db.session.scalar(select(MaterialLot).where(MaterialLot.code == code))
    if lot is None:
        raise DomainError(_l("There is no lot %(code)s.", code=code), field="lot")
    return lot


@conflict_safe
def consume_lot(batch: Batch, lot: MaterialLot, quantity: Decimal | None, user,
                today: date) -> Consumption:
    """Record that a batch used a quantity of a lot: only approved, unexpired, enough left."""
    if batch.status not in CONSUMING_STATUSES:
        raise DomainError(_l("This batch no longer takes materials."), field="lot")
    if lot.status == LotStatus.QUARANTINE:
        raise DomainError(_l("Lot %(code)s is in quarantine: it must be approved before use.",
                             code=lot.code), field="lot")
    if lot.status == LotStatus.REJECTED:
        raise DomainError(_l("Lot %(code)s was rejected and must not be used.", code=lot.code),
                          field="lot")
    if lot.expires_on is not None and lot.expires_on < today:
        raise DomainError(_l("Lot %(code)s expired on %(date)s.", code=lot.code,
                             date=lot.expires_on.isoformat()), field="lot")
    if quantity is None or quantity <= 0:
        raise DomainError(_l("The quantity must be more than zero."), field="quantity")
    if quantity != quantity.quantize(QUANTITY_STEP):
        # Quantities are kept to 0.001 of the unit; more would be rounded away unseen.
        raise DomainError(_l("Enter at most three decimals, for example 0.205 kg, or record "
                             "the material in a smaller unit."), field="quantity")
    findings = Findings()
    get_line(batch.line).check_consumption(batch, lot, quantity, findings)
    for field_name, messages in findings.errors.items():
        raise DomainError(" ".join(messages), field=field_name)
    # Lock the lot row (PostgreSQL) so two people cannot both take its last kilogram.
    db.session.execute(select(MaterialLot.id).where(MaterialLot.id == lot.id).with_for_update())
    left = remaining_quantity(lot)
    if quantity > left:
        raise DomainError(_l("Only %(left)s is left of lot %(code)s.", left=format_quantity(left),
                             code=lot.code), field="quantity")
    consumption = Consumption(lot_id=lot.id, batch_id=batch.id, quantity=quantity,
                              user_id=user.id if user else None)
    db.session.add(consumption)
    keep_findings(batch, findings, user)
    write_audit(batch, "edited", user, changes={"consumed": (None, f"{format_code(lot.code)}: "
                                                  f"{plain_quantity(quantity)}")},
                reason=None)
    commit([batch])
    return consumption
