"""Shipments: ship from an order, list, detail and the delivery note PDF."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders.models import Order
from shopfloor.orders.queries import page_of
from shopfloor.shipping import queries
from shopfloor.shipping.forms import ShipmentForm
from shopfloor.shipping.models import Shipment
from shopfloor.shipping.services import PALLETS_REQUIRED, ShipmentLineData, create_shipment
from shopfloor.timeutil import local_today

bp = Blueprint("shipping", __name__, url_prefix="/shipments")


def _quantities(rows) -> tuple[list[ShipmentLineData], dict[str, str], dict[str, str]]:
    """Read qty-<line>-<batch> inputs: (lines, what was typed, per-input errors)."""
    lines, typed, errors = [], {}, {}
    for line, batch, _available, pallets_only in rows:
        if pallets_only:
            continue  # no input on the page: these leave on their pallets only
        name = f"qty-{line.id}-{batch.id}"
        raw = request.form.get(name, "").strip().replace(",", ".")
        typed[name] = request.form.get(name, "")
        if not raw:
            continue
        try:
            quantity = Decimal(raw)
        except InvalidOperation:
            errors[name] = _("Enter a number, for example 12.5.")
            continue
        lines.append(ShipmentLineData(line.id, batch.id, quantity))
    return lines, typed, errors


@bp.route("/new/<int:order_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def shipment_new(order_id: int):
    """Ship finished batches of an order, by quantity or by their pallets (co-packing:
    pallets only); issues the next delivery-note number."""
    order = db.session.get(Order, order_id) or abort(404)
    rows = queries.shippable_rows(order)
    pallets = queries.open_pallets_of_order(order)
    form = ShipmentForm()
    form.pallets.choices = [(p.id, p.sscc) for p in pallets]
    if request.method == "GET":
        form.shipped_on.data = local_today()
    typed: dict[str, str] = {}
    input_errors: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        lines, typed, input_errors = _quantities(rows)
        if input_errors:
            status = 422
        elif not lines and not form.pallets.data and any(row[3] for row in rows):
            # Nothing to ship but co-packing units off pallets: say what to do about them.
            status = attach_error(form, DomainError(PALLETS_REQUIRED, field="pallets"))
        else:
            try:
                shipment = create_shipment(order, form.shipped_on.data, lines,
                                           current_user._get_current_object(),
                                           carrier=form.carrier.data or "",
                                           tracking=form.tracking.data or "",
                                           notes=form.notes.data or "",
                                           pallet_ids=form.pallets.data or [])
            except DomainError as exc:
                status = attach_error(form, exc)
            else:
                flash(_("Shipment %(number)s saved.", number=shipment.number), "success")
                return redirect(url_for("shipping.shipment_detail", shipment_id=shipment.id))
    elif request.method == "POST":
        _lines, typed, input_errors = _quantities(rows)
    return render_template("shipping/new.html", order=order, rows=rows, pallets=pallets,
                           form=form, typed=typed, input_errors=input_errors,
                           chosen=set(form.pallets.data or [])), form_status(form, status)


@bp.get("/")
@require_role(*STAFF)
def shipment_list():
    """All shipments, newest first."""
    search = request.args.get("q", "")
    rows, total = page_of(queries.shipments_query(search), request.args.get("page", 1, int))
    return render_template("shipping/list.html", shipments=rows, total=total, search=search)


@bp.get("/<int:shipment_id>")
@require_role(*STAFF)
def shipment_detail(shipment_id: int):
    """One shipment and what it carried."""
    shipment = db.session.get(Shipment, shipment_id) or abort(404)
    from shopfloor.shipping.queries import pallets_of

    return render_template("shipping/detail.html", shipment=shipment,
                           pallets=pallets_of([shipment])[shipment.id])


@bp.get("/<int:shipment_id>/wz.pdf")
@require_role(*STAFF)
def delivery_note(shipment_id: int):
    """The delivery note (WZ) as a PDF listing batches and the lots in them."""
    from shopfloor.shipping.delivery_note import delivery_note_response

    return delivery_note_response(db.session.get(Shipment, shipment_id) or abort(404))
