"""The account's API tokens page: create (the secret shown once), list, revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField

from shopfloor.auth import tokens
from shopfloor.auth.access import require_role
from shopfloor.auth.models import ROLE_VALUES, TokenScope
from shopfloor.errors import DomainError
from shopfloor.forms_support import attach_error, form_status

bp = Blueprint("api_tokens", __name__)

SCOPE_NAMES = {TokenScope.READ.value: _l("Read only"),
               TokenScope.WRITE.value: _l("Read and change")}


class TokenForm(FlaskForm):
    """A new token's name and scope."""

    name = StringField(_l("Name"), render_kw={"autocomplete": "off"})
    scope = SelectField(_l("The token may"))


def _form(user) -> TokenForm:
    form = TokenForm()
    form.scope.choices = [SelectChoice(s, SCOPE_NAMES[s]) for s in tokens.scopes_for(user)]
    return form


def _page(form: TokenForm, new=None, status: int = 200):
    user = current_user._get_current_object()
    return render_template("auth/tokens.html", form=form, new=new, scope_names=SCOPE_NAMES,
                           tokens=tokens.tokens_of(user),
                           limit=tokens.TOKENS_PER_ACCOUNT), status


@bp.route("/api-tokens", methods=["GET", "POST"])
@require_role(*ROLE_VALUES)
def token_list():
    """The account's tokens; a POST creates one and shows its secret this once."""
    user = current_user._get_current_object()
    form = _form(user)
    status = 200
    if form.validate_on_submit():
        try:
            new = tokens.create_token(user, form.name.data, form.scope.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            return _page(_form(user), new=new, status=201)
    return _page(form, status=form_status(form, status))


@bp.post("/api-tokens/<int:token_id>/revoke")
@require_role(*ROLE_VALUES)
def revoke(token_id: int):
    """Revoke one of the account's tokens: it stops working at once."""
    token = tokens.revoke_token(current_user._get_current_object(), token_id)
    if token is None:
        abort(404)
    flash(_("Token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.token_list"))
