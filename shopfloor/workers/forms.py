"""The worker form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from shopfloor.lines import all_lines


class WorkerForm(FlaskForm):
    """Name, photo, sign-in method, working-time rule (manager only), skills."""

    first_name = StringField(_l("First name or nickname"), validators=[
        DataRequired(_l("Enter the first name or nickname the worker uses.")), Length(max=60)])
    photo = FileField(_l("Photo"), render_kw={"accept": "image/*"})
    sign_in_method = SelectField(_l("Signs in by"), choices=[
        SelectChoice("badge", _l("Scanning the badge")),
        SelectChoice("picture", _l("Picking their own picture"))])
    working_time_rule = SelectField(_l("Working-time rule"), choices=[
        SelectChoice("8/40", _l("8 hours a day, 40 a week")),
        SelectChoice("7/35", _l("7 hours a day, 35 a week"))])
    skills = SelectMultipleField(_l("Can work on"), option_widget=widgets.CheckboxInput(),
                                 widget=widgets.ListWidget(prefix_label=False))
    active = BooleanField(_l("Works here now"), default=True)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills.choices = [SelectChoice(line.code, line.name) for line in all_lines()]


class SupportForm(FlaskForm):
    """How the task screens support the worker (every save is kept as history)."""

    audio_autoplay = BooleanField(_l("Read each step aloud by itself"))
    captions = BooleanField(_l("Show the caption under the photo"), default=True)
    steps_per_screen = SelectField(_l("Steps on one screen"), coerce=int, choices=[
        SelectChoice(1, _l("One step, confirm each")),
        SelectChoice(2, _l("Up to 2 simple steps together")),
        SelectChoice(3, _l("Up to 3 simple steps together")),
        SelectChoice(4, _l("Up to 4 simple steps together"))])
    idle_reminder_minutes = IntegerField(_l("Gentle reminder after (minutes without a tap)"),
                                         validators=[InputRequired(_l("Enter the minutes.")),
                                                     NumberRange(1, 120)])
    idle_alert_minutes = IntegerField(_l("Alert on the board after (minutes without a tap)"),
                                      validators=[InputRequired(_l("Enter the minutes.")),
                                                  NumberRange(2, 120)])
