"""The read-only status page behind a partner's status link: one order, no account needed.

It shows what the partner chose to share (the order's status, lines, progress, due and
expected dates), nothing priced and no way into the portal, and asks search engines not to
index it. An expired, tampered or mistyped link answers 404 with a message saying so.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from shopfloor.auth.access import PUBLIC, require_role
from shopfloor.database import utcnow
from shopfloor.planning.display import RISK_NAMES
from shopfloor.portal import display
from shopfloor.portal.links import StatusLinkExpired, StatusLinkRefused, read_status_link
from shopfloor.portal.scope import PartnerScope
from shopfloor.timeutil import local_today

bp = Blueprint("portal_public", __name__)


@bp.get("/status/<token>")
@require_role(PUBLIC)
def order_status(token: str):
    """One order's status, for whoever holds a valid status link."""
    now = utcnow()
    try:
        link = read_status_link(token, now)
    except StatusLinkExpired:
        abort(404, _("This status link has expired. Ask the person who sent it to you "
                     "for a new one."))
    except StatusLinkRefused:
        abort(404, _("This status link is not valid. Check that you copied the whole "
                     "address, or ask the person who sent it to you for a new one."))
    scope = PartnerScope(link.partner_id)
    order = scope.order(link.order_id)
    if order is None:
        abort(404, _("This status link is not valid. Check that you copied the whole "
                     "address, or ask the person who sent it to you for a new one."))
    progress = scope.line_progress([order])
    response = render_template(
        "portal/status.html", order=order, progress=progress, link=link, now=now,
        overall=display.overall_progress(order.lines, progress),
        forecast=scope.order_forecasts([order]).get(order.id),
        overdue=display.overdue_line_ids(order, local_today()),
        status_names=display.PARTNER_ORDER_STATUS_NAMES, risk_names=RISK_NAMES)
    # Whoever holds the link sees it; no shared cache keeps a copy, no search engine lists it.
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
