"""GET /api/v1/shipments, /api/v1/shipments/{id} and its delivery note (WZ) as a PDF.

A partner's token sees its firm's shipments only, through ``PartnerScope`` (another firm's
shipment, or its PDF, is 404); staff see all. Reads carry an ETag."""

from __future__ import annotations

from flask import abort, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shopfloor.api.common import ID, MAX_ID, Moment, acting_user, page_of
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.extensions import db
from shopfloor.orders.models import OrderLine
from shopfloor.portal.scope import PartnerScope
from shopfloor.shipping.models import Shipment, ShipmentLine

blp = Blueprint("api_shipments", __name__, url_prefix="/api/v1/shipments",
                description="Shipments and their delivery notes")


class ShipmentFiltersSchema(Schema):
    order_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                              metadata={"description": "Only shipments of this order"})
    updated_since = Moment(metadata={
        "description": "Only shipments recorded at or after this moment (ISO 8601 with a "
                       "time zone)"})


class ShipmentLineSchema(Schema):
    order_line_id = fields.Integer()
    line_no = fields.Integer()
    product_code = fields.String()
    product_name = fields.String()
    unit = fields.String()
    quantity = fields.Decimal(as_string=True)
    batch_id = fields.Integer()
    batch_code = fields.String(metadata={"description": "The lot number on the labels"})


class ShipmentPalletSchema(Schema):
    sscc = fields.String(metadata={"description": "The pallet's SSCC (18 digits, AI 00)"})
    batch_id = fields.Integer()
    batch_code = fields.String(metadata={"description": "The lot number of the goods on it"})
    product_code = fields.String()
    quantity = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "Units on the pallet; null for a label printed before pallets "
                       "recorded their contents"})


class ShipmentSchema(Schema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "Delivery note number, WZ/YYYY/NNNN"})
    order_id = fields.Integer()
    order_code = fields.String()
    partner_id = fields.Integer()
    shipped_on = fields.Date()
    carrier = fields.String()
    tracking = fields.String()
    notes = fields.String()
    created_at = fields.AwareDateTime()
    lines = fields.List(fields.Nested(ShipmentLineSchema))
    ssccs = fields.List(fields.String(), metadata={
        "description": "The SSCCs (18 digits) of the pallets that left on this shipment"})
    pallets = fields.List(fields.Nested(ShipmentPalletSchema), metadata={
        "description": "What is on each pallet (SSCC) of this shipment, like a despatch "
                       "advice: batch, product and quantity"})
    order_url = fields.String()
    delivery_note_url = fields.String(metadata={"description": "The delivery note as a PDF"})
    url = fields.String()


def _scope() -> PartnerScope | None:
    user = acting_user()
    return PartnerScope.of(user) if user.is_partner else None


def _shipment_or_404(shipment_id: int) -> Shipment:
    scope = _scope()
    shipment = (db.session.get(Shipment, shipment_id) if scope is None
                else scope.shipment(shipment_id))
    if shipment is None:
        abort(404, description=_("No such shipment."))
    return shipment


def _dump(shipment: Shipment) -> dict:
    from shopfloor.shipping.queries import pallets_of

    pallets = pallets_of([shipment])[shipment.id]
    return {
        "ssccs": [p.sscc for p in pallets],
        "pallets": [{"sscc": p.sscc, "batch_id": p.batch_id, "batch_code": p.batch.code,
                     "product_code": p.batch.product.code, "quantity": p.quantity}
                    for p in pallets],
        "id": shipment.id, "number": shipment.number, "order_id": shipment.order_id,
        "order_code": shipment.order.code, "partner_id": shipment.partner_id,
        "shipped_on": shipment.shipped_on, "carrier": shipment.carrier,
        "tracking": shipment.tracking, "notes": shipment.notes,
        "created_at": shipment.created_at,
        "lines": [{"order_line_id": line.order_line_id, "line_no": line.order_line.line_no,
                   "product_code": line.order_line.product.code,
                   "product_name": line.order_line.product.name,
                   "unit": line.order_line.product.unit, "quantity": line.quantity,
                   "batch_id": line.batch_id, "batch_code": line.batch.code}
                  for line in shipment.lines],
        "order_url": url_for("api_orders.OrderDetail", order_id=shipment.order_id),
        "delivery_note_url": url_for("api_shipments.DeliveryNote", shipment_id=shipment.id),
        "url": url_for("api_shipments.ShipmentDetail", shipment_id=shipment.id)}


@blp.route("/")
class Shipments(MethodView):
    """Shipments."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.arguments(ShipmentFiltersSchema, location="query")
    @blp.response(200, ShipmentSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List shipments, newest first; filter by order and by when they were recorded."""
        scope = _scope()
        query = (select(Shipment).order_by(Shipment.shipped_on.desc(), Shipment.id.desc())
                 if scope is None else scope.shipments())
        query = query.options(
            selectinload(Shipment.order),
            selectinload(Shipment.lines).selectinload(ShipmentLine.batch),
            selectinload(Shipment.lines).selectinload(ShipmentLine.order_line)
            .selectinload(OrderLine.product))
        if "order_id" in filters:
            query = query.where(Shipment.order_id == filters["order_id"])
        if "updated_since" in filters:
            query = query.where(Shipment.created_at >= filters["updated_since"])
        return [_dump(shipment) for shipment in page_of(query, pagination_parameters)]


@blp.route(f"/<{ID}:shipment_id>")
class ShipmentDetail(MethodView):
    """One shipment."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, ShipmentSchema)
    def get(self, shipment_id):
        """One shipment: delivery note number, date, carrier, lines with product and batch.

        ``pallets`` lists what left on each pallet (SSCC, batch, product, quantity), as a
        despatch advice would; ``ssccs`` the same SSCCs alone.
        """
        return _dump(_shipment_or_404(shipment_id))


@blp.route(f"/<{ID}:shipment_id>/delivery-note.pdf")
class DeliveryNote(MethodView):
    """A shipment's delivery note."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.response(200, {"type": "string", "format": "binary"},
                  content_type="application/pdf",
                  description="The delivery note (WZ) as an A4 PDF, to keep or print")
    def get(self, shipment_id):
        """The shipment's delivery note (WZ) as a PDF."""
        from shopfloor.shipping.delivery_note import delivery_note_response

        return delivery_note_response(_shipment_or_404(shipment_id))
