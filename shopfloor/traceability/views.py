"""The traceability page: one search box for a lot, supplier lot, batch or delivery note."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from sqlalchemy import select

from shopfloor.auth.access import require_role
from shopfloor.codes import KIND_BATCH, KIND_LOT, InvalidCode, normalize_code, parse_code
from shopfloor.core.roles import STAFF
from shopfloor.extensions import db
from shopfloor.materials.models import MaterialLot
from shopfloor.production.models import Batch
from shopfloor.production.status import BATCH_STATUS_NAMES
from shopfloor.shipping.models import Shipment
from shopfloor.traceability import services

bp = Blueprint("traceability", __name__, url_prefix="/trace")


def _resolve(args) -> dict:
    """What the search names: lots (forward), a batch or a shipment (backward)."""
    text = (args.get("lot") or args.get("batch") or args.get("shipment") or args.get("q")
            or "").strip()
    if not text:
        return {"text": ""}
    if text.upper().startswith("WZ"):
        shipment = db.session.scalar(select(Shipment).where(
            Shipment.number == text.upper().replace(" ", "")))
        return {"text": text, "shipment": shipment}
    try:
        code = parse_code(text)
    except InvalidCode:
        code = None
    if code and code.startswith(KIND_BATCH):
        return {"text": text, "batch": db.session.scalar(select(Batch).where(Batch.code == code))}
    if code and code.startswith(KIND_LOT):
        lot = db.session.scalar(select(MaterialLot).where(MaterialLot.code == code))
        return {"text": text, "lots": [lot] if lot else []}
    # Not one of our codes: a supplier's lot number, as named in a supplier recall.
    lots = services.lots_by_supplier_lot(text) or services.lots_by_supplier_lot(
        normalize_code(text))
    return {"text": text, "lots": lots}


@bp.get("/")
@require_role(*STAFF)
def trace():
    """Forward from a lot to partners; backward from a batch or shipment to lots."""
    found = _resolve(request.args)
    forward = backward = None
    if found.get("lots"):
        forward = services.trace_forward(found["lots"])
    elif found.get("batch"):
        backward = services.lots_of_batches([found["batch"].id])
    elif found.get("shipment"):
        backward = services.trace_backward_shipment(found["shipment"])
    return render_template("traceability/trace.html", found=found, forward=forward,
                           backward=backward, batch_status_names=BATCH_STATUS_NAMES)


@bp.get("/recall.csv")
@require_role(*STAFF)
def recall_csv():
    """The recall report for the lots the search names, as CSV."""
    found = _resolve(request.args)
    trace = services.trace_forward(found.get("lots") or [])
    # Only letters and digits in the file name: the header must stay one clean value.
    name = "".join(ch for ch in normalize_code(found.get("text") or "")
                   if ch.isascii() and ch.isalnum())[:40] or "report"
    return Response(services.recall_csv(trace), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="recall-{name}.csv"'})
