"""Authoring forms: a new instruction, the materials list, a step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from shopfloor.catalog.queries import active_products
from shopfloor.forms_support import LocalDecimalField, int_or_none
from shopfloor.lines import all_lines
from shopfloor.pictograms import is_pictogram, pictogram_choices

STEP_KINDS = [
    SelectChoice("do", _l("Do it, then tap Done")),
    SelectChoice("count", _l("Count to a target")),
    SelectChoice("timer", _l("Wait with a timer")),
    SelectChoice("check", _l("Check: good or bad photo")),
    SelectChoice("measure", _l("Measure on the keypad")),
    SelectChoice("scan", _l("Scan a label")),
]


class InstructionForm(FlaskForm):
    """A new instruction for a product or a line's process."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the instruction a "
                                                                 "title.")), Length(max=120)])
    product_id = SelectField(_l("Product"), coerce=int_or_none, validate_choice=False)
    line = SelectField(_l("Or a process of the line"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_id.choices = [SelectChoice("", _l("No product"))] + [
            SelectChoice(str(p.id), f"{p.code} · {p.name}") for p in active_products()]
        self.line.choices = [SelectChoice("", _l("No line"))] + [
            SelectChoice(line.code, line.name) for line in all_lines()]


class MaterialsForm(FlaskForm):
    """What to fetch before step 1, one per line."""

    materials = TextAreaField(_l("Materials (one per line)"))
    tools = TextAreaField(_l("Tools (one per line)"))
    version = HiddenField()


class StepForm(FlaskForm):
    """One step's settings; the photo may be uploaded with it."""

    kind = SelectField(_l("The worker"), choices=STEP_KINDS)
    caption = TextAreaField(_l("Caption"), validators=[Length(max=300)],
                            render_kw={"rows": 2})
    photo_alt = StringField(_l("What the photo shows"), validators=[Length(max=200)])
    photo = FileField(_l("Photo"), render_kw={"accept": "image/*"})
    # capture: on a tablet, the camera opens to film the step there and then.
    video = FileField(_l("Film of the step (optional, up to a minute)"),
                      render_kw={"accept": "video/*", "capture": "environment"})
    target_quantity = LocalDecimalField(_l("Target"), places=None, validators=[Optional()])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=1, max=1440)])
    measure = SelectField(_l("Measures"), choices=[
        SelectChoice("", "—"), SelectChoice("weight", _l("Weight")),
        SelectChoice("temperature", _l("Temperature"))], validate_choice=False)
    measure_min = LocalDecimalField(_l("Lowest good value"), places=None,
                                    validators=[Optional()])
    measure_max = LocalDecimalField(_l("Highest good value"), places=None,
                                    validators=[Optional()])
    record_as = SelectField(_l("Goes into the batch record as"),
                            choices=[SelectChoice("", "—")], validate_choice=False)
    figure = SelectField(_l("Shows beside the photo"), choices=[SelectChoice("", "—")],
                         validate_choice=False)
    scan = SelectField(_l("Scans"), choices=[
        SelectChoice("", "—"), SelectChoice("lot", _l("A material lot")),
        SelectChoice("item", _l("An item")),
        SelectChoice("kit", _l("A finished kit's barcode (each scan counts one kit)"))],
        validate_choice=False)
    good_photo = FileField(_l("Photo of a good result"), render_kw={"accept": "image/*"})
    bad_photo = FileField(_l("Photo of a bad result"), render_kw={"accept": "image/*"})
    pictogram = SelectField(_l("Pictogram"), choices=[SelectChoice("", _l("— none —"))] + [
        SelectChoice(key, label) for key, label in pictogram_choices()], validate_choice=False)

    def __init__(self, *args, readings=(), figures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.record_as.choices = [SelectChoice("", "—")] + [
            SelectChoice(key, label) for key, label in readings]
        self.figure.choices = [SelectChoice("", "—")] + [
            SelectChoice(key, label) for key, label in figures]

    def validate_measure_max(self, field) -> None:
        """A range the worker can hit: the highest value is not below the lowest."""
        if (field.data is not None and self.measure_min.data is not None
                and field.data < self.measure_min.data):
            raise ValidationError(_l("The highest value must not be below the lowest."))

    def validate_pictogram(self, field) -> None:
        """Only a pictogram of the catalogue (a stale or forged key is refused here)."""
        if field.data and not is_pictogram(field.data):
            raise ValidationError(_l("Choose a pictogram from the list."))
