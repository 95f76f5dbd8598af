"""GET /api/v1/orders/{id}/lines: the lines of one order, with what is made and shipped and
the forecast's expected date. Scoped like the order itself (another firm's order is 404)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shopfloor.api.common import ID
from shopfloor.api.orders import OrderLineSchema, order_lines, order_or_404
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.planning.services import forecast_for_order

blp = Blueprint("api_order_lines", __name__, url_prefix="/api/v1/orders",
                description="The lines of an order")


@blp.route(f"/<{ID}:order_id>/lines")
class OrderLines(MethodView):
    """An order's lines."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, OrderLineSchema(many=True))
    def get(self, order_id):
        """An order's lines: product, ordered, made, shipped, due and expected dates, risk."""
        order = order_or_404(order_id)
        return order_lines(order, forecast_for_order(order))
