"""Orders: list with filters, create and edit, detail with progress, status moves."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.auth.models import User
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders import queries
from shopfloor.orders.forms import OrderForm, OrderStatusForm
from shopfloor.orders.models import Order
from shopfloor.orders.services import (
    LineData,
    OrderLinesInvalid,
    change_order_status,
    create_order,
    update_order,
)
from shopfloor.orders.status import (
    EDITABLE,
    MANUAL_MOVES,
    ORDER_ACTION_NAMES,
    ORDER_MACHINE,
    ORDER_STATUS_NAMES,
    is_line_overdue,
)
from shopfloor.partners.queries import active_partners
from shopfloor.production.queries import batches_of_order
from shopfloor.shipping.queries import shipments_of_order
from shopfloor.timeutil import local_today

bp = Blueprint("orders", __name__, url_prefix="/orders")


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/")
@require_role(*STAFF)
def order_list():
    """Orders, filtered by partner, status and due date, searchable by code or reference."""
    filters = queries.OrderFilters(
        partner_id=request.args.get("partner", type=int), status=request.args.get("status"),
        due_from=_date_arg("due_from"), due_to=_date_arg("due_to"),
        search=request.args.get("q", ""), overdue=request.args.get("overdue") == "1")
    today = local_today()
    rows, total = queries.page_of(queries.order_list_query(filters, today),
                                  request.args.get("page", 1, int))
    overdue_ids = queries.overdue_ids([o.id for o in rows], today)
    return render_template("orders/list.html", orders=rows, total=total, filters=filters,
                           overdue_ids=overdue_ids, partners=active_partners(),
                           status_names=ORDER_STATUS_NAMES)


def _lines(form: OrderForm) -> list[LineData]:
    return [LineData(row.form.product_id.data, row.form.quantity.data, row.form.due_date.data,
                     row.form.notes.data or "")
            for row in form.lines if not row.form.is_empty()]


def _show_line_problems(form: OrderForm, exc: OrderLinesInvalid) -> None:
    filled = [row for row in form.lines if not row.form.is_empty()]
    for (index, field), message in exc.problems.items():
        getattr(filled[index].form, field).errors.append(message)


def _save(form: OrderForm, order: Order | None):
    """Run the create or update service; returns (order or None, http status)."""
    user = current_user._get_current_object()
    try:
        if order is None:
            order = create_order(form.partner_id.data, form.partner_reference.data or "",
                                 _lines(form), user, today=local_today(),
                                 notes=form.notes.data or "")
        else:
            update_order(order, form.partner_id.data, form.partner_reference.data or "",
                         _lines(form), user, today=local_today(), notes=form.notes.data or "",
                         expected_version=form.version.data)
    except OrderLinesInvalid as exc:
        _show_line_problems(form, exc)
        return None, 422
    except DomainError as exc:
        return None, attach_error(form, exc)
    return order, 200


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def order_new():
    """Record a new order as a draft."""
    form = OrderForm(partner_id=request.args.get("partner", type=int))
    status = 200
    if form.validate_on_submit():
        order, status = _save(form, None)
        if order is not None:
            flash(_("Order %(code)s saved as a draft.", code=order.code), "success")
            return redirect(url_for("orders.order_detail", order_id=order.id))
    return (render_template("orders/form.html", form=form, order=None),
            form_status(form, status))


@bp.route("/<int:order_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGER)
def order_edit(order_id: int):
    """Edit a draft or confirmed order."""
    order = db.session.get(Order, order_id) or abort(404)
    if order.status not in EDITABLE:
        flash(_("Only draft and confirmed orders can be edited."), "warning")
        return redirect(url_for("orders.order_detail", order_id=order.id))
    form = OrderForm(obj=order)
    status = 200
    if form.validate_on_submit():
        saved, status = _save(form, order)
        if saved is not None:
            flash(_("Order %(code)s saved.", code=order.code), "success")
            return redirect(url_for("orders.order_detail", order_id=order.id))
    return (render_template("orders/form.html", form=form, order=order),
            form_status(form, status))


def _detail(order: Order, status_form: OrderStatusForm, status: int = 200):
    today = local_today()
    progress = queries.line_progress(order)
    moves = [s for s in ORDER_MACHINE.next_statuses(order.status)
             if (order.status, s) in MANUAL_MOVES or s == "cancelled"]
    overdue = {line.id for line in order.lines if is_line_overdue(
        line.due_date, line.quantity, line.quantity_shipped, order.status, today)}
    from shopfloor.copack.reconcile import order_reconciliation
    from shopfloor.planning.display import RISK_NAMES, slack_text
    from shopfloor.planning.services import forecast_for_order, refresh_if_stale

    refresh_if_stale(utcnow())
    batches = batches_of_order(order.id)
    return render_template("orders/detail.html", order=order, progress=progress,
                           forecast=forecast_for_order(order), risk_names=RISK_NAMES,
                           slack_text=slack_text,
                           batches=batches, balances=order_reconciliation(order),
                           shipments=shipments_of_order(order.id), moves=moves,
                           status_form=status_form, status_names=ORDER_STATUS_NAMES,
                           overdue=overdue, entries=history(order),
                           action_names=ORDER_ACTION_NAMES,
                           requested_by=(db.session.get(User, order.requested_by_id)
                                         if order.requested_by_id else None),
                           editable=order.status in EDITABLE), status


@bp.get("/<int:order_id>")
@require_role(*STAFF)
def order_detail(order_id: int):
    """One order: lines with progress, its batches and shipments, history."""
    order = db.session.get(Order, order_id) or abort(404)
    return _detail(order, OrderStatusForm(version=order.version))


@bp.post("/<int:order_id>/status")
@require_role(*MANAGER)
def order_status(order_id: int):
    """Confirm, return to draft, cancel or close an order."""
    order = db.session.get(Order, order_id) or abort(404)
    form = OrderStatusForm()
    status = 200
    if form.validate_on_submit():
        try:
            change_order_status(order, form.status.data, current_user._get_current_object(),
                                reason=form.reason.data or "",
                                expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Order %(code)s is now: %(status)s.", code=order.code,
                    status=ORDER_STATUS_NAMES[order.status]), "success")
            return redirect(url_for("orders.order_detail", order_id=order.id))
    return _detail(order, form, form_status(form, status))
