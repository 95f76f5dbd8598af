"""Role groups used by the views' @require_role declarations."""

from shopfloor.auth.models import Role

STAFF = (Role.MANAGER, Role.SUPERVISOR)
MANAGER = (Role.MANAGER,)
