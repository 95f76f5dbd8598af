"""Sign-in, sign-out, the own account page and staff administration."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from shopfloor.auth import queries, services
from shopfloor.auth.access import PUBLIC, require_role
from shopfloor.auth.forms import AccountForm, SignInForm, StaffForm
from shopfloor.auth.models import ROLE_VALUES, Role
from shopfloor.errors import DomainError
from shopfloor.forms_support import safe_next

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    return safe_next(target, url_for("core.home"))


def begin_session(user) -> None:
    """Sign ``user`` in on a fresh session (no fixation), keeping the language chosen before."""
    language = session.get("language")
    session.clear()
    if language and not user.language:
        session["language"] = language
    session.permanent = True
    login_user(user)


def _landing(user, target: str | None) -> str:
    """Where a person goes after signing in: the page they asked for, except that a partner's
    account only ever lands in the portal."""
    path = _safe_next(target)
    if user.is_partner and not path.startswith(url_for("portal.order_list")):
        return url_for("portal.order_list")
    return path


@bp.route("/sign-in", methods=["GET", "POST"])
@require_role(PUBLIC)
def sign_in():
    """Show the sign-in form and sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data,
                                         request.remote_addr or "unknown")
        except services.SignInRefused as refused:
            error = str(refused.message)
        else:
            begin_session(user)
            return redirect(_landing(user, form.next.data))
    status = 200 if error is None and not form.errors else 422
    if error:
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
@require_role(*ROLE_VALUES)
def sign_out():
    """End the session (a POST with a CSRF token, so a link cannot sign anyone out)."""
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@require_role(*ROLE_VALUES)
def account():
    """The signed-in person's own settings: language and password."""
    user = current_user._get_current_object()
    form = AccountForm(language=user.language or "")
    if form.validate_on_submit():
        try:
            if form.new_password.data:
                services.change_password(user, form.current_password.data or "",
                                         form.new_password.data)
                login_user(user)  # keep this session after the generation bump
            services.set_language(user, form.language.data or None)
        except DomainError as exc:
            getattr(form, exc.field).errors.append(str(exc.message))
        else:
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("auth.account"))
    status = 422 if form.errors else 200
    return render_template("auth/account.html", form=form), status


@bp.get("/staff")
@require_role(Role.MANAGER)
def staff_list():
    """All staff accounts, for the manager."""
    return render_template("auth/staff_list.html", users=queries.staff_accounts())


@bp.route("/staff/new", methods=["GET", "POST"])
@require_role(Role.MANAGER)
def staff_new():
    """Create a staff account."""
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data or "",
                                        form.role.data, form.display_name.data or "",
                                        email=form.email.data)
        except DomainError as exc:
            getattr(form, exc.field).errors.append(str(exc.message))
        else:
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("auth.staff_list"))
    status = 422 if form.errors else 200
    return render_template("auth/staff_form.html", form=form, user=None), status


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
@require_role(Role.MANAGER)
def staff_edit(user_id: int):
    """Change a staff account's name, role, status or password."""
    user = queries.staff_account(user_id) or abort(404)
    form = StaffForm(obj=user)
    del form.username  # the user name is the account's identity and is not edited
    status = 200
    if form.validate_on_submit():
        try:
            services.update_user(user, display_name=form.display_name.data or "",
                                 role=form.role.data, active=form.active.data,
                                 acting_user=current_user._get_current_object(),
                                 new_password=form.password.data or "",
                                 email=form.email.data,
                                 expected_version=form.version.data)
        except DomainError as exc:
            if exc.field and hasattr(form, exc.field):
                getattr(form, exc.field).errors.append(str(exc.message))
            else:
                form.form_errors.append(str(exc.message))
            status = exc.status_code if exc.status_code != 400 else 422
        else:
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("auth.staff_list"))
    if status == 200 and form.errors:
        status = 422
    return render_template("auth/staff_form.html", form=form, user=user), status
