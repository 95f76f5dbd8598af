"""Order forms: header, lines, filters, status moves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from shopfloor.catalog.queries import active_products
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.partners.queries import active_partners
from shopfloor.units import unit_name

EXTRA_LINE_ROWS = 2



class OrderLineForm(Form):
    """One row of the lines table (an empty row is ignored)."""

    product_id = SelectField(_l("Product"), coerce=int_or_none, validate_choice=False)
    quantity = LocalDecimalField(_l("Quantity"), places=None, validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    notes = StringField(_l("Notes"), validators=[Length(max=200)])

    def is_empty(self) -> bool:
        """Nothing typed in this row."""
        return not (self.product_id.data or self.quantity.data or self.due_date.data)


class OrderForm(FlaskForm):
    """Create or edit an order."""

    partner_id = SelectField(_l("Partner"), coerce=int_or_none, validate_choice=False)
    partner_reference = StringField(_l("Partner's order number"), validators=[Length(max=80)])
    notes = TextAreaField(_l("Notes"))
    lines = FieldList(FormField(OrderLineForm), min_entries=1)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(p.id), p.name) for p in active_partners()]
        product_choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(p.id), f"{p.code} · {p.name} ({unit_name(p.unit)})")
            for p in active_products()]
        filled = sum(1 for row in self.lines if not row.form.is_empty())
        while len(self.lines.entries) < filled + EXTRA_LINE_ROWS:
            self.lines.append_entry()
        for row in self.lines:
            row.form.product_id.choices = product_choices


class OrderStatusForm(FlaskForm):
    """Confirm, return to draft, cancel (with a reason) or close."""

    status = HiddenField()
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    version = HiddenField()
