"""The shipment form (quantities per batch are parsed from the table's inputs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class ShipmentForm(FlaskForm):
    """Date, carrier and notes of a shipment."""

    shipped_on = DateField(_l("Shipping date"), validators=[
        InputRequired(_l("Enter the shipping date."))])
    carrier = StringField(_l("Carrier"), validators=[Length(max=120)])
    tracking = StringField(_l("Tracking number"), validators=[Length(max=120)])
    notes = TextAreaField(_l("Notes"))
