"""Batch forms: planning, status moves, output, consumption; the line record is generic."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from shopfloor.catalog.queries import active_products
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.units import unit_name

EXTRA_REJECT_ROWS = 2



class BatchPlanForm(FlaskForm):
    """Plan a batch of one product, optionally for one order line."""

    product_id = SelectField(_l("Product"), coerce=int_or_none, validate_choice=False)
    planned_quantity = LocalDecimalField(_l("Quantity to make"), places=None, validators=[
        InputRequired(_l("The quantity must be more than zero."))])
    allocated_quantity = LocalDecimalField(_l("Of which for the order"), places=None,
                                      validators=[Optional()])
    order_line_id = HiddenField()
    notes = TextAreaField(_l("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(p.id), f"{p.code} · {p.name} ({unit_name(p.unit)})")
            for p in active_products()]


class MoveForm(FlaskForm):
    """Move a batch to another status."""

    status = HiddenField()
    reason = StringField(_l("Reason"), validators=[Length(max=500)])
    version = HiddenField()


class RejectRowForm(Form):
    """Rejected units and why."""

    reason = StringField(_l("Reject reason"), validators=[Length(max=200)])
    quantity = LocalDecimalField(_l("Rejected quantity"), places=None, validators=[Optional()])


class OutputForm(FlaskForm):
    """Good quantity and rejects."""

    good_quantity = LocalDecimalField(_l("Good quantity"), places=None, validators=[
        InputRequired(_l("Enter the good quantity (0 or more)."))])
    rejects = FieldList(FormField(RejectRowForm), min_entries=1)
    # Own ids: the batch page holds the move, record and output forms, each with a reason.
    reason = StringField(_l("Reason for the change"), validators=[Length(max=500)],
                         id="output-reason")
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        filled = sum(1 for row in self.rejects if row.form.reason.data)
        while len(self.rejects.entries) < filled + EXTRA_REJECT_ROWS:
            self.rejects.append_entry()


class ConsumeForm(FlaskForm):
    """Record a lot used by the batch: its code (typed or scanned) and the quantity."""

    lot = StringField(_l("Lot code"), validators=[InputRequired(_l("Enter or scan the lot code."))],
                      render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    quantity = LocalDecimalField(_l("Quantity used"), places=None, validators=[
        InputRequired(_l("The quantity must be more than zero."))])


class RecordForm(FlaskForm):
    """Only the CSRF token and version: the line's fields are rendered from its plug-in."""

    reason = StringField(_l("Reason for the change"), validators=[Length(max=500)],
                         id="record-reason")
    version = HiddenField()
