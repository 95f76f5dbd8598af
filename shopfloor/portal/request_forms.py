"""The portal's order-request form: the partner's own number, notes, and rows of product,
quantity and due date. Empty rows are ignored; "More rows" posts back for more, so the form
works without JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.lines import line_name
from shopfloor.orders.requests import MAX_LINES
from shopfloor.units import unit_name

EMPTY_ROWS = 3  # rows of a new form
MORE_ROWS = 3  # added by "More rows"


def no_nul(form, field) -> None:
    """Refuse U+0000 (pasted from another program): no text means it, and PostgreSQL cannot
    store it."""
    if "\x00" in (field.data or ""):
        raise ValidationError(_l("Remove the control character (U+0000) from this text."))


class RequestLineForm(Form):
    """One row: a product the firm orders, how much and by when (an empty row is ignored)."""

    product_id = SelectField(_l("Product"), coerce=int_or_none, validate_choice=False)
    quantity = LocalDecimalField(_l("Quantity"), places=None, validators=[Optional()])
    due_date = DateField(_l("Needed by"), validators=[Optional()])

    def is_empty(self) -> bool:
        """Nothing chosen or typed in this row (a mistyped date or quantity is something)."""
        return not (self.product_id.data or _typed(self.quantity) or _typed(self.due_date))


def _typed(field) -> bool:
    return bool(field.raw_data and str(field.raw_data[0]).strip())


class OrderRequestForm(FlaskForm):
    """Request an order from the portal."""

    partner_reference = StringField(_l("Your order number"),
                                    validators=[Length(max=80), no_nul])
    notes = TextAreaField(_l("Notes for the cooperative"), validators=[Length(max=2000), no_nul])
    lines = FieldList(FormField(RequestLineForm), min_entries=1, max_entries=MAX_LINES)
    more = SubmitField(_l("More rows"))

    def __init__(self, products, *args, **kwargs):
        super().__init__(*args, **kwargs)
        several_lines = len({p.line for p in products}) > 1
        choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(p.id), (f"{line_name(p.line)}: " if several_lines else "")
                         + f"{p.code} · {p.name} ({unit_name(p.unit)})")
            for p in products]
        self._choices = choices
        # A new form has a few empty rows; a sent one keeps the rows it had.
        self.add_rows(0 if self.is_submitted() else EMPTY_ROWS - len(self.lines.entries))

    def add_rows(self, count: int) -> None:
        """Add up to ``count`` empty rows (never beyond the most a request may have)."""
        while count > 0 and len(self.lines.entries) < MAX_LINES:
            self.lines.append_entry()
            count -= 1
        for row in self.lines:
            row.form.product_id.choices = self._choices

    def filled_rows(self) -> list:
        """The rows with something in them, in order."""
        return [row for row in self.lines if not row.form.is_empty()]
