"""/portal/recalls: the recall notices a partner received, each naming only its own batches
and delivery notes (read through ``PartnerScope``: another firm's notice answers 404)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.extensions import db
from shopfloor.portal.scope import PartnerScope

bp = Blueprint("portal_recalls", __name__, url_prefix="/portal/recalls")

PARTNER = (Role.PARTNER_VIEWER, Role.PARTNER_ORDERER)


@bp.get("/")
@require_role(*PARTNER)
def recall_list():
    """The partner's recall notices, newest first."""
    notices = list(db.session.scalars(PartnerScope.of(current_user).recall_notices()))
    return render_template("portal/recalls.html", notices=notices)


@bp.get("/<recall_id>")
@require_role(*PARTNER)
def recall_detail(recall_id: str):
    """One recall notice: why, the partner's batches and delivery notes, what to do."""
    notice = PartnerScope.of(current_user).recall_notice(recall_id)
    if notice is None:
        abort(404)
    return render_template("portal/recall.html", notice=notice, recall=notice.recall)
