"""The shipment form (quantities per batch are parsed from the table's inputs; pallets
are ticked)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class ShipmentForm(FlaskForm):
    """Date, carrier and notes of a shipment."""

    shipped_on = DateField(_l("Shipping date"), validators=[
        InputRequired(_l("Enter the shipping date."))])
    carrier = StringField(_l("Carrier"), validators=[Length(max=120)])
    tracking = StringField(_l("Tracking number"), validators=[Length(max=120)])
    notes = TextAreaField(_l("Notes"))
    # The order's open pallets, ticked as checkboxes (choices are the pallets on the page;
    # the service refuses any other).
    pallets = SelectMultipleField(_l("Pallets to ship"), coerce=int, validate_choice=False)
