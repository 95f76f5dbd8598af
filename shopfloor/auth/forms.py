"""Forms for signing in, the own account and staff administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from shopfloor.auth.models import Role
from shopfloor.core.forms import LANGUAGE_NAMES


def role_choices():
    """Roles a manager can give, with translated names."""
    return [SelectChoice(Role.MANAGER.value, _l("Manager")),
            SelectChoice(Role.SUPERVISOR.value, _l("Supervisor"))]


# What a partner firm's portal account may do there.
PARTNER_ROLE_NAMES = {
    Role.PARTNER_VIEWER.value: _l("Sees orders"),
    Role.PARTNER_ORDERER.value: _l("Sees and sends orders"),
}


def role_name(role: str) -> str:
    """The translated name of a role."""
    if role in PARTNER_ROLE_NAMES:
        return str(PARTNER_ROLE_NAMES[role])
    return next((str(c.label) for c in role_choices() if c.value == role), role)


class SignInForm(FlaskForm):
    """User name and password."""

    username = StringField(_l("User name"), validators=[DataRequired(_l("Enter your user name."))],
                           render_kw={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"})
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class AccountForm(FlaskForm):
    """The signed-in person's language and password."""

    language = SelectField(_l("Interface language"), choices=[
        SelectChoice("", _l("As the browser says")),
        *(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items())])
    current_password = PasswordField(_l("Current password"),
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[Optional()],
                                 render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new_password", _l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class StaffForm(FlaskForm):
    """A manager creates or edits a staff account."""

    username = StringField(_l("User name"), validators=[DataRequired(_l("Enter a user name.")),
                                                        Length(max=64)],
                           render_kw={"autocapitalize": "none", "spellcheck": "false"})
    display_name = StringField(_l("Full name"), validators=[Length(max=120)])
    email = StringField(_l("E-mail for alerts"), validators=[Length(max=254)],
                        render_kw={"autocomplete": "email", "inputmode": "email",
                                   "spellcheck": "false"})
    role = SelectField(_l("Role"), choices=role_choices)
    active = BooleanField(_l("Account enabled"), default=True)
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"})
    version = HiddenField()
