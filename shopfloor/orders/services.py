"""State changes of orders: create, edit, confirm, cancel, and status from production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import (
    apply_edits,
    apply_transition,
    check_version,
    commit,
    conflict_safe,
    write_audit,
)
from shopfloor.catalog.models import Product
from shopfloor.codes import KIND_ORDER
from shopfloor.database import new_unique_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine, OrderSource
from shopfloor.orders.status import (
    EDITABLE,
    MANUAL_MOVES,
    ORDER_MACHINE,
    ORDER_STATUS_NAMES,
    OrderStatus,
)
from shopfloor.partners.models import Partner


@dataclass
class LineData:
    """One order line as submitted."""

    product_id: int | None
    quantity: Decimal | None
    due_date: date | None
    notes: str = ""


class OrderLinesInvalid(DomainError):
    """One or more order lines are wrong; ``problems`` maps (row, field) to a message."""

    def __init__(self, problems: dict[tuple[int, str], str]):
        super().__init__(_l("Some order lines need correcting."), field="lines")
        self.problems = problems


def _check_lines(partner: Partner, lines: list[LineData], today: date,
                 unchanged_due: set[tuple[int, date]]) -> None:
    problems: dict[tuple[int, str], str] = {}
    if not lines:
        raise DomainError(_l("Add at least one line."), field="lines")
    for row, line in enumerate(lines):
        product = db.session.get(Product, line.product_id) if line.product_id else None
        if product is None or not product.active:
            problems[(row, "product_id")] = str(_l("Choose a product from the list."))
        elif product.partner_id not in (None, partner.id):
            problems[(row, "product_id")] = str(_l("This product is made for another partner."))
        elif product.line not in partner.line_codes:
            problems[(row, "product_id")] = str(_l(
                "This partner does not order from this product's line."))
        if line.quantity is None or line.quantity <= 0:
            problems[(row, "quantity")] = str(_l("The quantity must be more than zero."))
        if line.due_date is None:
            problems[(row, "due_date")] = str(_l("Enter the due date."))
        elif line.due_date < today and (line.product_id, line.due_date) not in unchanged_due:
            problems[(row, "due_date")] = str(_l("The due date is in the past."))
    if problems:
        raise OrderLinesInvalid(problems)


def check_order_lines(partner_id: int | None, lines: list[LineData], today: date) -> None:
    """Refuse lines a new order for this partner may not have (OrderLinesInvalid naming each
    row's problems), without creating anything."""
    _check_lines(_partner(partner_id), lines, today, set())


def _partner(partner_id: int | None) -> Partner:
    partner = db.session.get(Partner, partner_id) if partner_id else None
    if partner is None or not partner.active:
        raise DomainError(_l("Choose a partner from the list."), field="partner_id")
    return partner


def _set_lines(order: Order, lines: list[LineData]) -> None:
    """Update lines in place (their ids, and the batches pointing at them, stay)."""
    existing = list(order.lines)
    for i, data in enumerate(lines):
        if i < len(existing):
            line = existing[i]
            if line.product_id != data.product_id and line.id and _has_batches(line.id):
                raise DomainError(_l("Line %(no)s has batches: its product cannot change.",
                                     no=line.line_no), field="lines")
            line.product_id, line.quantity = data.product_id, data.quantity
            line.due_date, line.notes = data.due_date, data.notes.strip()
        else:
            order.lines.append(OrderLine(line_no=i + 1, product_id=data.product_id,
                                         quantity=data.quantity, due_date=data.due_date,
                                         notes=data.notes.strip()))
    for line in existing[len(lines):]:
        if line.id and _has_batches(line.id):
            raise DomainError(_l("Line %(no)s has batches: it cannot be removed.",
                                 no=line.line_no), field="lines")
        order.lines.remove(line)
    order.earliest_due = min(line.due_date for line in lines)


def build_order(partner_id: int | None, partner_reference: str, lines: list[LineData],
                user, today: date, notes: str = "", *, source: str = OrderSource.OFFICE,
                requested_by_id: int | None = None) -> Order:
    """A new draft order checked, added to the session and audited, but not committed: for
    services that do more in the same transaction (a partner's request notifies managers)."""
    partner = _partner(partner_id)
    _check_lines(partner, lines, today, set())
    order = Order(code=new_unique_code(Order, KIND_ORDER), partner_id=partner.id,
                  partner_reference=partner_reference.strip(), notes=notes.strip(),
                  source=str(source), requested_by_id=requested_by_id)
    _set_lines(order, lines)
    db.session.add(order)
    write_audit(order, "created", user, to_status=order.status)
    return order


def create_order(partner_id: int | None, partner_reference: str, lines: list[LineData],
                 user, today: date, notes: str = "") -> Order:
    """Record a partner's order as a draft."""
    order = build_order(partner_id, partner_reference, lines, user, today, notes)
    commit([order])
    return order


def _lines_snapshot(order: Order) -> list[str]:
    return [f"{line.product_id}×{line.quantity.normalize():f}@{line.due_date.isoformat()}"
            for line in order.lines]


@conflict_safe
def update_order(order: Order, partner_id: int | None, partner_reference: str,
                 lines: list[LineData], user, today: date, notes: str = "",
                 expected_version: int | str | None = None) -> None:
    """Edit a draft or confirmed order; its lines are replaced and the change is audited."""
    check_version(order, expected_version)
    if order.status not in EDITABLE:
        raise DomainError(_l("Only draft and confirmed orders can be edited."), field="status")
    partner = _partner(partner_id)
    existing_due = {(line.product_id, line.due_date) for line in order.lines}
    _check_lines(partner, lines, today, existing_due)
    reason = None if order.status == OrderStatus.DRAFT else "edited after confirmation"
    apply_edits(order, {"partner_id": partner.id, "partner_reference": partner_reference.strip(),
                        "notes": notes.strip()}, user, reason=reason)
    before = _lines_snapshot(order)
    _set_lines(order, lines)
    db.session.flush()
    after = _lines_snapshot(order)
    if before != after:
        write_audit(order, "edited", user, reason=reason, changes={"lines": (before, after)})
    commit([order])


def _has_batches(order_line_id: int) -> bool:
    from shopfloor.production.models import BatchAllocation

    return db.session.scalar(select(BatchAllocation.id).where(
        BatchAllocation.order_line_id == order_line_id).limit(1)) is not None


def _move(order: Order, to_status: str, user, **transition) -> None:
    """The one place an order's status changes (by hand or following production and
    shipping): apply the transition, then publish ``order.status_changed`` to the partner
    (webhooks, e-mail) in the same transaction, so it goes out exactly when the move is
    committed."""
    from shopfloor.portal.events import publish_status_changed

    previous = order.status
    apply_transition(order, ORDER_MACHINE, to_status, user, status_names=ORDER_STATUS_NAMES,
                     **transition)
    if order.status != previous:
        publish_status_changed(order, previous)


@conflict_safe
def change_order_status(order: Order, to_status: str, user, reason: str = "",
                        expected_version: int | str | None = None) -> None:
    """A person moves an order: confirm, back to draft, cancel (with a reason), close."""
    check_version(order, expected_version)
    if (order.status, to_status) not in MANUAL_MOVES and to_status != OrderStatus.CANCELLED:
        raise DomainError(_l("This status follows from production and shipping; "
                             "it cannot be set by hand."), field="status")
    if to_status == OrderStatus.CLOSED:
        from shopfloor.copack.reconcile import closing_problems

        problems = closing_problems(order)
        if problems:
            raise DomainError(_l("The partner's material does not balance yet: %(problems)s",
                                 problems=" ".join(problems)), field="status")
    if to_status == OrderStatus.CANCELLED:
        if not reason.strip():
            raise DomainError(_l("Say why the order is cancelled."), field="reason")
        order.cancel_reason = reason.strip()
    _move(order, to_status, user, reason=reason, expected_version=expected_version)
    commit([order])


def derived_status(order: Order, batch_statuses: list[str], made: dict[int, Decimal]) -> str:
    """The status production and shipping imply for an order in the production phase.

    ``made`` is the good quantity of finished batches per order line.
    """
    lines = order.lines
    shipped_all = all(line.quantity_shipped >= line.quantity for line in lines)
    shipped_any = any(line.quantity_shipped > 0 for line in lines)
    if shipped_all:
        return OrderStatus.SHIPPED
    if shipped_any:
        return OrderStatus.PARTLY_SHIPPED
    if lines and all(made.get(line.id, Decimal(0)) >= line.quantity for line in lines):
        return OrderStatus.READY
    if any(status != "planned" for status in batch_statuses):
        return OrderStatus.IN_PRODUCTION
    return OrderStatus.CONFIRMED


def refresh_order_status(order: Order, user) -> None:
    """Bring an order's status in line with its batches and shipments (no commit)."""
    from shopfloor.orders.queries import line_progress

    if order.status in (OrderStatus.DRAFT, OrderStatus.CLOSED, OrderStatus.CANCELLED,
                        OrderStatus.SHIPPED):
        return
    progress = line_progress(order)
    statuses = [s for p in progress.values() for s in p.batch_statuses]
    target = derived_status(order, statuses, {lid: p.made for lid, p in progress.items()})
    if target != order.status and ORDER_MACHINE.can(order.status, target):
        _move(order, target, user)
