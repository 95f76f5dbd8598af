"""Forms of the portal's accounts: the manager's invitation and the invited person's password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired

from shopfloor.auth.forms import PARTNER_ROLE_NAMES
from shopfloor.auth.models import Role
from shopfloor.portal.preferences import CHOICES, WEEKLY_DIGEST


class InviteForm(FlaskForm):
    """Who to invite to the partner portal, and what they may do there."""

    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name."))],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-mail"), render_kw={"autocomplete": "off", "spellcheck": "false"})
    role = SelectField(_l("May"), choices=[SelectChoice(value, label)
                                            for value, label in PARTNER_ROLE_NAMES.items()],
                       default=Role.PARTNER_VIEWER.value)


class WelcomeForm(FlaskForm):
    """The invited person chooses a password."""

    password = PasswordField(_l("New password"),
                             validators=[DataRequired(_l("Enter a password."))],
                             render_kw={"autocomplete": "new-password"})
    password_again = PasswordField(_l("The same password again"),
                                   validators=[DataRequired(_l("Enter the password again."))],
                                   render_kw={"autocomplete": "new-password"})


def _field_name(key: str) -> str:
    return key.replace(".", "_")  # order.at_risk -> order_at_risk


class PreferencesForm(FlaskForm):
    """A partner's person's e-mail choices: one checkbox per ``preferences.CHOICES``."""

    @classmethod
    def of(cls, choices: dict[str, bool]) -> PreferencesForm:
        """The form showing these choices (what was posted wins over them)."""
        return cls(data={_field_name(key): value for key, value in choices.items()})

    def event_fields(self) -> list:
        """The checkboxes of the events, in ``CHOICES`` order."""
        return [self[_field_name(c.key)] for c in CHOICES if c.key != WEEKLY_DIGEST]

    def choices(self) -> dict[str, bool]:
        """What was ticked: choice key -> bool."""
        return {c.key: bool(self[_field_name(c.key)].data) for c in CHOICES}


for _choice in CHOICES:
    setattr(PreferencesForm, _field_name(_choice.key), BooleanField(_choice.label))
