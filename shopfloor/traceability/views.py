"""The traceability page: one search box for a lot, supplier lot, batch or delivery note."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from shopfloor.auth.access import require_role
from shopfloor.codes import KIND_BATCH, KIND_LOT, InvalidCode, normalize_code, parse_code
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error
from shopfloor.harness.queries import serials_built_with, unit_by_serial
from shopfloor.materials.models import MaterialLot
from shopfloor.production.models import Batch
from shopfloor.production.status import BATCH_STATUS_NAMES
from shopfloor.shipping.models import Shipment
from shopfloor.traceability import recalls, services
from shopfloor.traceability.models import Recall

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
    # A harness's serial number: back to its batch and the reel and terminals it was made of.
    unit = unit_by_serial(text)
    if unit is not None:
        return {"text": text, "batch": db.session.get(Batch, unit.batch_id), "unit": unit}
    # Not one of our codes: a supplier's lot number, as named in a supplier recall.
    lots = services.lots_by_supplier_lot(text) or services.lots_by_supplier_lot(
        normalize_code(text))
    return {"text": text, "lots": lots}


class RecallForm(FlaskForm):
    """Recall what the traced lots went into, and tell the partners why."""

    q = HiddenField()
    reason = TextAreaField(_l("Why (the partners read this)"), validators=[Length(max=2000)])


def _trace_page(found: dict, recall_form: RecallForm | None = None, status: int = 200):
    forward = backward = None
    if found.get("lots"):
        forward = services.trace_forward(found["lots"])
    elif found.get("batch"):
        backward = services.lots_of_batches([found["batch"].id])
    elif found.get("shipment"):
        backward = services.trace_backward_shipment(found["shipment"])
    return render_template(
        "traceability/trace.html", found=found, forward=forward, backward=backward,
        batch_status_names=BATCH_STATUS_NAMES,
        recall_form=recall_form or RecallForm(formdata=None, q=found.get("text", "")),
        earlier_recalls=recalls.recalls_of(found["lots"]) if found.get("lots") else [],
        serials=serials_built_with([lot.id for lot in found.get("lots") or []])), status


@bp.get("/")
@require_role(*STAFF)
def trace():
    """Forward from a lot to partners; backward from a batch or shipment to lots."""
    return _trace_page(_resolve(request.args))


@bp.post("/recall")
@require_role(*MANAGER)
def issue_recall():
    """Recall what the traced lots went into: lots rejected, batches held, partners told."""
    form = RecallForm()
    found = _resolve(request.form)
    if not form.validate_on_submit():
        return _trace_page(found, form, 422)
    try:
        recall = recalls.issue_recall(found.get("lots") or [], found.get("text", ""),
                                      form.reason.data or "", current_user._get_current_object())
    except DomainError as exc:
        return _trace_page(found, form, attach_error(form, exc))
    flash(_("Recall issued: %(n)s partners told.", n=len(recall.notices)), "success")
    return redirect(url_for("traceability.recall_detail", recall_id=recall.id))


@bp.get("/recalls/")
@require_role(*STAFF)
def recall_list():
    """Every recall issued, newest first."""
    return render_template("traceability/recalls.html", recalls=recalls.all_recalls())


@bp.get("/recalls/<int:recall_id>")
@require_role(*STAFF)
def recall_detail(recall_id: int):
    """One recall: the lots, the batches held, and what each partner was told."""
    recall = db.session.get(Recall, recall_id) or abort(404)
    return render_template("traceability/recall.html", recall=recall)


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
