"""Read-only queries about staff accounts."""

from __future__ import annotations

from sqlalchemy import select

from shopfloor.auth.models import User
from shopfloor.extensions import db


def staff_accounts() -> list[User]:
    """Every staff account, enabled first, then by name."""
    return list(db.session.scalars(
        select(User).order_by(User.active.desc(), User.display_name, User.username)))


def staff_account(user_id: int) -> User | None:
    """One staff account by id."""
    return db.session.get(User, user_id)
