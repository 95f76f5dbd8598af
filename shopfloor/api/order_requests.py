"""POST /api/v1/orders: a partner's system requests an order. It becomes a draft order of
the token owner's firm (source "api") that the cooperative's manager confirms; the answer is
the order as GET /api/v1/orders/{id} shows it, with its address in Location.

Only the accounts of partners' people who may order (``partner_orderer``) request, with a
token that may change things; staff enter orders in the office (403 saying so). Send an
``Idempotency-Key`` so that a retry after a lost answer does not order twice.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from shopfloor.api.common import acting_user, unprocessable
from shopfloor.api.idempotency import idempotent
from shopfloor.api.orders import OrderDetailSchema, order_detail
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.catalog.models import Product
from shopfloor.extensions import db
from shopfloor.orders.models import OrderSource
from shopfloor.orders.requests import (
    MAX_LINES,
    check_may_request,
    request_order,
)
from shopfloor.orders.services import LineData, OrderLinesInvalid
from shopfloor.portal.scope import PartnerScope
from shopfloor.timeutil import local_today

blp = Blueprint("api_order_requests", __name__, url_prefix="/api/v1/orders",
                description="Order requests: a partner's system asks for an order, which the "
                            "cooperative confirms")

# The order service names a line's fields as the office form does; the API names them as
# the request body does.
API_FIELD = {"product_id": "product_code", "quantity": "quantity", "due_date": "due_date"}


class Quantity(fields.Field):
    """A quantity as a decimal string ("12.5") or a JSON number, read as a Decimal; whether
    it is more than zero with at most three places is the order rules' to say, per line."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError(_("Send the quantity as a number or a string such as "
                                    "\"12.5\"."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("Send the quantity as a number or a string such as "
                                    "\"12.5\"."))
        return number


class RequestLineSchema(Schema):
    product_code = fields.String(required=True, validate=validate.Length(min=1, max=40),
                                 metadata={"description": "A product your firm orders, by "
                                                          "its code"})
    quantity = Quantity(required=True, metadata={
        "type": "string", "pattern": r"^[0-9]{1,11}(\.[0-9]{1,3})?$",
        "description": "More than zero, at most three decimal places, in the product's "
                       "unit; a string such as \"12.5\" (a JSON number is accepted too)"})
    due_date = fields.Date(required=True, metadata={
        "description": "When the goods are needed: today or later, within three years"})
    notes = fields.String(load_default="", validate=validate.Length(max=200))


class OrderRequestSchema(Schema):
    partner_reference = fields.String(load_default="", validate=validate.Length(max=80),
                                      metadata={"description": "Your own order number"})
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    lines = fields.List(fields.Nested(RequestLineSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_LINES))


def _line_data(scope: PartnerScope, rows: list[dict]) -> tuple[list[LineData], set[int]]:
    """The request's lines with product ids; and the rows whose code is not a product the
    firm may order (another firm's product is as unknown as a made-up code)."""
    codes = {row["product_code"].strip() for row in rows}
    products = {p.code: p.id for p in db.session.scalars(
        scope.products().where(Product.code.in_(codes)))}
    unknown = {i for i, row in enumerate(rows) if row["product_code"].strip() not in products}
    return [LineData(products.get(row["product_code"].strip()), row["quantity"],
                     row["due_date"], row["notes"]) for row in rows], unknown


@blp.route("/")
class OrderRequests(MethodView):
    """Order requests."""

    # Everyone signed in reaches the service, which says clearly who may request.
    decorators = [require_role(*ROLE_VALUES)]

    @idempotent
    @blp.arguments(OrderRequestSchema)
    @blp.response(201, OrderDetailSchema, headers={
        "Location": {"description": "The new order in the API",
                     "schema": {"type": "string"}}})
    @blp.alt_response(403, description="This account may not request orders (staff, or a "
                                        "partner's person who only reads)")
    def post(self, body):
        """Request an order for your firm.

        The order is a draft (status "draft") until the cooperative confirms it. Lines name
        products by code; refused values are named by field, e.g. lines.0.due_date."""
        user = acting_user()
        check_may_request(user)
        lines, unknown = _line_data(PartnerScope.of(user), body["lines"])
        try:
            order = request_order(user, body["partner_reference"], lines, body["notes"],
                                  OrderSource.API, today=local_today())
        except OrderLinesInvalid as exc:
            refused = {f"lines.{row}.{API_FIELD.get(field, field)}": [message]
                       for (row, field), message in exc.problems.items()}
            for row in unknown:
                refused[f"lines.{row}.product_code"] = [
                    _("No product with this code that your firm orders.")]
            unprocessable(exc.message, refused)
        detail = order_detail(order)
        return detail, 201, {"Location": url_for("api_orders.OrderDetail", order_id=order.id)}
