"""GET /api/v1/orders and /api/v1/orders/{id}: orders with their lines, progress and the
forecast's expected completion. A partner's token sees only its firm's orders (through
``PartnerScope``, DESIGN rule 7: another firm's order is 404); a staff token sees all.
Reads carry an ETag and answer 304 to a matching If-None-Match."""

from __future__ import annotations

from flask import abort, url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from shopfloor.api.common import ID, Moment, page_of
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.extensions import db
from shopfloor.orders.models import Order
from shopfloor.orders.queries import line_progress
from shopfloor.orders.status import OrderStatus
from shopfloor.planning.services import forecast_for_order
from shopfloor.portal.scope import PartnerScope

blp = Blueprint("api_orders", __name__, url_prefix="/api/v1/orders",
                description="Orders, their lines and progress")

STATUSES = [s.value for s in OrderStatus]
RISKS = ["on_track", "at_risk", "late"]


class OrderFiltersSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "Only orders in this status"})
    updated_since = Moment(
        metadata={"description": "Only orders changed at or after this moment (ISO 8601 with "
                                 "a time zone), to fetch what changed since the last call"})


class OrderSummarySchema(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"description": "The order's code, e.g. Z7K4M2XQ"})
    partner_id = fields.Integer()
    partner_reference = fields.String(metadata={"description": "The partner's own number"})
    status = fields.String(validate=validate.OneOf(STATUSES))
    earliest_due = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    url = fields.String(metadata={"description": "This order in the API"})


class OrderLineSchema(Schema):
    id = fields.Integer()
    line_no = fields.Integer()
    product_code = fields.String()
    product_name = fields.String()
    unit = fields.String()
    quantity = fields.Decimal(as_string=True)
    made = fields.Decimal(as_string=True)
    shipped = fields.Decimal(as_string=True)
    due_date = fields.Date()
    expected_on = fields.Date(allow_none=True, metadata={
        "description": "Projected completion; null when not forecast or beyond the horizon"})
    risk = fields.String(allow_none=True, validate=validate.OneOf(RISKS))


class OrderDetailSchema(OrderSummarySchema):
    expected_on = fields.Date(allow_none=True)
    risk = fields.String(allow_none=True, validate=validate.OneOf(RISKS))
    forecast_computed_at = fields.AwareDateTime(allow_none=True)
    lines = fields.List(fields.Nested(OrderLineSchema))


def _orders_query():
    """All orders for staff; a partner's own through its scope."""
    user = current_user._get_current_object()
    if user.is_partner:
        return PartnerScope.of(user).orders()
    return select(Order).order_by(Order.created_at.desc(), Order.id.desc())


def order_or_404(order_id: int) -> Order:
    """The order with this id that the account may see (a partner's own), else 404."""
    user = current_user._get_current_object()
    order = (PartnerScope.of(user).order(order_id) if user.is_partner
             else db.session.get(Order, order_id))
    if order is None:
        abort(404, description="No such order.")
    return order


def _summary(order: Order) -> dict:
    return {"id": order.id, "code": order.code, "partner_id": order.partner_id,
            "partner_reference": order.partner_reference, "status": order.status,
            "earliest_due": order.earliest_due, "created_at": order.created_at,
            "updated_at": order.updated_at,
            "url": url_for("api_orders.OrderDetail", order_id=order.id)}


@blp.route("/")
class Orders(MethodView):
    """Orders."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.arguments(OrderFiltersSchema, location="query")
    @blp.response(200, OrderSummarySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List orders, newest first; filter by status and by when they last changed."""
        query = _orders_query()
        if "status" in filters:
            query = query.where(Order.status == filters["status"])
        if "updated_since" in filters:
            query = query.where(Order.updated_at >= filters["updated_since"])
        return [_summary(order) for order in page_of(query, pagination_parameters)]


@blp.route(f"/<{ID}:order_id>")
class OrderDetail(MethodView):
    """One order."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, OrderDetailSchema)
    @blp.alt_response(404, description="No such order (or not one of yours)")
    def get(self, order_id):
        """One order with its lines: ordered, made, shipped, due and expected dates, risk."""
        return order_detail(order_or_404(order_id))


def order_lines(order: Order, outlook=None) -> list[dict]:
    """An order's lines as OrderLineSchema dumps them: progress and forecast included."""
    progress = line_progress(order)
    lines = []
    for line in order.lines:
        stored = outlook.lines.get(line.id) if outlook else None
        lines.append({
            "id": line.id, "line_no": line.line_no, "product_code": line.product.code,
            "product_name": line.product.name, "unit": line.product.unit,
            "quantity": line.quantity, "made": progress[line.id].made,
            "shipped": line.quantity_shipped, "due_date": line.due_date,
            "expected_on": stored.projected_on if stored else None,
            "risk": stored.risk if stored else None})
    return lines


def order_detail(order: Order) -> dict:
    """An order as OrderDetailSchema dumps it (the detail read and a created request)."""
    outlook = forecast_for_order(order)
    return {**_summary(order), "lines": order_lines(order, outlook),
            "expected_on": outlook.projected_on if outlook else None,
            "risk": outlook.risk if outlook else None,
            "forecast_computed_at": outlook.computed_at if outlook else None}


class ComponentBalanceSchema(Schema):
    component = fields.String()
    gtin = fields.String(metadata={"description": "14 digits, or empty"})
    countable = fields.Boolean(metadata={
        "description": "A printed countable (label, insert, carton): accounted for exactly"})
    received = fields.Decimal(as_string=True, metadata={"description": "Counted at goods-in"})
    used = fields.Decimal(as_string=True, metadata={"description": "Built into kits"})
    scrapped = fields.Decimal(as_string=True)
    returned = fields.Decimal(as_string=True, metadata={"description": "Sent back to you"})
    on_hand = fields.Decimal(as_string=True, metadata={
        "description": "What the book says is left: received - used - scrapped - returned"})
    counted = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "What the count at the end found; null until counted"})
    variance = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "counted - on_hand (negative: missing); null until counted"})
    explanation = fields.String()
    balanced = fields.Boolean()


class MaterialSchema(Schema):
    tolerance_per_mille = fields.Integer(metadata={
        "description": "The largest variance accepted, in thousandths of what was received"})
    balanced = fields.Boolean(metadata={
        "description": "Every component counted and within the tolerance: the order may close"})
    components = fields.List(fields.Nested(ComponentBalanceSchema))


BALANCE_FIELDS = tuple(ComponentBalanceSchema().fields)


@blp.route(f"/<{ID}:order_id>/material")
class OrderMaterial(MethodView):
    """Your material on a co-packing order."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, MaterialSchema)
    @blp.alt_response(404, description="No such co-packing order (or not one of yours)")
    def get(self, order_id):
        """Your material on a co-packing order: received = used + scrapped + returned + on hand.

        Per component, with the count at the end and its variance; the order closes when all
        are counted and within the tolerance."""
        from shopfloor.copack.reconcile import order_reconciliation

        reconciliation = order_reconciliation(order_or_404(order_id))
        if reconciliation is None:
            abort(404, description="This order has no co-packing kit.")
        return {"tolerance_per_mille": reconciliation.tolerance_per_mille,
                "balanced": reconciliation.balanced,
                "components": [{name: getattr(c, name) for name in BALANCE_FIELDS}
                               for c in reconciliation.components]}
