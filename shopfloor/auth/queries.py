"""Read-only queries about staff accounts."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.auth.models import User
from shopfloor.extensions import db


def staff_accounts() -> list[User]:
    """Every staff account (not partners' portal accounts), enabled first, then by name."""
    return list(db.session.scalars(
        select(User).where(User.partner_id.is_(None))
        .order_by(User.active.desc(), User.display_name, User.username)))


def staff_account(user_id: int) -> User | None:
    """One staff account by id (None for a partner's portal account)."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.partner_id is None else None


def active_staff(*roles) -> list[User]:
    """The enabled accounts of the given roles, by id: who a job notifies."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_([str(r) for r in roles]))
        .order_by(User.id)))
