"""The main navigation, per role, as data."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shopfloor.auth.models import Role


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation and the roles that see it."""

    endpoint: str
    label: object
    roles: frozenset[str]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("core.home", _l("Start"), frozenset({Role.MANAGER, Role.SUPERVISOR})),
    NavItem("auth.staff_list", _l("Staff accounts"), frozenset({Role.MANAGER})),
)


def navigation_for(role: str | None) -> list[NavItem]:
    """The navigation items a role sees, in order."""
    if role is None:
        return []
    return [item for item in NAVIGATION if role in item.roles]
