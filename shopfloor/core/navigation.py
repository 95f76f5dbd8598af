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


STAFF = frozenset({Role.MANAGER, Role.SUPERVISOR})
MANAGER = frozenset({Role.MANAGER})
PARTNER = frozenset({Role.PARTNER_VIEWER, Role.PARTNER_ORDERER})

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("core.home", _l("Start"), STAFF),
    NavItem("scanning.scan", _l("Scan"), STAFF),
    NavItem("floor.board", _l("Live board"), STAFF),
    NavItem("day_plan.day_plan", _l("Plan of the day"), STAFF),
    NavItem("orders.order_list", _l("Orders"), STAFF),
    NavItem("planning.board", _l("Planning"), STAFF),
    NavItem("production.batch_list", _l("Batches"), STAFF),
    NavItem("materials.lot_list", _l("Material lots"), STAFF),
    NavItem("shipping.shipment_list", _l("Shipments"), STAFF),
    NavItem("returns.item_list", _l("Returns"), STAFF),
    NavItem("traceability.trace", _l("Traceability"), STAFF),
    NavItem("workers.worker_list", _l("Workers"), STAFF),
    NavItem("instructions.instruction_list", _l("Instructions"), STAFF),
    NavItem("stations.station_list", _l("Stations"), STAFF),
    NavItem("partners.partner_list", _l("Partners"), STAFF),
    NavItem("catalog.product_list", _l("Products"), STAFF),
    NavItem("catalog.material_list", _l("Materials"), STAFF),
    NavItem("recipes.recipe_list", _l("Soap recipes"), STAFF),
    NavItem("harness.type_list", _l("Harness types"), STAFF),
    NavItem("copack.kit_list", _l("Kits"), STAFF),
    NavItem("auth.staff_list", _l("Staff accounts"), MANAGER),
    NavItem("scheduling.job_list", _l("Scheduled jobs"), MANAGER),
    NavItem("portal.order_list", _l("Our orders"), PARTNER),
    NavItem("portal_returns.item_list", _l("Returns"), PARTNER),
    NavItem("portal_recalls.recall_list", _l("Recalls"), PARTNER),
    NavItem("portal.preferences", _l("Notifications"), PARTNER),
    NavItem("api_tokens.token_list", _l("API tokens"), PARTNER),
    NavItem("webhooks.endpoint_list", _l("Webhooks"), PARTNER),
)


def navigation_for(role: str | None) -> list[NavItem]:
    """The navigation items a role sees, in order."""
    if role is None:
        return []
    return [item for item in NAVIGATION if role in item.roles]
