"""The staff inbox, and the manager's view of e-mail waiting in the outbox."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.forms_support import safe_next
from shopfloor.notifications import services
from shopfloor.notifications.models import MailStatus

bp = Blueprint("notifications", __name__)


def _user():
    return current_user._get_current_object()


@bp.get("/inbox")
@require_role(*STAFF)
def inbox():
    """The signed-in person's messages, newest first, unread ones marked."""
    return render_template("notifications/inbox.html", notifications=services.inbox(_user()),
                           unread=services.unread_count(_user()))


@bp.get("/inbox/<int:notification_id>")
@require_role(*STAFF)
def open_notification(notification_id: int):
    """Follow a message's link; opening it marks it read."""
    notification = services.open_notification(_user(), notification_id)
    if notification is None:
        abort(404)  # another person's message looks the same as a missing one
    return redirect(safe_next(notification.link, url_for("notifications.inbox")))


@bp.post("/inbox/read")
@require_role(*STAFF)
def mark_all_read():
    """Mark every message of the signed-in person read."""
    changed = services.mark_read(_user(), services.ALL)
    if changed:
        flash(ngettext("%(num)s notification marked read.", "%(num)s notifications marked read.",
                       changed), "success")
    return redirect(url_for("notifications.inbox"))


@bp.get("/outbox")
@require_role(*MANAGER)
def outbox():
    """E-mail not sent yet: waiting for a retry, or failed (with the server's answer)."""
    return render_template("notifications/outbox.html", mails=services.waiting_mail(),
                           failed=MailStatus.FAILED.value,
                           mail_on=bool(current_app.config["SHOPFLOOR"]["smtp.host"]))


@bp.post("/outbox/<int:mail_id>/retry")
@require_role(*MANAGER)
def retry_email(mail_id: int):
    """Put a failed e-mail back in the queue for the next outbox run."""
    try:
        mail = services.retry_email(mail_id, _user())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The e-mail to %(recipient)s will be sent at the next outbox run.",
                recipient=mail.recipient), "success")
    return redirect(url_for("notifications.outbox"))


def unread_for_header() -> int | None:
    """The signed-in staff member's unread count for the page header; None for anyone else.

    Called by base.html only when it draws the header, so pages without it cost no query.
    """
    if current_user.is_anonymous or current_user.role not in STAFF:
        return None
    try:
        return services.unread_count(_user())
    except SQLAlchemyError:
        # An error page drawn after a failed transaction must still render: no badge then.
        return None


@bp.app_context_processor
def _header_values() -> dict:
    return {"unread_notifications": unread_for_header}
