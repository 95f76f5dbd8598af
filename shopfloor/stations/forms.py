"""Supervisor forms for stations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Length

from shopfloor.lines import all_lines


class EnrolForm(FlaskForm):
    """Enrol the tablet in hand as a station."""

    name = StringField(_l("Station name"), validators=[
        DataRequired(_l("Enter a name for the station.")), Length(max=60)])
    line = SelectField(_l("Line"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line.choices = [SelectChoice("", _l("Any line"))] + [
            SelectChoice(line.code, line.name) for line in all_lines()]


class ExpectedWorkersForm(FlaskForm):
    """Who works at the station (their faces are shown on it)."""

    workers = SelectMultipleField(_l("Workers at this station"), coerce=int,
                                  option_widget=widgets.CheckboxInput(),
                                  widget=widgets.ListWidget(prefix_label=False))
    version = HiddenField()


class RevokeForm(FlaskForm):
    """Revoke a station (a lost or broken tablet)."""

    reason = StringField(_l("Reason"), validators=[Length(max=300)])
    version = HiddenField()
