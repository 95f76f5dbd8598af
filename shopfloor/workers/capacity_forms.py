"""Forms of the worker page's capacity sections: availability, absences, skills, training,
and the manager's consent date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from shopfloor.lines import LINE_CODES, all_lines
from shopfloor.workers.capacity import (
    ABSENCE_KIND_NAMES,
    ORGANISATION_MAX,
    SKILL_LEVEL_NAMES,
    TRAINER_MAX,
    WEEKDAYS,
)


def _line_choices() -> list[SelectChoice]:
    return [SelectChoice(line.code, line.name) for line in all_lines()]


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in SKILL_LEVEL_NAMES.items()]


class AvailabilityForm(FlaskForm):
    """Start and end time per weekday (``day<N>_starts``/``day<N>_ends``); empty: off."""

    version = HiddenField()

    def shifts(self) -> dict[int, tuple]:
        """weekday -> (start, end) as typed (either may be None)."""
        return {day: (self[f"day{day}_starts"].data, self[f"day{day}_ends"].data)
                for day in WEEKDAYS}


for _day in WEEKDAYS:
    setattr(AvailabilityForm, f"day{_day}_starts",
            TimeField(_l("Starts"), validators=[Optional()]))
    setattr(AvailabilityForm, f"day{_day}_ends", TimeField(_l("Ends"), validators=[Optional()]))


class AbsenceForm(FlaskForm):
    """Days away (both included) and why, in general terms only."""

    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    kind = SelectField(_l("Reason"), choices=[
        SelectChoice(code, name) for code, name in ABSENCE_KIND_NAMES.items()])


class SkillsForm(FlaskForm):
    """The worker's level per line (``level_<line code>``); empty: not trained yet."""

    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [(line, self[f"level_{line.code}"]) for line in all_lines()]

    def levels(self) -> dict[str, str | None]:
        """line code -> level, None for not trained."""
        return {line.code: field.data or None for line, field in self.lines}


for _line in LINE_CODES:
    setattr(SkillsForm, f"level_{_line}", SelectField(
        _l("Level"), choices=[SelectChoice("", _l("Not trained yet"))] + [
            SelectChoice(code, name) for code, name in SKILL_LEVEL_NAMES.items()]))


class TrainingForm(FlaskForm):
    """A training the worker had, and the level they reached."""

    line = SelectField(_l("Line"))  # "process" would hide Form.process()
    trained_on = DateField(_l("Date"), validators=[
        InputRequired(_l("Enter the date of the training."))])
    trainer = StringField(_l("Trainer"), validators=[
        InputRequired(_l("Enter who gave the training.")), Length(max=TRAINER_MAX)])
    trainer_organisation = StringField(_l("Trainer's organisation"),
                                       validators=[Length(max=ORGANISATION_MAX)])
    level = SelectField(_l("Level reached"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line.choices = _line_choices()
        self.level.choices = _level_choices()


class ConsentForm(FlaskForm):
    """The date the occupational doctor agreed to night work and overtime; empty: none."""

    night_overtime_consent_on = DateField(_l("Doctor's consent date"), validators=[Optional()])
    version = HiddenField()
