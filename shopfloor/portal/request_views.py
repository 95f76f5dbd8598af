"""GET/POST /portal/orders/request: a partner's person who may order requests an order.

The request becomes a draft order of their firm for the cooperative to confirm (the
``orders.requests`` service); viewers get 403 and see no link. Products come from the firm's
own list (``PartnerScope.products``). Bad input re-renders the form with what was typed and a
message next to the field.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders.models import OrderSource
from shopfloor.orders.requests import RequestRefused, line_problems, request_order
from shopfloor.orders.services import LineData, OrderLinesInvalid
from shopfloor.portal.request_forms import MORE_ROWS, OrderRequestForm
from shopfloor.portal.scope import PartnerScope
from shopfloor.timeutil import local_today

bp = Blueprint("portal_requests", __name__, url_prefix="/portal/orders")


def _lines(form: OrderRequestForm) -> list[LineData]:
    return [LineData(row.form.product_id.data, row.form.quantity.data, row.form.due_date.data)
            for row in form.filled_rows()]


def _show_rule_problems(form: OrderRequestForm) -> None:
    """With a mistyped field, also show what the order rules say of the rest, so every
    mistake is shown at once (a field keeps its own message when it has one)."""
    filled = form.filled_rows()
    problems = line_problems(current_user.partner_id, _lines(form), local_today())
    for (index, field), message in problems.items():
        target = getattr(filled[index].form, field)
        if not target.errors:
            target.errors = [*target.errors, message]


def _send(form: OrderRequestForm):
    """Run the request service; the new order, or None and the status to answer with."""
    user = current_user._get_current_object()
    try:
        order = request_order(user, form.partner_reference.data or "", _lines(form),
                              form.notes.data or "", OrderSource.PORTAL, today=local_today())
    except OrderLinesInvalid as exc:
        filled = form.filled_rows()
        for (index, field), message in exc.problems.items():
            getattr(filled[index].form, field).errors.append(message)
        return None, 422
    except RequestRefused as exc:  # e.g. the firm was made inactive meanwhile
        abort(403, description=str(exc.message))
    except DomainError as exc:
        if exc.field == "lines":
            form.lines_errors.append(str(exc.message))
            return None, 422
        return None, attach_error(form, exc)
    return order, 200


@bp.route("/request", methods=["GET", "POST"])
@require_role(Role.PARTNER_ORDERER)
def request_order_page():
    """The order-request form; sending it makes a draft order and opens its page."""
    products = list(db.session.scalars(PartnerScope.of(current_user).products()))
    form = OrderRequestForm(products)
    form.lines_errors = []
    status = 200
    if request.method == "POST" and form.more.data:
        # More rows, nothing sent: what was typed stays, and no errors are shown yet.
        form.add_rows(MORE_ROWS)
    elif form.validate_on_submit():
        order, status = _send(form)
        if order is not None:
            flash(_("Your request was sent; the cooperative will confirm it."), "success")
            return redirect(url_for("portal.order_detail", order_id=order.id))
    elif form.is_submitted():
        _show_rule_problems(form)
    return (render_template("portal/request.html", form=form, products=products),
            form_status(form, status))
