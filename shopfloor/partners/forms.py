"""The partner form, with its contact rows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from shopfloor.lines import all_lines
from shopfloor.partners.nip import is_valid_nip

CONTACT_ROWS_EXTRA = 2


class ContactForm(Form):
    """One contact person row."""

    name = StringField(_l("Full name"), validators=[Length(max=120)])
    function = StringField(_l("Function"), validators=[Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    status_digest = BooleanField(_l("Receives the weekly status e-mail"))


def _nip_check(_form, field):
    if field.data and field.data.strip() and not is_valid_nip(field.data):
        raise ValidationError(_l("This NIP is not valid: check the ten digits."))


class PartnerForm(FlaskForm):
    """Create or edit a partner firm."""

    name = StringField(_l("Firm name"), validators=[DataRequired(_l("Enter the firm's name.")),
                                                    Length(max=200)])
    nip = StringField(_l("NIP (tax id)"), validators=[Optional(), _nip_check])
    street = StringField(_l("Street and number"), validators=[Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Length(max=12)])
    city = StringField(_l("City"), validators=[Length(max=100)])
    email = StringField(_l("E-mail"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    lines = SelectMultipleField(_l("Production lines"), option_widget=widgets.CheckboxInput(),
                                widget=widgets.ListWidget(prefix_label=False))
    notes = TextAreaField(_l("Notes"))
    active = BooleanField(_l("Active partner"), default=True)
    turnaround_days = IntegerField(
        _l("Target for deciding a returned item (working days)"), default=5,
        validators=[Optional(), NumberRange(min=1, max=60, message=_l(
            "Give the target in working days, from 1 to 60."))])
    destruction_ban = BooleanField(
        _l("The EU ban on destroying unsold apparel applies (a large enterprise)"), default=True)
    contacts = FieldList(FormField(ContactForm), min_entries=1)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines.choices = [SelectChoice(line.code, line.name) for line in all_lines()]
        while len(self.contacts.entries) < len(
                [c for c in self.contacts.data if c.get("name")]) + CONTACT_ROWS_EXTRA:
            self.contacts.append_entry()
