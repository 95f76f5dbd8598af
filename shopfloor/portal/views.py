"""The partner portal: a partner firm's orders with progress and expected completion, the
batches making them, shipments with their delivery notes, and read-only status links.

Every read goes through ``PartnerScope`` (DESIGN.md rule 7): another partner's order,
shipment or a guessed id answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.codes import format_code
from shopfloor.copack.reconcile import order_reconciliation
from shopfloor.database import utcnow
from shopfloor.orders.queries import page_of
from shopfloor.planning.display import RISK_NAMES, slack_text
from shopfloor.portal import display
from shopfloor.portal.forms import PreferencesForm
from shopfloor.portal.links import (
    StatusLinkRefused,
    issue_status_link,
    read_status_link,
    status_url,
)
from shopfloor.portal.preferences import preferences_of, save_preferences
from shopfloor.portal.scope import PartnerScope
from shopfloor.returns import display as returns_display
from shopfloor.shipping.queries import pallets_of
from shopfloor.timeutil import local_today

bp = Blueprint("portal", __name__, url_prefix="/portal")

PARTNER = (Role.PARTNER_VIEWER, Role.PARTNER_ORDERER)
PER_PAGE = 25
# The session key of the last status link made, so the order's page can show it again.
SHARE_KEY = "portal_status_link"


def _scope() -> PartnerScope:
    return PartnerScope.of(current_user)


def _refresh_forecast() -> None:
    """Bring the stored forecast up to date first, as the staff order pages do, so a partner
    sees the same expected dates as the manager."""
    from shopfloor.planning.services import refresh_if_stale

    refresh_if_stale(utcnow())


@bp.get("/")
@require_role(*PARTNER)
def order_list():
    """The partner's orders, newest first, by status or searched by code or reference."""
    scope = _scope()
    status = display.status_filter(request.args.get("status"))
    search = request.args.get("q", "").strip()
    _refresh_forecast()
    orders, total = page_of(scope.order_list(status, search),
                            request.args.get("page", 1, int), PER_PAGE)
    progress = scope.line_progress(orders)
    today = local_today()
    return render_template(
        "portal/list.html", orders=orders, total=total, per_page=PER_PAGE, status=status,
        search=search, forecasts=scope.order_forecasts(orders),
        overall={o.id: display.overall_progress(o.lines, progress) for o in orders},
        overdue={o.id for o in orders if display.overdue_line_ids(o, today)},
        status_names=display.PARTNER_ORDER_STATUS_NAMES, risk_names=RISK_NAMES)


def _shared_link(order) -> dict | None:
    """The status link this person last made for ``order`` in this session, while valid."""
    saved = session.get(SHARE_KEY)
    if not saved or saved.get("order") != order.id:
        return None
    try:
        link = read_status_link(saved.get("token", ""), utcnow())
    except StatusLinkRefused:
        session.pop(SHARE_KEY, None)
        return None
    return {"url": status_url(saved["token"]), "expires_at": link.expires_at}


def _detail(order_id):
    scope = _scope()
    order = scope.order(order_id) or abort(404)
    _refresh_forecast()
    progress = scope.line_progress([order])
    batches = scope.batches_of_order(order)
    shipments = scope.shipments_of_order(order)
    return render_template(
        "portal/detail.html", order=order, progress=progress,
        overall=display.overall_progress(order.lines, progress),
        forecast=scope.order_forecasts([order]).get(order.id),
        overdue=display.overdue_line_ids(order, local_today()),
        batches=display.shown_batches(batches), balances=order_reconciliation(order),
        shipments=shipments, pallets=pallets_of(shipments), share=_shared_link(order),
        returned_items=scope.returned_items_of_order(order),
        item_status_names=returns_display.STATUS_NAMES,
        disposition_names=returns_display.DISPOSITION_NAMES,
        status_names=display.PARTNER_ORDER_STATUS_NAMES, risk_names=RISK_NAMES,
        stage_names=display.BATCH_STAGE_NAMES, slack_text=slack_text)


@bp.get("/orders/<int:order_id>")
@require_role(*PARTNER)
def order_detail(order_id: int):
    """One of the partner's orders: lines with progress, expected dates, batches, shipments."""
    return _detail(order_id)


@bp.post("/orders/<int:order_id>/share")
@require_role(*PARTNER)
def share_order(order_id: int):
    """Make a read-only status link for one order and show it on the order's page.

    Nothing is stored in the database (the link is a signed token); the session keeps the
    last one made so the order's page can show it. Making another leaves the first valid."""
    order = _scope().order(order_id) or abort(404)
    token, _link = issue_status_link(order, utcnow())
    session[SHARE_KEY] = {"order": order.id, "token": token}
    flash(_("The status link for order %(code)s is ready: copy it below.",
            code=format_code(order.code)), "success")
    return redirect(url_for("portal.order_detail", order_id=order.id, _anchor="share"))


@bp.get("/shipments/<int:shipment_id>/wz.pdf")
@require_role(*PARTNER)
def delivery_note(shipment_id: int):
    """The delivery note (WZ) of one of the partner's shipments, as a PDF."""
    from shopfloor.shipping.delivery_note import delivery_note_response

    return delivery_note_response(_scope().shipment(shipment_id) or abort(404))


@bp.get("/orders/<int:order_id>/statement.pdf")
@require_role(*PARTNER)
def statement_pdf(order_id: int):
    """The statement of the partner's own material on one of its co-packing orders."""
    from shopfloor.copack.statement import pdf_response

    order = _scope().order(order_id) or abort(404)
    if order_reconciliation(order) is None:
        abort(404)
    return pdf_response(order)


@bp.route("/preferences", methods=["GET", "POST"])
@require_role(*PARTNER)
def preferences():
    """The person's own e-mail choices: which news of the partner's orders they get."""
    user = current_user._get_current_object()
    form = PreferencesForm.of(preferences_of(user))
    if form.validate_on_submit():
        save_preferences(user, form.choices())
        flash(_("Your e-mail choices are saved."), "success")
        return redirect(url_for("portal.preferences"))
    return render_template("portal/preferences.html", form=form), 422 if form.errors else 200
