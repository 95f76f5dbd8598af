"""Marking the stored forecast stale when something it reads changes.

A flush that writes an order, an order line, a batch or its allocation, a worker, their
availability, absences or skills flags the session; after the commit the moment is written to
``forecast_state.changed_at`` in a short transaction of its own (so no business transaction
waits on that one row). Planning pages then recompute before showing the forecast
(``services.refresh_if_stale``), and the scheduler recomputes every few minutes anyway, which
also covers a marker lost to a crash between the two commits.

Counting taps on the tablets move a batch's good quantity by a plain UPDATE and do not mark
the forecast: it counts only finished batches' output (see ``planning.inputs``).
"""

from __future__ import annotations

from sqlalchemy import event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shopfloor.database import utcnow

_FLAG = "shopfloor.forecast_changed"


def _watched() -> tuple[type, ...]:
    from shopfloor.orders.models import Order, OrderLine
    from shopfloor.production.models import Batch, BatchAllocation
    from shopfloor.workers.models import Absence, Worker, WorkerAvailability, WorkerSkill

    return (Order, OrderLine, Batch, BatchAllocation, Worker, WorkerAvailability, Absence,
            WorkerSkill)


def _before_flush(session: Session, _context, _instances) -> None:
    if session.info.get(_FLAG):
        return
    watched = _watched()
    for instance in (*session.new, *session.deleted):
        if isinstance(instance, watched):
            session.info[_FLAG] = True
            return
    for instance in session.dirty:
        if isinstance(instance, watched) and session.is_modified(instance):
            session.info[_FLAG] = True
            return


def _after_commit(session: Session) -> None:
    if not session.info.pop(_FLAG, False):
        return
    mark_changed(session.get_bind())


def _after_soft_rollback(session: Session, _previous) -> None:
    if not session.in_transaction():  # the outermost transaction rolled back
        session.info.pop(_FLAG, None)


def mark_changed(engine, moment=None) -> None:
    """Record that the forecast's inputs changed at ``moment`` (now)."""
    from shopfloor.planning.models import ForecastState

    moment = moment or utcnow()
    table = ForecastState.__table__
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(table)
    with engine.begin() as connection:
        moved = connection.execute(update(table).where(table.c.id == 1)
                                   .values(changed_at=moment)).rowcount
        if not moved:  # the first change ever (or a wiped table)
            connection.execute(insert.values(id=1, changed_at=moment).on_conflict_do_update(
                index_elements=[table.c.id], set_={"changed_at": moment}))


def install() -> None:
    """Listen on every session (once per process)."""
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
