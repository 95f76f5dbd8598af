"""The what-if form: a product, a quantity and a due date, checked by the what-if service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional

from shopfloor.catalog.queries import active_products
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.units import unit_name


class WhatIfForm(FlaskForm):
    """What if a new order line came in: the service names the field that is wrong."""

    product_id = SelectField(_l("Product"), coerce=int_or_none, validate_choice=False)
    quantity = LocalDecimalField(_l("Quantity"), places=None, validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(p.id), f"{p.code} · {p.name} ({unit_name(p.unit)})")
            for p in active_products()]
