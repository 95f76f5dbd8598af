"""Material lots: goods-in, list, detail and status decisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.materials import queries
from shopfloor.materials.forms import LotReceiptForm, LotStatusForm
from shopfloor.materials.models import MaterialLot
from shopfloor.materials.services import (
    LOT_ACTION_NAMES,
    LOT_MACHINE,
    LOT_STATUS_NAMES,
    LotReceipt,
    receive_lot,
    remaining_quantity,
    set_lot_status,
)
from shopfloor.orders.queries import page_of
from shopfloor.timeutil import local_today

bp = Blueprint("materials", __name__, url_prefix="/lots")


@bp.get("/")
@require_role(*STAFF)
def lot_list():
    """Lots with their status; quarantine first when filtered."""
    search, status = request.args.get("q", ""), request.args.get("status", "")
    rows, total = page_of(queries.lots_query(search, status), request.args.get("page", 1, int))
    return render_template("materials/lots.html", lots=rows, total=total, search=search,
                           status=status, status_names=LOT_STATUS_NAMES)


@bp.route("/receive", methods=["GET", "POST"])
@require_role(*STAFF)
def lot_receive():
    """Goods-in: record a received lot (it starts in quarantine)."""
    form = LotReceiptForm()
    if request.method == "GET":
        form.received_on.data = local_today()
    status = 200
    if form.validate_on_submit():
        receipt = LotReceipt(material_id=form.material_id.data, supplier=form.supplier.data,
                             supplier_lot=form.supplier_lot.data,
                             received_on=form.received_on.data, quantity=form.quantity.data,
                             owner_partner_id=form.owner_partner_id.data,
                             expires_on=form.expires_on.data,
                             delivery_note=form.delivery_note.data or "",
                             notes=form.notes.data or "")
        try:
            lot = receive_lot(receipt, current_user._get_current_object())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Lot %(code)s received. It waits in quarantine until approved.",
                    code=lot.code), "success")
            return redirect(url_for("materials.lot_detail", lot_id=lot.id))
    return (render_template("materials/receive.html", form=form),
            form_status(form, status))


def _lot_page(lot: MaterialLot, form: LotStatusForm, status: int = 200):
    return render_template("materials/lot.html", lot=lot, form=form,
                           remaining=remaining_quantity(lot),
                           consumptions=queries.lot_consumptions(lot.id),
                           moves=LOT_MACHINE.next_statuses(lot.status),
                           status_names=LOT_STATUS_NAMES, action_names=LOT_ACTION_NAMES,
                           entries=history(lot)), status


@bp.get("/<int:lot_id>")
@require_role(*STAFF)
def lot_detail(lot_id: int):
    """One lot: its status, what is left, which batches used it."""
    lot = db.session.get(MaterialLot, lot_id) or abort(404)
    return _lot_page(lot, LotStatusForm(version=lot.version))


@bp.post("/<int:lot_id>/status")
@require_role(*STAFF)
def lot_status(lot_id: int):
    """Approve, reject or put back into quarantine."""
    lot = db.session.get(MaterialLot, lot_id) or abort(404)
    form = LotStatusForm()
    status = 200
    if form.validate_on_submit():
        try:
            set_lot_status(lot, form.status.data, current_user._get_current_object(),
                           reason=form.reason.data or "", expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Lot %(code)s is now: %(status)s.", code=lot.code,
                    status=LOT_STATUS_NAMES[lot.status]), "success")
            return redirect(url_for("materials.lot_detail", lot_id=lot.id))
    return _lot_page(lot, form, form_status(form, status))
