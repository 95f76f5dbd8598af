"""/api/v1/returned-items: returned garments, their status, defect photos and disposition,
and the partner's answer to "repair or write off?".

A partner's token sees its firm's items through ``PartnerScope`` (another firm's id answers
404); staff see every item. ``POST /{id}/decision`` is the partner's answer (a person who may
order, with a token that may change things); send an ``Idempotency-Key`` so a retry after a
lost answer is not refused as "already answered". The ``return_item.needs_decision`` webhook
says when an item waits for this answer.
"""

from __future__ import annotations

from flask import abort, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from shopfloor.api.common import ID, MAX_ID, Moment, acting_user, page_of
from shopfloor.api.idempotency import idempotent
from shopfloor.audit.models import AuditEntry
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.portal.scope import PartnerScope
from shopfloor.returns.defects import severity
from shopfloor.returns.models import (
    DECISION_ANSWERS,
    Disposition,
    ItemStatus,
    ReturnedItem,
    ReturnedItemPhoto,
)
from shopfloor.returns.services import PHOTO_AREA, answer_decision
from shopfloor.uploads import photo_path, send_upload

blp = Blueprint("api_returned_items", __name__, url_prefix="/api/v1/returned-items",
                description="Returned garments and the decisions they wait for")

STATUSES = [s.value for s in ItemStatus]
DISPOSITIONS = [d.value for d in Disposition]


class ItemFiltersSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "Only items in this status (awaiting_decision: waiting for your answer)"})
    order_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                              metadata={"description": "Only items returned under this order"})
    updated_since = Moment(metadata={
        "description": "Only items listed, asked about, answered or edited at or after this "
                       "moment (ISO 8601 with a time zone)"})


class PhotoSchema(Schema):
    url = fields.String(metadata={"description": "The photo (JPEG) in the API"})
    caption = fields.String()


class ReturnedItemSchema(Schema):
    id = fields.Integer()
    item_code = fields.String(metadata={"description": "Our code on the item's tag"})
    rma = fields.String(metadata={"description": "Your return authorisation number"})
    sku = fields.String()
    size = fields.String()
    colour = fields.String()
    reason = fields.String(metadata={"description": "Why it was returned: size, defect, "
                                                    "damaged, not_as_described, changed_mind "
                                                    "or other"})
    received_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    defect_note = fields.String(metadata={"description": "What we found wrong with it"})
    defect_code = fields.String(allow_none=True, metadata={
        "description": "The defect from our catalogue (C.. critical, M.. major, N.. minor), "
                       "null when none was found"})
    defect_severity = fields.String(allow_none=True, validate=validate.OneOf(
        ["critical", "major", "minor"]), metadata={"description": "How serious the defect is"})
    defect_zone = fields.String(allow_none=True, validate=validate.OneOf(["A", "B"]), metadata={
        "description": "Where: A (front, upper sleeve, collar) or B (underarm, inside)"})
    disposition = fields.String(allow_none=True, validate=validate.OneOf(DISPOSITIONS),
                                metadata={"description": "What becomes of it (null: not "
                                                         "decided yet)"})
    question = fields.String(metadata={"description": "What we asked you, if anything"})
    answers = fields.List(fields.String(), metadata={
        "description": "What you may answer while the status is awaiting_decision"})
    asked_at = fields.AwareDateTime(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)
    answer_note = fields.String()
    order_id = fields.Integer(allow_none=True)
    batch_code = fields.String()
    photos = fields.List(fields.Nested(PhotoSchema))
    url = fields.String()


class DecisionSchema(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(DECISION_ANSWERS),
                           metadata={"description": "repair, or write_off (recycled or "
                                                    "donated, never destroyed)"})
    note = fields.String(load_default="", validate=validate.Length(max=1000),
                         metadata={"description": "A note for the cooperative"})


def _scope() -> PartnerScope | None:
    user = acting_user()
    return PartnerScope.of(user) if user.is_partner else None


def _items_query(scope: PartnerScope | None):
    if scope is None:
        return (select(ReturnedItem).options(selectinload(ReturnedItem.photos),
                                             selectinload(ReturnedItem.batch))
                .order_by(ReturnedItem.id.desc()))
    return scope.returned_items()


def _item_or_404(item_id: int) -> ReturnedItem:
    scope = _scope()
    item = db.session.get(ReturnedItem, item_id) if scope is None else scope.returned_item(item_id)
    if item is None:
        abort(404, description=_("No such returned item."))
    return item


def _dump(item: ReturnedItem) -> dict:
    return {
        "id": item.id, "item_code": item.item_code, "rma": item.rma, "sku": item.sku,
        "size": item.size, "colour": item.colour, "reason": item.reason,
        "received_on": item.received_on, "status": item.status,
        "defect_note": item.defect_note, "defect_code": item.defect_code,
        "defect_severity": severity(item.defect_code), "defect_zone": item.defect_zone,
        "disposition": item.disposition,
        "question": item.question,
        "answers": list(DECISION_ANSWERS) if item.status == ItemStatus.AWAITING_DECISION
        else [],
        "asked_at": item.asked_at, "answered_at": item.answered_at,
        "answer_note": item.answer_note, "order_id": item.order_id,
        "batch_code": item.batch.code,
        "photos": [{"url": url_for("api_returned_items.ItemPhoto", item_id=item.id,
                                   name=photo.name), "caption": photo.caption}
                   for photo in item.photos],
        "url": url_for("api_returned_items.ReturnedItemDetail", item_id=item.id)}


@blp.route("/")
class ReturnedItems(MethodView):
    """Returned items."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.arguments(ItemFiltersSchema, location="query")
    @blp.response(200, ReturnedItemSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List returned items, those waiting for your decision first."""
        query = _items_query(_scope())
        if "status" in filters:
            query = query.where(ReturnedItem.status == filters["status"])
        if "order_id" in filters:
            query = query.where(ReturnedItem.order_id == filters["order_id"])
        if "updated_since" in filters:
            since = filters["updated_since"]
            query = query.where(or_(ReturnedItem.updated_at >= since, exists().where(
                AuditEntry.record_type == ReturnedItem.__tablename__,
                AuditEntry.record_id == ReturnedItem.id, AuditEntry.at >= since)))
        return [_dump(item) for item in page_of(query, pagination_parameters)]


@blp.route(f"/<{ID}:item_id>")
class ReturnedItemDetail(MethodView):
    """One returned item."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.etag
    @blp.response(200, ReturnedItemSchema)
    def get(self, item_id):
        """One returned item: what was wrong, photos, the question and the disposition."""
        return _dump(_item_or_404(item_id))


@blp.route(f"/<{ID}:item_id>/decision")
class ItemDecision(MethodView):
    """The partner's decision on a returned item."""

    decorators = [require_role(*ROLE_VALUES)]

    @idempotent
    @blp.arguments(DecisionSchema)
    @blp.response(200, ReturnedItemSchema)
    @blp.alt_response(403, description="This account may not decide (staff, or a partner's "
                                        "person who only reads)")
    @blp.alt_response(409, description="The item is not waiting for a decision (answered "
                                        "already, or never asked)")
    def post(self, body, item_id):
        """Answer "repair or write off?" for an item waiting for your decision."""
        item = _item_or_404(item_id)
        try:
            answer_decision(item, body["answer"], acting_user(), note=body["note"])
        except DomainError as exc:
            abort(exc.status_code if exc.status_code != 400 else 422,
                  description=str(exc.message))
        return _dump(item)


@blp.route(f"/<{ID}:item_id>/photos/<string(length=28):name>")
class ItemPhoto(MethodView):
    """A photo of a returned item."""

    decorators = [require_role(*ROLE_VALUES)]

    @blp.response(200, {"type": "string", "format": "binary"}, content_type="image/jpeg",
                  description="The photo as a JPEG")
    def get(self, item_id, name):
        """A photo of the item's defect, as a JPEG."""
        item = _item_or_404(item_id)
        photo = db.session.scalar(select(ReturnedItemPhoto).where(
            ReturnedItemPhoto.item_id == item.id, ReturnedItemPhoto.name == name))
        if photo is None:
            abort(404, description=_("No such photo."))
        return send_upload(photo_path(PHOTO_AREA, photo.name), "image/jpeg")
