"""The one access decorator every view uses, and the deny-by-default guard behind it.

``@require_role(Role.MANAGER, ...)`` lets signed-in staff with one of those roles in;
``@require_role(PUBLIC)`` marks a view anyone may open (sign-in page, health check);
``@require_role(STATION)`` one only an enrolled, active station tablet may open (the worker
screens: workers have no account, the tablet's device cookie proves where they are).
A view without the decorator is refused by ``guard_undeclared_views``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

PUBLIC = "public"
STATION = "station"
ACCESS_ATTRIBUTE = "_shopfloor_roles"


def require_role(*roles: str) -> Callable:
    """Allow a view to signed-in users holding one of ``roles``, or to anyone with PUBLIC."""
    if not roles:
        raise TypeError("require_role needs at least one role, or PUBLIC")
    allowed = frozenset(str(r) for r in roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if STATION in allowed:
                # Imported here: the auth package must not import the areas at start-up.
                from shopfloor.tablet.access import refuse_unless_station

                refusal = refuse_unless_station()
                if refusal is not None:
                    return refusal
            elif PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    return current_app.login_manager.unauthorized()
                if current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, allowed)
        return wrapped

    return decorator


def view_roles(endpoint: str) -> frozenset[str] | None:
    """The roles a view declared, or None when it declared nothing."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def guard_undeclared_views() -> None:
    """before_request hook: refuse any view that did not declare who may open it."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or endpoint.endswith(".static"):
        return
    if view_roles(endpoint) is None:
        current_app.logger.error("View %s has no @require_role; refused", endpoint)
        abort(403)
