"""The worker form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Length

from shopfloor.lines import all_lines


class WorkerForm(FlaskForm):
    """Name, photo, sign-in method, working-time rule (manager only), skills."""

    first_name = StringField(_l("First name or nickname"), validators=[
        DataRequired(_l("Enter the first name or nickname the worker uses.")), Length(max=60)])
    photo = FileField(_l("Photo"))
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
