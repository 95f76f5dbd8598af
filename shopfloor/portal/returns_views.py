"""/portal/returns: a partner's returned garments, their defect photos and dispositions, and
the "repair or write off?" questions the partner answers.

Reads go through ``PartnerScope`` (another firm's item, photo or a guessed id answers 404);
answering is the ``returns.services.answer_decision`` service, which only a person who may
send orders passes (viewers see the question, not the buttons).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.codes import format_code
from shopfloor.errors import DomainError
from shopfloor.orders.queries import page_of
from shopfloor.portal.scope import PartnerScope
from shopfloor.returns import defects, display
from shopfloor.returns.models import DECISION_ANSWERS, ItemStatus
from shopfloor.returns.services import PHOTO_AREA, answer_decision
from shopfloor.uploads import photo_path, send_upload

bp = Blueprint("portal_returns", __name__, url_prefix="/portal/returns")

PARTNER = (Role.PARTNER_VIEWER, Role.PARTNER_ORDERER)
PER_PAGE = 25
PARETO_ROWS = 15


def _scope() -> PartnerScope:
    return PartnerScope.of(current_user)


def _names() -> dict:
    return {"status_names": display.STATUS_NAMES, "disposition_names": display.DISPOSITION_NAMES,
            "reason_names": display.REASON_NAMES, "defect_catalogue": defects.DEFECTS,
            "severity_names": display.SEVERITY_NAMES}


@bp.get("/")
@require_role(*PARTNER)
def item_list():
    """The partner's returned items, those waiting for its decision first."""
    status = request.args.get("status", "")
    if status not in display.STATUS_NAMES:
        status = ""
    items, total = page_of(_scope().returned_items(status or None),
                           request.args.get("page", 1, int), PER_PAGE)
    pareto = defects.pareto(_scope().defect_pairs())[:PARETO_ROWS]
    return render_template("portal/returns.html", items=items, total=total, per_page=PER_PAGE,
                           status=status, pareto=pareto, turnaround=_turnaround(), **_names())


def _turnaround() -> defects.Turnaround:
    """How fast the partner's items were decided, against its target (local dates)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    from shopfloor.extensions import db
    from shopfloor.partners.models import Partner

    zone = ZoneInfo(current_app.config["SHOPFLOOR"]["time_zone"])
    partner = db.session.get(Partner, current_user.partner_id)
    spans = [(received, decided.astimezone(zone).date())
             for received, decided in _scope().decided_spans()]
    return defects.turnaround(spans, partner.turnaround_days)


def _item_page(item, status: int = 200, error: str | None = None, note: str = ""):
    return render_template("portal/returned_item.html", item=item, error=error, note=note,
                           answers=DECISION_ANSWERS,
                           may_answer=(current_user.role == Role.PARTNER_ORDERER
                                       and item.status == ItemStatus.AWAITING_DECISION),
                           **_names()), status


@bp.get("/<int:item_id>")
@require_role(*PARTNER)
def item(item_id: int):
    """One returned item: what was wrong, the photos, what becomes of it."""
    return _item_page(_scope().returned_item(item_id) or abort(404))


@bp.post("/<int:item_id>/decision")
@require_role(*PARTNER)
def decision(item_id: int):
    """The partner's answer to "repair or write off?"."""
    item = _scope().returned_item(item_id) or abort(404)
    note = request.form.get("note", "")
    try:
        answer_decision(item, request.form.get("answer", ""), current_user._get_current_object(),
                        note=note)
    except DomainError as exc:
        return _item_page(item, 422 if exc.status_code == 400 else exc.status_code,
                          error=str(exc.message), note=note)
    flash(_("Thank you: item %(code)s will be handled as you chose (%(answer)s).",
            code=format_code(item.item_code),
            answer=display.DISPOSITION_NAMES[item.disposition]), "success")
    return redirect(url_for("portal_returns.item", item_id=item.id))


@bp.get("/<int:item_id>/photos/<name>")
@require_role(*PARTNER)
def photo(item_id: int, name: str):
    """A photo of one of the partner's returned items (cached: a stored photo never
    changes)."""
    found = _scope().returned_item_photo(item_id, name) or abort(404)
    return send_upload(photo_path(PHOTO_AREA, found.name), "image/jpeg")
