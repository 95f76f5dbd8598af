"""The reconciliation of the partner's material per order (shared/domain.md section 4):

    received = used in kits + scrapped + returned + on hand

The book gives what should be on hand; the count at the end says what is. A difference is a
variance: it must be explained, and the order closes only when every component is counted
and its variance is within ``copack.tolerance_per_mille`` of what was received (printed
countables, such as labels, inserts and cartons, must match exactly).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import check_version, commit, write_audit
from shopfloor.copack.models import MoveKind, StockCount, StockMove
from shopfloor.copack.stock import copack_boms_of_order
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.units import as_decimal, format_quantity

ZERO = Decimal(0)


@dataclass(frozen=True)
class ComponentBalance:
    """One component of the partner's material on one order."""

    key: str
    component: str
    gtin: str
    countable: bool
    received: Decimal
    used: Decimal
    scrapped: Decimal
    returned: Decimal
    counted: Decimal | None = None   # what the count at the end found
    explanation: str = ""
    tolerance_per_mille: int = 0

    @property
    def on_hand(self) -> Decimal:
        """What the book says should still be here."""
        return self.received - self.used - self.scrapped - self.returned

    @property
    def variance(self) -> Decimal | None:
        """Found minus expected (negative: missing); None until counted."""
        return None if self.counted is None else self.counted - self.on_hand

    @property
    def allowed(self) -> Decimal:
        """The largest variance accepted without a correction."""
        if self.countable:
            return ZERO
        return self.received * self.tolerance_per_mille / 1000

    @property
    def within_tolerance(self) -> bool:
        return self.variance is not None and abs(self.variance) <= self.allowed

    @property
    def explained(self) -> bool:
        return self.variance == 0 or bool(self.explanation.strip())

    @property
    def balanced(self) -> bool:
        return self.on_hand >= 0 and self.within_tolerance and self.explained

    @property
    def problem(self):
        """Why this component does not balance yet (None when it does)."""
        if self.on_hand < 0:
            return _l("More used than received.")
        if self.counted is None:
            return _l("Not counted yet.")
        if not self.within_tolerance:
            return (_l("A printed countable must match exactly.") if self.countable else
                    _l("The difference is above the tolerance of %(allowed)s.",
                       allowed=format_quantity(self.allowed)))
        if not self.explained:
            return _l("Explain the difference.")
        return None


@dataclass(frozen=True)
class Reconciliation:
    """Every component of an order's partner material, and whether the order balances."""

    components: list[ComponentBalance]
    tolerance_per_mille: int

    @property
    def balanced(self) -> bool:
        return all(c.balanced for c in self.components)

    @property
    def empty(self) -> bool:
        return not self.components


def reconcile(moves, counts: dict[str, StockCount], countables: set[str],
              tolerance_per_mille: int) -> list[ComponentBalance]:
    """Sum the moves per component (in the order first received or used) and set the
    count against the book. Pure: the caller reads the rows."""
    totals: dict[str, dict[str, Decimal]] = {}
    names: dict[str, tuple[str, str]] = {}
    for move in moves:
        names.setdefault(move.key, (move.component, move.gtin))
        kinds = totals.setdefault(move.key, {k.value: ZERO for k in MoveKind})
        kinds[move.kind] += Decimal(move.quantity)
    balances = []
    for key, kinds in totals.items():
        count = counts.get(key)
        component, gtin = names[key]
        balances.append(ComponentBalance(
            key=key, component=component, gtin=gtin, countable=key in countables,
            received=kinds[MoveKind.RECEIVED], used=kinds[MoveKind.CONSUMED],
            scrapped=kinds[MoveKind.SCRAPPED], returned=kinds[MoveKind.RETURNED],
            counted=Decimal(count.counted) if count is not None else None,
            explanation=count.explanation if count is not None else "",
            tolerance_per_mille=tolerance_per_mille))
    return balances


def _tolerance() -> int:
    return current_app.config["SHOPFLOOR"]["copack.tolerance_per_mille"]


def order_reconciliation(order) -> Reconciliation | None:
    """The reconciliation of an order's partner material; None for an order with no
    co-packing kit (nothing to reconcile)."""
    boms = copack_boms_of_order(order)
    if not boms:
        return None
    moves = db.session.scalars(select(StockMove).where(StockMove.order_id == order.id)
                               .order_by(StockMove.id))
    counts = {c.key: c for c in db.session.scalars(
        select(StockCount).where(StockCount.order_id == order.id))}
    countables = {item.key for bom in boms for item in bom.items if item.countable}
    tolerance = _tolerance()
    return Reconciliation(reconcile(moves, counts, countables, tolerance), tolerance)


def record_count(order, key: str, counted_text: str, explanation: str, user,
                 expected_version: int | str | None = None) -> StockCount:
    """What was found of a component at the end, with the explanation of a difference
    (a later count replaces it; both are in the order's history)."""
    reconciliation = order_reconciliation(order)
    balance = next((c for c in (reconciliation.components if reconciliation else [])
                    if c.key == key), None)
    if balance is None:
        raise DomainError(_l("Choose a component of this order."), field="component")
    counted = as_decimal(counted_text)
    if counted is None or counted < 0 or -counted.as_tuple().exponent > 3:
        raise DomainError(_l("Give what you counted (0 or more, at most 3 decimal places)."),
                          field="counted")
    if counted != balance.on_hand and not explanation.strip():
        raise DomainError(_l("The count differs from the book by %(variance)s: explain why.",
                             variance=format_quantity(counted - balance.on_hand)),
                          field="explanation")
    row = db.session.scalar(select(StockCount).where(StockCount.order_id == order.id,
                                                     StockCount.key == key))
    before = None if row is None else f"{format_quantity(row.counted)} {row.explanation}"
    if row is None:
        row = StockCount(order_id=order.id, key=key, counted=counted)
        db.session.add(row)
    else:
        check_version(row, expected_version)
    row.counted, row.explanation = counted, explanation.strip()
    row.counted_at, row.user_id = utcnow(), getattr(user, "id", None)
    write_audit(order, "edited", user, changes={"material_counted": (
        before, f"{balance.component}: {format_quantity(counted)} {row.explanation}".strip())})
    commit([order])
    return row


def closing_problems(order) -> list[str]:
    """Why a co-packing order may not close yet (empty: it may)."""
    reconciliation = order_reconciliation(order)
    if reconciliation is None:
        return []
    return [f"{c.component}: {c.problem}" for c in reconciliation.components
            if c.problem is not None]
