"""Writing the audit trail, and turning lost-update races into a clear conflict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from shopfloor.audit.models import AuditEntry
from shopfloor.errors import ConflictError, DomainError
from shopfloor.extensions import db

SYSTEM_ACTOR = "Shopfloor"


def _actor(user) -> tuple[int | None, str]:
    if user is None:
        return None, SYSTEM_ACTOR
    return user.id, user.display_name or user.username


def _plain(value: Any) -> Any:
    """A JSON-safe form of a value for the changes column."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def record_type(record) -> str:
    """The audit name of a record's kind: its table name."""
    return record.__tablename__


def write_audit(record, action: str, user, *, from_status: str | None = None,
                to_status: str | None = None, reason: str | None = None,
                changes: Mapping[str, tuple[Any, Any]] | None = None) -> AuditEntry:
    """Add an audit row for ``record`` to the session (the caller's transaction commits it)."""
    if record.id is None:
        db.session.flush()  # a new record needs its id
    user_id, actor_name = _actor(user)
    entry = AuditEntry(
        record_type=record_type(record), record_id=record.id, action=action,
        from_status=from_status, to_status=to_status, reason=(reason or None),
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in changes.items()}
        if changes else None,
        user_id=user_id, actor_name=actor_name)
    db.session.add(entry)
    return entry


def apply_edits(record, values: Mapping[str, Any], user, *, reason: str | None = None,
                reason_required: bool = False) -> dict[str, tuple[Any, Any]]:
    """Set the changed fields of ``record`` and audit old -> new; returns what changed.

    ``reason_required`` (a released record) refuses a change without a reason, so released
    records are never edited silently.
    """
    changes = {name: (getattr(record, name), new) for name, new in values.items()
               if getattr(record, name) != new}
    if not changes:
        return {}
    if reason_required and not (reason or "").strip():
        raise DomainError(_l("This record is released: say why you change it."), field="reason")
    for name, (_old, new) in changes.items():
        setattr(record, name, new)
    write_audit(record, "edited", user, reason=reason, changes=_expand(changes))
    return changes


def _expand(changes: Mapping[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """Dict-valued fields (a batch record) are audited key by key: ``record.mould``."""
    expanded: dict[str, tuple[Any, Any]] = {}
    for name, (old, new) in changes.items():
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    expanded[f"{name}.{key}"] = (old.get(key), new.get(key))
        else:
            expanded[name] = (old, new)
    return expanded


def history(record) -> list[AuditEntry]:
    """The audit trail of one record, newest first."""
    return list(db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == record_type(record), AuditEntry.record_id == record.id)
        .order_by(AuditEntry.id.desc())))


def conflict(record_kind: str, record_id: int) -> ConflictError:
    """A ConflictError naming who last changed the record and when."""
    last = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.record_type == record_kind, AuditEntry.record_id == record_id)
        .order_by(AuditEntry.id.desc()).limit(1))
    if last is None:
        return ConflictError(_l("Someone else changed this record in the meantime. "
                                "Reload the page and try again."))
    return ConflictError(_l(
        "%(who)s changed this record at %(when)s, while you were working on it. "
        "Reload the page to see the change, then try again.",
        who=last.actor_name, when=format_datetime(last.at, "short")))


def check_version(record, expected_version: int | str | None) -> None:
    """Refuse a change made from a stale page (the version the person saw is not current)."""
    if expected_version in (None, ""):
        return
    if str(expected_version) != str(record.version):
        raise conflict(record_type(record), record.id)


def commit(records: Iterable = ()) -> None:
    """Commit the unit of work; a concurrent update of one of ``records`` becomes a 409."""
    identities = [(record_type(r), r.id) for r in records]
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        kind, record_id = identities[0] if identities else ("", 0)
        raise conflict(kind, record_id) from None


def conflict_safe(service):
    """Decorate a service whose first argument is the record it changes: a lost-update race
    detected at any flush (not only at commit) becomes a ConflictError naming the winner."""

    @wraps(service)
    def wrapper(record, *args, **kwargs):
        identity = (record_type(record), record.id)
        try:
            return service(record, *args, **kwargs)
        except StaleDataError:
            db.session.rollback()
            raise conflict(*identity) from None

    return wrapper


def apply_transition(record, machine, to_status: str, user, *, status_names: Mapping,
                     reason: str | None = None, expected_version: int | str | None = None,
                     problems: Iterable[str] = ()) -> None:
    """Move ``record`` to ``to_status`` (DESIGN rule 3): the one place status changes.

    Checks the version the person saw, the transition table and the guards' ``problems``
    (messages saying what blocks the move), then sets the status and writes the audit row.
    The version column is bumped by the UPDATE itself, so a concurrent change fails at commit.
    """
    check_version(record, expected_version)
    from_status = record.status
    if not machine.can(from_status, to_status):
        raise DomainError(_l("A record that is “%(current)s” cannot become “%(target)s”.",
                             current=status_names.get(from_status, from_status),
                             target=status_names.get(to_status, to_status)), field="status")
    problems = [str(p) for p in problems]
    if problems:
        raise DomainError(" ".join(problems), field="status")
    record.status = to_status
    write_audit(record, "status", user, from_status=from_status, to_status=to_status,
                reason=reason)
