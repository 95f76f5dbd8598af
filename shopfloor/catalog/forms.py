"""Product and material forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.lines import all_lines
from shopfloor.partners.queries import active_partners
from shopfloor.units import UNITS


def unit_choices():
    """Units to choose from."""
    return [SelectChoice(code, name) for code, name in UNITS.items()]


class ProductForm(FlaskForm):
    """Create or edit a product."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a code.")),
                                               Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")),
                                               Length(max=200)])
    line = SelectField(_l("Production line"))
    unit = SelectField(_l("Unit"), choices=unit_choices)
    standard_minutes = LocalDecimalField(
        _l("Standard minutes per unit"), places=None,
        validators=[InputRequired(_l("Enter the standard minutes per unit (0 or more).")),
                    NumberRange(min=0, message=_l(
                        "Enter the standard minutes per unit (0 or more)."))])
    partner_id = SelectField(_l("Made only for"), coerce=int_or_none)
    description = TextAreaField(_l("Description"))
    active = BooleanField(_l("Active"), default=True)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line.choices = [SelectChoice(line.code, line.name) for line in all_lines()]
        self.partner_id.choices = [SelectChoice("", _l("Any partner"))] + [
            SelectChoice(str(p.id), p.name) for p in active_partners()]


class MaterialForm(FlaskForm):
    """Create or edit a material."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a code.")),
                                               Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")),
                                               Length(max=200)])
    unit = SelectField(_l("Unit"), choices=unit_choices)
    gtin = StringField(_l("GTIN"), validators=[Length(max=14)])
    active = BooleanField(_l("Active"), default=True)
    version = HiddenField()
