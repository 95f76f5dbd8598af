"""POST /api/v1/scans: resolve what a scanner read."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shopfloor.api.idempotency import idempotent
from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.scanning.services import resolve_scan

blp = Blueprint("api_scans", __name__, url_prefix="/api/v1/scans",
                description="Resolve scanned codes")


class ScanRequestSchema(Schema):
    raw = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                        metadata={"description": "Exactly what the scanner or camera read"})
    station = fields.String(load_default="", validate=validate.Length(max=60),
                            metadata={"description": "Name of the scanning station or tablet"})


class ScanActionSchema(Schema):
    status = fields.String()
    label = fields.String()


class ScanResponseSchema(Schema):
    kind = fields.String(metadata={"description": "batch, lot, order, shipment, return or worker"})
    code = fields.String(allow_none=True)
    url = fields.String(allow_none=True, metadata={"description": "Page that shows it"})
    message = fields.String()
    actions = fields.List(fields.Nested(ScanActionSchema))


@blp.route("/")
class Scans(MethodView):
    """Scans."""

    decorators = [require_role(*STAFF)]

    @idempotent
    @blp.arguments(ScanRequestSchema)
    @blp.response(200, ScanResponseSchema)
    @blp.alt_response(404, description="Well-formed but unknown code")
    @blp.alt_response(422, description="Misread or malformed code")
    def post(self, body):
        """Resolve a scan: what it is, its page, and the next steps this user may take."""
        result = resolve_scan(body["raw"], current_user._get_current_object(),
                              station=body["station"])
        if not result.accepted:
            abort(404 if result.kind == "unknown" else 422, description=result.message)
        return result.as_json()
