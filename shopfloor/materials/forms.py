"""Goods-in and lot status forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shopfloor.catalog.queries import active_materials
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.partners.queries import active_partners


class LotReceiptForm(FlaskForm):
    """Receive a delivery of one material."""

    material_id = SelectField(_l("Material"), coerce=int_or_none,
                              validators=[InputRequired(_l("Choose a material from the list."))])
    owner_partner_id = SelectField(_l("Owner"), coerce=int_or_none)
    supplier = StringField(_l("Supplier"), validators=[DataRequired(_l("Enter the supplier.")),
                                                       Length(max=200)])
    supplier_lot = StringField(_l("Supplier's lot number"), validators=[
        DataRequired(_l("Enter the supplier's lot number from the package.")), Length(max=80)])
    received_on = DateField(_l("Received on"), validators=[
        InputRequired(_l("Enter a date as YYYY-MM-DD."))])
    quantity = LocalDecimalField(_l("Quantity"), places=None, validators=[
        InputRequired(_l("The quantity must be more than zero."))])
    expires_on = DateField(_l("Use by"), validators=[Optional()])
    delivery_note = StringField(_l("Delivery note number"), validators=[Length(max=80)])
    notes = TextAreaField(_l("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.material_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(m.id), f"{m.code} · {m.name} ({m.unit})")
            for m in active_materials()]
        self.owner_partner_id.choices = [SelectChoice("", _l("The cooperative"))] + [
            SelectChoice(str(p.id), p.name) for p in active_partners()]


class LotStatusForm(FlaskForm):
    """Approve, reject or quarantine a lot."""

    status = HiddenField()
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    version = HiddenField()
