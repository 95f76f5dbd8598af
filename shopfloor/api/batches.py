"""GET /api/v1/batches and /api/v1/batches/{id}: production batches, their quantities and
status, and the order lines they make goods for.

A partner's token sees the batches making its firm's orders, through ``PartnerScope``, and of
each batch only the order lines of its own firm; scrapped batches are left out, as in the
portal (they make nothing for the order). Staff see every batch. Reads carry an ETag."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from shopfloor.api.common import ID, MAX_ID, Moment, acting_user, page_of
from shopfloor.audit.models import AuditEntry
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.extensions import db
from shopfloor.orders.models import OrderLine
from shopfloor.portal.scope import PartnerScope
from shopfloor.production.models import Batch, BatchAllocation
from shopfloor.production.status import BatchStatus

blp = Blueprint("api_batches", __name__, url_prefix="/api/v1/batches",
                description="Production batches making the orders")

STATUSES = [s.value for s in BatchStatus]


class BatchFiltersSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "Only batches in this status"})
    order_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                              metadata={"description": "Only batches making this order"})
    updated_since = Moment(metadata={
        "description": "Only batches created, moved or edited at or after this moment (ISO "
                       "8601 with a time zone)"})


class BatchOrderLineSchema(Schema):
    order_id = fields.Integer()
    order_code = fields.String()
    order_line_id = fields.Integer()
    line_no = fields.Integer()
    quantity = fields.Decimal(as_string=True, metadata={
        "description": "How much of the batch is meant for this order line"})
    order_url = fields.String()


class BatchSchema(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"description": "The batch code, also the lot number on "
                                                  "the labels"})
    line = fields.String(metadata={"description": "Production line: soap, harness, "
                                                  "garments or copack"})
    product_code = fields.String()
    product_name = fields.String()
    unit = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    planned_quantity = fields.Decimal(as_string=True)
    good_quantity = fields.Decimal(as_string=True, metadata={
        "description": "Good units made (final once the batch is done)"})
    rejected_quantity = fields.Decimal(as_string=True)
    created_at = fields.AwareDateTime()
    released_at = fields.AwareDateTime(allow_none=True)
    started_at = fields.AwareDateTime(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)
    order_lines = fields.List(fields.Nested(BatchOrderLineSchema))
    url = fields.String()


def _scope() -> PartnerScope | None:
    user = acting_user()
    return PartnerScope.of(user) if user.is_partner else None


def _batches_query(scope: PartnerScope | None):
    loaded = (selectinload(Batch.product), selectinload(Batch.rejects),
              selectinload(Batch.allocations).selectinload(BatchAllocation.order_line)
              .selectinload(OrderLine.order))
    if scope is None:
        query = select(Batch)
    else:
        query = scope.batches().where(Batch.status != BatchStatus.SCRAPPED).order_by(None)
    return query.options(*loaded).order_by(Batch.id.desc())


def _batch_or_404(batch_id: int) -> Batch:
    scope = _scope()
    batch = (db.session.get(Batch, batch_id) if scope is None else scope.batch(batch_id))
    if batch is None or (scope is not None and batch.status == BatchStatus.SCRAPPED):
        abort(404, description=_("No such batch."))
    return batch


def _dump(batch: Batch, scope: PartnerScope | None) -> dict:
    allocations = [a for a in batch.allocations
                   if scope is None or a.order_line.order.partner_id == scope.partner_id]
    return {
        "id": batch.id, "code": batch.code, "line": batch.line,
        "product_code": batch.product.code, "product_name": batch.product.name,
        "unit": batch.product.unit, "status": batch.status,
        "planned_quantity": batch.planned_quantity, "good_quantity": batch.good_quantity,
        # Written like the other quantities ("0.000"), also with no rejects at all.
        "rejected_quantity": batch.rejected_quantity or Decimal("0.000"),
        "created_at": batch.created_at,
        "released_at": batch.released_at, "started_at": batch.started_at,
        "finished_at": batch.finished_at,
        "order_lines": [{
            "order_id": a.order_line.order_id, "order_code": a.order_line.order.code,
            "order_line_id": a.order_line_id, "line_no": a.order_line.line_no,
            "quantity": a.quantity,
            "order_url": url_for("api_orders.OrderDetail", order_id=a.order_line.order_id)}
            for a in allocations],
        "url": url_for("api_batches.BatchDetail", batch_id=batch.id)}


@blp.route("/")
class Batches(MethodView):
    """Batches."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.arguments(BatchFiltersSchema, location="query")
    @blp.response(200, BatchSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List batches, newest first; filter by status, order and last change."""
        scope = _scope()
        query = _batches_query(scope)
        if "status" in filters:
            query = query.where(Batch.status == filters["status"])
        if "order_id" in filters:
            query = query.where(Batch.id.in_(
                select(BatchAllocation.batch_id)
                .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
                .where(OrderLine.order_id == filters["order_id"])))
        if "updated_since" in filters:
            since = filters["updated_since"]
            # Status moves and edits are audited; the audit trail says when a batch changed.
            query = query.where(or_(Batch.created_at >= since, exists().where(
                AuditEntry.record_type == Batch.__tablename__,
                AuditEntry.record_id == Batch.id, AuditEntry.at >= since)))
        return [_dump(batch, scope) for batch in page_of(query, pagination_parameters)]


@blp.route(f"/<{ID}:batch_id>")
class BatchDetail(MethodView):
    """One batch."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, BatchSchema)
    def get(self, batch_id):
        """One batch: quantities, status, dates and the order lines it makes goods for."""
        return _dump(_batch_or_404(batch_id), _scope())
