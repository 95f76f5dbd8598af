"""The one way the partner portal and the API read partner data (DESIGN.md rule 7).

A ``PartnerScope`` holds a partner id and builds every query with that partner in its WHERE
clause, so a partner's account can reach only its own firm's orders, lines, batches and
shipments, whatever id or code it sends. A lookup outside the scope answers None (the views
turn that into 404, never into another partner's data, and never into 403, which would
confirm that the thing exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from shopfloor.codes import normalize_code
from shopfloor.extensions import db
from shopfloor.orders.models import Order, OrderLine
from shopfloor.production.models import Batch, BatchAllocation
from shopfloor.shipping.models import Shipment

# The largest id an INTEGER column holds (PostgreSQL): a larger guess finds nothing rather
# than failing the query.
_MAX_ID = 2**31 - 1


def _as_id(value) -> int | None:
    """A record id from a URL or form value, or None for anything that cannot be one."""
    text = str(value)
    if not text.isdecimal() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= _MAX_ID else None


@dataclass(frozen=True)
class PartnerScope:
    """Queries limited to one partner firm's records."""

    partner_id: int

    @classmethod
    def of(cls, user) -> PartnerScope:
        """The scope of a signed-in partner account (ValueError for staff: a staff view must
        not reach partner data through the portal's scope by mistake)."""
        partner_id = getattr(user, "partner_id", None)
        if partner_id is None:
            raise ValueError("only a partner's account has a partner scope")
        return cls(partner_id)

    # ------------------------------------------------------------ orders

    def orders(self) -> Select:
        """The partner's orders, newest first (a query to filter and page further)."""
        return (select(Order).where(Order.partner_id == self.partner_id)
                .order_by(Order.created_at.desc(), Order.id.desc()))

    def order_list(self, status: str | None = None, search: str = "") -> Select:
        """The partner's orders for the portal's list, newest first: narrowed to one status
        and to an order code or partner's reference when given; lines and products loaded."""
        query = self.orders().options(selectinload(Order.lines).selectinload(OrderLine.product))
        if status:
            query = query.where(Order.status == status)
        term = (search or "").strip()
        if term:
            # What the person typed is looked for as it is: % and _ are no wildcards.
            literal = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(or_(Order.code == normalize_code(term),
                                    Order.partner_reference.ilike(f"%{literal}%",
                                                                  escape="\\")))
        return query

    def order_forecasts(self, orders) -> dict:
        """The stored forecast of each of these orders that is the partner's (order id ->
        planning.services.OrderForecast); one query for a whole page."""
        from shopfloor.planning.models import LineForecast
        from shopfloor.planning.services import forecasts_from_rows

        ids = [o.id for o in orders if o.partner_id == self.partner_id]
        if not ids:
            return {}
        return forecasts_from_rows(db.session.execute(
            select(LineForecast, OrderLine.order_id, OrderLine.due_date)
            .join(OrderLine, OrderLine.id == LineForecast.order_line_id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.partner_id == self.partner_id, Order.id.in_(ids))).all())

    def line_progress(self, orders) -> dict:
        """Progress of every line of these orders that is the partner's (order line id ->
        orders.queries.LineProgress), in a few queries for a whole page."""
        from shopfloor.orders.queries import lines_progress

        return lines_progress([line for o in orders if o.partner_id == self.partner_id
                               for line in o.lines])

    def order(self, order_id) -> Order | None:
        """One of the partner's orders by id."""
        order_id = _as_id(order_id)
        if order_id is None:
            return None
        return db.session.scalar(select(Order).where(
            Order.id == order_id, Order.partner_id == self.partner_id))

    def order_by_code(self, code: str) -> Order | None:
        """One of the partner's orders by its code as people write it (any case, dashes)."""
        wanted = normalize_code(code or "")
        if not wanted:
            return None
        return db.session.scalar(select(Order).where(
            Order.code == wanted, Order.partner_id == self.partner_id))

    def order_line(self, line_id) -> OrderLine | None:
        """One line of one of the partner's orders."""
        line_id = _as_id(line_id)
        if line_id is None:
            return None
        return db.session.scalar(
            select(OrderLine).join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.id == line_id, Order.partner_id == self.partner_id))

    # ------------------------------------------------------------ products

    def products(self) -> Select:
        """The products the partner may order (the same rule as the order service): active,
        made for anyone or for this partner, on a line the partner orders from."""
        from shopfloor.catalog.models import Product
        from shopfloor.partners.models import PartnerLine

        lines = select(PartnerLine.line).where(PartnerLine.partner_id == self.partner_id)
        return (select(Product).where(
            Product.active.is_(True), Product.line.in_(lines),
            or_(Product.partner_id.is_(None), Product.partner_id == self.partner_id))
            .order_by(Product.line, Product.code))

    # ------------------------------------------------------------ batches

    def batches(self) -> Select:
        """Batches that make something for the partner's orders."""
        mine = (select(BatchAllocation.batch_id)
                .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
                .join(Order, Order.id == OrderLine.order_id)
                .where(Order.partner_id == self.partner_id))
        return select(Batch).where(Batch.id.in_(mine)).order_by(Batch.id)

    def batches_of_order(self, order: Order) -> list[Batch]:
        """The batches making one of the partner's orders (empty for another's order)."""
        if order.partner_id != self.partner_id:
            return []
        # IN, not JOIN + DISTINCT: PostgreSQL cannot compare the JSON record column.
        serving = (select(BatchAllocation.batch_id)
                   .join(OrderLine, OrderLine.id == BatchAllocation.order_line_id)
                   .join(Order, Order.id == OrderLine.order_id)
                   .where(Order.id == order.id, Order.partner_id == self.partner_id))
        return list(db.session.scalars(
            select(Batch).where(Batch.id.in_(serving)).order_by(Batch.id)))

    def batch(self, batch_id) -> Batch | None:
        """One batch that makes something for the partner."""
        batch_id = _as_id(batch_id)
        if batch_id is None:
            return None
        return db.session.scalar(self.batches().where(Batch.id == batch_id))

    # ------------------------------------------------------------ shipments

    def shipments(self) -> Select:
        """The partner's shipments, newest first."""
        return (select(Shipment).where(Shipment.partner_id == self.partner_id)
                .order_by(Shipment.shipped_on.desc(), Shipment.id.desc()))

    def shipments_of_order(self, order: Order) -> list[Shipment]:
        """Shipments of one of the partner's orders."""
        return list(db.session.scalars(self.shipments().where(Shipment.order_id == order.id)))

    def shipment(self, shipment_id) -> Shipment | None:
        """One of the partner's shipments by id."""
        shipment_id = _as_id(shipment_id)
        if shipment_id is None:
            return None
        return db.session.scalar(self.shipments().where(Shipment.id == shipment_id))

    # ------------------------------------------------------------ webhooks

    def webhook_endpoints(self) -> Select:
        """The partner's webhook endpoints, oldest first (active and disabled)."""
        from shopfloor.webhooks.models import WebhookEndpoint

        return (select(WebhookEndpoint).where(WebhookEndpoint.partner_id == self.partner_id)
                .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id))

    def webhook_endpoint(self, endpoint_id):
        """One of the partner's webhook endpoints by id."""
        from shopfloor.webhooks.models import WebhookEndpoint

        endpoint_id = _as_id(endpoint_id)
        if endpoint_id is None:
            return None
        return db.session.scalar(self.webhook_endpoints().where(WebhookEndpoint.id == endpoint_id))

    def deliveries(self) -> Select:
        """Deliveries to any of the partner's webhook endpoints (a query to narrow further)."""
        from shopfloor.webhooks.models import WebhookDelivery, WebhookEndpoint

        return (select(WebhookDelivery)
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(WebhookEndpoint.partner_id == self.partner_id))

    def deliveries_of(self, endpoint) -> Select:
        """The deliveries to one of the partner's endpoints, newest first (none for another
        partner's endpoint)."""
        from shopfloor.webhooks.models import WebhookDelivery

        return (self.deliveries().where(WebhookDelivery.endpoint_id == endpoint.id)
                .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()))

    def delivery(self, delivery_id):
        """One delivery to one of the partner's endpoints, by id."""
        from shopfloor.webhooks.models import WebhookDelivery

        delivery_id = _as_id(delivery_id)
        if delivery_id is None:
            return None
        return db.session.scalar(self.deliveries().where(WebhookDelivery.id == delivery_id))

    def last_deliveries(self, endpoints) -> dict:
        """The newest delivery of each of these endpoints that is the partner's (endpoint id
        -> delivery), in one query."""
        from sqlalchemy import func

        from shopfloor.webhooks.models import WebhookDelivery

        ids = [e.id for e in endpoints if e.partner_id == self.partner_id]
        if not ids:
            return {}
        newest = (select(func.max(WebhookDelivery.id)).where(WebhookDelivery.endpoint_id.in_(ids))
                  .group_by(WebhookDelivery.endpoint_id))
        rows = db.session.scalars(self.deliveries().where(WebhookDelivery.id.in_(newest)))
        return {d.endpoint_id: d for d in rows}

    # ------------------------------------------------------------ returned items

    def recall_notices(self) -> Select:
        """The recall notices the partner received, newest first, with their recall."""
        from shopfloor.traceability.models import RecallNotice

        return (select(RecallNotice).where(RecallNotice.partner_id == self.partner_id)
                .options(selectinload(RecallNotice.recall)).order_by(RecallNotice.id.desc()))

    def recall_notice(self, recall_id):
        """The partner's notice of one recall (by the recall's id), or None."""
        from shopfloor.traceability.models import RecallNotice

        recall_id = _as_id(recall_id)
        if recall_id is None:
            return None
        return db.session.scalar(self.recall_notices().where(
            RecallNotice.recall_id == recall_id))

    def returned_items(self, status: str | None = None) -> Select:
        """The partner's returned garments, those waiting for its decision first, then the
        newest; narrowed to one status when given."""
        from sqlalchemy import case

        from shopfloor.returns.models import ItemStatus, ReturnedItem

        waiting = case((ReturnedItem.status == ItemStatus.AWAITING_DECISION.value, 0), else_=1)
        query = (select(ReturnedItem).where(ReturnedItem.partner_id == self.partner_id)
                 .options(selectinload(ReturnedItem.photos), selectinload(ReturnedItem.batch))
                 .order_by(waiting, ReturnedItem.id.desc()))
        return query.where(ReturnedItem.status == status) if status else query

    def defect_pairs(self) -> list[tuple[str, str]]:
        """(SKU, defect code) of every returned item of the partner with a defect found."""
        from shopfloor.returns.models import ReturnedItem

        return [tuple(row) for row in db.session.execute(
            select(ReturnedItem.sku, ReturnedItem.defect_code).where(
                ReturnedItem.partner_id == self.partner_id,
                ReturnedItem.defect_code.is_not(None)))]

    def decided_spans(self) -> list[tuple]:
        """(received on, decided at) of the partner's returned items that are decided."""
        from shopfloor.returns.models import ReturnedItem

        return [tuple(row) for row in db.session.execute(
            select(ReturnedItem.received_on, ReturnedItem.decided_at).where(
                ReturnedItem.partner_id == self.partner_id,
                ReturnedItem.decided_at.is_not(None)))]

    def returned_items_of_order(self, order: Order) -> list:
        """The returned items of one of the partner's orders."""
        from shopfloor.returns.models import ReturnedItem

        return list(db.session.scalars(self.returned_items().where(
            ReturnedItem.order_id == order.id)))

    def returned_item(self, item_id):
        """One of the partner's returned items by id."""
        from shopfloor.returns.models import ReturnedItem

        item_id = _as_id(item_id)
        if item_id is None:
            return None
        return db.session.scalar(self.returned_items().where(ReturnedItem.id == item_id))

    def returned_item_photo(self, item_id, name: str):
        """A photo of one of the partner's returned items, by the item's id and its name."""
        from shopfloor.returns.models import ReturnedItemPhoto

        item = self.returned_item(item_id)
        if item is None:
            return None
        return db.session.scalar(select(ReturnedItemPhoto).where(
            ReturnedItemPhoto.item_id == item.id, ReturnedItemPhoto.name == str(name)))

    def items_awaiting_decision(self) -> int:
        """How many of the partner's returned items wait for its decision (for the menu)."""
        from sqlalchemy import func

        from shopfloor.returns.models import ItemStatus, ReturnedItem

        return db.session.scalar(select(func.count(ReturnedItem.id)).where(
            ReturnedItem.partner_id == self.partner_id,
            ReturnedItem.status == ItemStatus.AWAITING_DECISION.value)) or 0
