"""The running counts of counting steps, summed by the database: a step's total, a worker's
round since their last Done, and the tap an undo takes back."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from shopfloor.extensions import db
from shopfloor.floor import rules
from shopfloor.floor.models import EventKind, StepEvent


def counted(batch_id: int, step_id: int, worker_id: int | None = None,
            after_event_id: int | None = None) -> Decimal:
    """The running count on a step of a batch (of one worker, after one event, if given),
    summed by the database so a tap costs the same on the thousandth mould as on the first."""
    query = select(func.coalesce(func.sum(StepEvent.value), 0)).where(
        StepEvent.batch_id == batch_id, StepEvent.instruction_step_id == step_id,
        StepEvent.kind.in_(sorted(rules.COUNTING_KINDS)))
    if worker_id is not None:
        query = query.where(StepEvent.worker_id == worker_id)
    if after_event_id is not None:
        query = query.where(StepEvent.id > after_event_id)
    return Decimal(db.session.scalar(query) or 0)


def round_counted(batch_id: int, step_id: int, worker_id: int) -> Decimal:
    """What a worker counted on a step since they last tapped Done there (one query), so
    a worker filling mould after mould sees each mould counted from zero."""
    mine = (StepEvent.batch_id == batch_id, StepEvent.instruction_step_id == step_id,
            StepEvent.worker_id == worker_id)
    last_done = (select(func.coalesce(func.max(StepEvent.id), 0))
                 .where(*mine, StepEvent.kind == EventKind.DONE.value).scalar_subquery())
    total = db.session.scalar(
        select(func.coalesce(func.sum(StepEvent.value), 0))
        .where(*mine, StepEvent.kind.in_(sorted(rules.COUNTING_KINDS)),
               StepEvent.id > last_done))
    return Decimal(total or 0)


def last_tap_to_undo(batch_id: int, step_id: int, worker_id: int) -> Decimal | None:
    """The value of the worker's last count in this round (since their last Done) that no
    undo has taken back yet, or None: undos take back taps newest first, like a stack."""
    mine = (StepEvent.batch_id == batch_id, StepEvent.instruction_step_id == step_id,
            StepEvent.worker_id == worker_id)
    last_done = (select(func.coalesce(func.max(StepEvent.id), 0))
                 .where(*mine, StepEvent.kind == EventKind.DONE.value).scalar_subquery())
    taps: list[Decimal] = []
    for kind, value in db.session.execute(
            select(StepEvent.kind, StepEvent.value)
            .where(*mine, StepEvent.kind.in_(sorted(rules.COUNTING_KINDS)),
                   StepEvent.id > last_done).order_by(StepEvent.id)):
        if kind == EventKind.UNDO:
            if taps:
                taps.pop()
        else:
            taps.append(Decimal(value))
    return taps[-1] if taps else None
