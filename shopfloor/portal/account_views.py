"""Portal accounts in the browser: the manager invites people of a partner firm from the
partner's page (and sends a new link, disables, enables); the invited person opens the link
and chooses a password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import PUBLIC, require_role
from shopfloor.auth.models import User
from shopfloor.auth.views import begin_session
from shopfloor.core.roles import MANAGER
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.partners.models import Partner
from shopfloor.portal import accounts
from shopfloor.portal.forms import InviteForm, WelcomeForm

bp = Blueprint("portal_accounts", __name__)
welcome_bp = Blueprint("portal_welcome", __name__)


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_partner:
        abort(404)
    return user


def _announce_invitation(user: User, sent: str) -> None:
    """Say the invitation went out, or, with e-mail off, show the link to hand over."""
    if accounts.mail_is_on():
        flash(sent, "success")
    else:
        flash(_("E-mail is off, so nothing was sent. Give %(name)s this link (it works "
                "once, for %(days)s days): %(url)s", name=user.display_name,
                days=accounts.invite_days(), url=accounts.invite_url(user)), "warning")


def _back(partner_id: int):
    return redirect(url_for("partners.partner_detail", partner_id=partner_id,
                            _anchor="portal-accounts"))


@bp.post("/partners/<int:partner_id>/portal-accounts")
@require_role(*MANAGER)
def invite(partner_id: int):
    """Invite a person of the partner firm to the portal."""
    from shopfloor.partners.views import render_detail

    partner = db.session.get(Partner, partner_id) or abort(404)
    form = InviteForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.invite(partner, form.name.data, form.email.data, form.role.data,
                                   current_user._get_current_object())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            _announce_invitation(user, _("Invitation sent to %(email)s.", email=user.email))
            return _back(partner.id)
    return render_detail(partner, invite_form=form, status=form_status(form, status))


@bp.post("/portal-accounts/<int:user_id>/resend")
@require_role(*MANAGER)
def resend(user_id: int):
    """Send a new invitation link (the previous one stops working)."""
    user = _account(user_id)
    try:
        accounts.resend(user, current_user._get_current_object())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        _announce_invitation(user, _("A new invitation went to %(email)s.", email=user.email))
    return _back(user.partner_id)


@bp.post("/portal-accounts/<int:user_id>/disable")
@require_role(*MANAGER)
def disable(user_id: int):
    """Disable a portal account; its sessions end at once."""
    user = _account(user_id)
    accounts.set_active(user, False, current_user._get_current_object())
    flash(_("%(name)s can no longer sign in to the portal.", name=user.display_name), "success")
    return _back(user.partner_id)


@bp.post("/portal-accounts/<int:user_id>/enable")
@require_role(*MANAGER)
def enable(user_id: int):
    """Enable a portal account again."""
    user = _account(user_id)
    try:
        accounts.set_active(user, True, current_user._get_current_object())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("%(name)s can sign in to the portal again.", name=user.display_name), "success")
    return _back(user.partner_id)


@welcome_bp.route("/welcome/<token>", methods=["GET", "POST"])
@require_role(PUBLIC)
def welcome(token: str):
    """The invited person chooses a password and lands in the portal, signed in."""
    user = accounts.account_for_invite(token)
    if user is None:
        return render_template("portal/welcome_expired.html"), 404
    form = WelcomeForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.accept(token, form.password.data, form.password_again.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            begin_session(user)
            flash(_("Welcome, %(name)s. Your password is set.", name=user.display_name),
                  "success")
            return redirect(url_for("portal.order_list"))
    return render_template("portal/welcome.html", form=form, user=user,
                           partner=db.session.get(Partner, user.partner_id)), \
        form_status(form, status)
