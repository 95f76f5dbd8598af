"""The scheduler lease: however many ``shopfloor scheduler`` processes are started, only the
one holding the lease runs jobs.

PostgreSQL: a session-level advisory lock, taken on a connection of its own that stays
open while the process lives; the database frees it the moment that connection ends, also
when the process is killed. The ``scheduler_lease`` row is then only written to show who
holds it.

SQLite (one machine): the ``scheduler_lease`` row is the lease. It is taken with a
conditional UPDATE (only when it is ours already or has expired) or an INSERT (only when
there is no row), each one statement, so two processes can never both win. The holder
renews it every ``seconds``; it expires ``3 x seconds`` after the last renewal, so a
process that died without releasing it is replaced after at most that long.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import create_engine, delete, insert, or_, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from shopfloor.database import utcnow
from shopfloor.scheduling.models import SchedulerLease

LEASE_NAME = "scheduler"
# Any fixed 64-bit number no other code uses for pg_advisory_lock: "SHOPFLR" in ASCII.
ADVISORY_KEY = 0x53484F50464C52
EXPIRY_FACTOR = 3

log = logging.getLogger("shopfloor.scheduler")
_table = SchedulerLease.__table__


def _write_row(conn: Connection, name: str, holder: str, expires_at: datetime) -> None:
    """Show ``holder`` as the lease's holder whoever held it before (PostgreSQL, where the
    advisory lock, not the row, decides)."""
    changed = conn.execute(update(_table).where(_table.c.name == name)
                           .values(holder=holder, expires_at=expires_at)).rowcount
    if not changed:
        conn.execute(insert(_table).values(name=name, holder=holder, expires_at=expires_at))


class RowLease:
    """The lease as the ``scheduler_lease`` row (SQLite; works on any database)."""

    def __init__(self, engine: Engine, holder: str, seconds: int, name: str = LEASE_NAME):
        self.engine = engine
        self.holder = holder
        self.seconds = seconds
        self.name = name
        self.expires_at: datetime | None = None

    def acquire(self, now: datetime | None = None) -> bool:
        """Take the lease when it is free or expired, or renew it when it is ours; True
        when this holder has it now."""
        now = now or utcnow()
        expires_at = now + timedelta(seconds=EXPIRY_FACTOR * self.seconds)
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(_table)
                .where(_table.c.name == self.name,
                       or_(_table.c.holder == self.holder, _table.c.expires_at < now))
                .values(holder=self.holder, expires_at=expires_at)).rowcount == 1
        if not taken:
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(_table).values(
                        name=self.name, holder=self.holder, expires_at=expires_at))
                taken = True
            except IntegrityError:  # the row exists: somebody else holds a live lease
                taken = False
        self.expires_at = expires_at if taken else None
        return taken

    def held(self, now: datetime | None = None) -> bool:
        """Whether this holder may run jobs now: a renewal succeeded recently enough.

        One renewal period short of the expiry, so a holder that cannot renew stops
        before anybody else may take over.
        """
        if self.expires_at is None:
            return False
        return (now or utcnow()) < self.expires_at - timedelta(seconds=self.seconds)

    def release(self) -> None:
        """Give the lease up (on shutdown), so a waiting scheduler takes over at once."""
        with self.engine.begin() as conn:
            conn.execute(delete(_table).where(_table.c.name == self.name,
                                              _table.c.holder == self.holder))
        self.expires_at = None


class AdvisoryLease:
    """The lease as a PostgreSQL session-level advisory lock on a dedicated connection."""

    def __init__(self, engine: Engine, holder: str, seconds: int, name: str = LEASE_NAME,
                 key: int = ADVISORY_KEY):
        # A connection of our own, outside the app's pool: the pool may recycle or dispose
        # its connections, and the lock lives exactly as long as the connection.
        self._engine = create_engine(engine.url, poolclass=NullPool,
                                     isolation_level="AUTOCOMMIT")
        self.holder = holder
        self.seconds = seconds
        self.name = name
        self.key = key
        self._conn: Connection | None = None
        self._held = False

    def _drop_connection(self) -> None:
        self._held = False
        if self._conn is not None:
            with contextlib.suppress(DBAPIError):
                self._conn.close()
            self._conn = None

    def acquire(self, now: datetime | None = None) -> bool:
        """Take the lock when free (or check that our connection, and so our lock, is still
        alive); True when this process holds it. Also notes the holder in the lease row."""
        now = now or utcnow()
        expires_at = now + timedelta(seconds=EXPIRY_FACTOR * self.seconds)
        try:
            if self._conn is None:
                self._conn = self._engine.connect()
            if not self._held:
                self._held = bool(self._conn.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}))
            if self._held:
                _write_row(self._conn, self.name, self.holder, expires_at)
        except DBAPIError as exc:
            # The connection is gone, and the lock with it: start over at the next check.
            log.warning("Scheduler lease connection failed: %s", str(exc).splitlines()[0])
            self._drop_connection()
        return self._held

    def held(self, now: datetime | None = None) -> bool:
        """Whether this process holds the lock (as of the last check)."""
        return self._held

    def release(self) -> None:
        """Unlock and close the dedicated connection."""
        if self._conn is not None and self._held:
            try:
                self._conn.execute(delete(_table).where(_table.c.name == self.name,
                                                        _table.c.holder == self.holder))
                self._conn.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except DBAPIError as exc:
                log.warning("Could not release the scheduler lease cleanly: %s", exc)
        self._drop_connection()
        self._engine.dispose()


def make_lease(engine: Engine, holder: str, seconds: int) -> RowLease | AdvisoryLease:
    """The lease that fits the database: an advisory lock on PostgreSQL, else the row."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLease(engine, holder, seconds)
    return RowLease(engine, holder, seconds)
