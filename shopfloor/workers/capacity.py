"""Capacity of workers: availability per weekday within the working-time rules, absences,
the skills matrix with training records, and the doctor's consent for night work and
overtime."""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from shopfloor.audit.services import apply_edits, check_version, commit, write_audit
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.planning.worktime import WorkTimeSettings, night_period, week_problems
from shopfloor.timeutil import local_today, weekday_name
from shopfloor.workers.models import (
    Absence,
    AbsenceKind,
    SkillLevel,
    TrainingRecord,
    Worker,
    WorkerAvailability,
    WorkerSkill,
)

# ---------------------------------------------------------------- working time and capacity
# Availability per weekday, absences, the skills matrix with training records and the
# doctor's consent to night work and overtime (shared/domain.md §5; issue 6).

WEEKDAYS = range(7)
TRAINER_MAX, ORGANISATION_MAX = 120, 200

ABSENCE_KIND_NAMES = {
    AbsenceKind.LEAVE.value: _l("Leave"),
    AbsenceKind.THERAPY.value: _l("Therapy"),
    AbsenceKind.TRANSPORT.value: _l("No transport"),
    AbsenceKind.OTHER.value: _l("Other"),
}
# In rising order: a training only ever raises a level.
SKILL_LEVEL_NAMES = {
    SkillLevel.LEARNING.value: _l("Learning"),
    SkillLevel.WITH_HELP.value: _l("Works with help"),
    SkillLevel.INDEPENDENT.value: _l("Works on their own"),
    SkillLevel.CAN_TEACH.value: _l("Can teach others"),
}
_LEVEL_RANK = {level: rank for rank, level in enumerate(SKILL_LEVEL_NAMES)}

Shift = tuple[time | None, time | None]


def work_time_settings() -> WorkTimeSettings:
    """The cooperative's night period and extra break, from the configuration."""
    settings = current_app.config["SHOPFLOOR"]
    return WorkTimeSettings(
        night=night_period(settings["working_time.night_starts"],
                           settings["working_time.night_ends"]),
        extra_break_minutes=settings["working_time.extra_break_minutes"])


def _touch(worker: Worker) -> None:
    """Make the worker's row part of the update, so its version goes up: a page showing the
    old availability or skills then gets a 409 instead of overwriting the change."""
    flag_modified(worker, "first_name")


class AvailabilityError(DomainError):
    """Availability refused; ``problems`` maps each offending weekday to its messages, and
    ``field`` names the first (``day-<weekday>``)."""

    def __init__(self, problems: Mapping[int, list]):
        first = min(problems)
        super().__init__(problems[first][0], field=f"day-{first}")
        self.problems = dict(problems)


def availability_of(worker: Worker) -> dict[int, tuple[time, time] | None]:
    """The worker's weekly pattern: weekday (0 Monday) -> (start, end), None when off."""
    days: dict[int, tuple[time, time] | None] = dict.fromkeys(WEEKDAYS)
    for row in db.session.scalars(select(WorkerAvailability)
                                  .where(WorkerAvailability.worker_id == worker.id)):
        days[row.weekday] = (row.starts_at, row.ends_at)
    return days


_RECORDED = object()  # "the worker's recorded consent date", where None means "no consent"


def availability_problems(worker: Worker, days: Mapping[int, tuple[time, time] | None]
                          | None = None, consent_on=_RECORDED,
                          today: date | None = None) -> dict[int, list]:
    """What the working-time rules refuse in a weekly pattern (default: the stored one, which
    may no longer fit after the rule or the consent changed). ``consent_on`` (a date or None)
    replaces the worker's consent date when given."""
    days = availability_of(worker) if days is None else days
    consent = worker.night_overtime_consent_on if consent_on is _RECORDED else consent_on
    return week_problems(worker.working_time_rule, consent, today or local_today(), days,
                         night=work_time_settings().night)


def _shift_text(shift: tuple[time, time] | None) -> str | None:
    return f"{shift[0]:%H:%M}–{shift[1]:%H:%M}" if shift else None


def set_availability(worker: Worker, days: Mapping[int, Shift | None], user,
                     expected_version: int | str | None = None,
                     today: date | None = None) -> bool:
    """Set when the worker works on each weekday (a day left out or None: not working).

    Refuses a day over the worker's daily cap, a week over the weekly cap, or night hours
    without the doctor's consent, with the message next to the offending day
    (``AvailabilityError``); returns False when nothing changed.
    """
    check_version(worker, expected_version)
    if set(days) - set(WEEKDAYS):
        raise DomainError(_l("Choose days from Monday to Sunday."), field="days")
    wanted: dict[int, tuple[time, time] | None] = {}
    problems: dict[int, list] = {}
    for weekday in WEEKDAYS:
        starts, ends = days.get(weekday) or (None, None)
        if starts is None and ends is None:
            wanted[weekday] = None
        elif starts is None or ends is None:
            problems[weekday] = [_l("Enter both the start and the end, or leave both empty.")]
        elif (ends.hour, ends.minute) <= (starts.hour, starts.minute):
            problems[weekday] = [_l("The end must be after the start.")]
        else:
            # Seconds would only hide a minute over the cap.
            wanted[weekday] = (starts.replace(second=0, microsecond=0),
                               ends.replace(second=0, microsecond=0))
    if problems:
        raise AvailabilityError(problems)
    problems = availability_problems(worker, wanted, today=today)
    if problems:
        raise AvailabilityError(problems)
    before = availability_of(worker)
    if before == wanted:
        return False
    rows = {row.weekday: row for row in db.session.scalars(
        select(WorkerAvailability).where(WorkerAvailability.worker_id == worker.id))}
    changes = {}
    for weekday in WEEKDAYS:
        if before[weekday] == wanted[weekday]:
            continue
        changes[f"availability.{weekday}"] = (_shift_text(before[weekday]),
                                              _shift_text(wanted[weekday]))
        row, shift = rows.get(weekday), wanted[weekday]
        if shift is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(WorkerAvailability(worker_id=worker.id, weekday=weekday,
                                              starts_at=shift[0], ends_at=shift[1]))
        else:
            row.starts_at, row.ends_at = shift
    write_audit(worker, "edited", user, changes=changes)
    _touch(worker)
    commit([worker])
    return True


# ---------------------------------------------------------------- absences

def absences_of(worker: Worker) -> list[Absence]:
    """The worker's absences, latest first."""
    return list(db.session.scalars(select(Absence).where(Absence.worker_id == worker.id)
                                   .order_by(Absence.starts_on.desc(), Absence.id.desc())))


def _days_text(absence: Absence) -> str:
    return f"{absence.starts_on.isoformat()} – {absence.ends_on.isoformat()}"


def add_absence(worker: Worker, starts_on: date | None, ends_on: date | None, kind: str,
                user) -> Absence:
    """Record days the worker is away (both ends included); refuses an overlap with another
    of the worker's absences, naming it by its dates."""
    if starts_on is None:
        raise DomainError(_l("Enter the first day."), field="starts_on")
    if ends_on is None:
        raise DomainError(_l("Enter the last day."), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_l("The last day cannot be before the first day."), field="ends_on")
    if kind not in ABSENCE_KIND_NAMES:
        raise DomainError(_l("Choose why the worker is away."), field="kind")
    # Lock the worker's row (PostgreSQL) so two people adding absences at once cannot both
    # pass the overlap check.
    db.session.execute(select(Worker.id).where(Worker.id == worker.id).with_for_update())
    other = db.session.scalar(
        select(Absence).where(Absence.worker_id == worker.id, Absence.starts_on <= ends_on,
                              Absence.ends_on >= starts_on)
        .order_by(Absence.starts_on).limit(1))
    if other is not None:
        raise DomainError(_l(
            "These days overlap the absence from %(starts)s to %(ends)s (%(kind)s). "
            "Change the dates, or remove that absence first.",
            starts=format_date(other.starts_on, "medium"),
            ends=format_date(other.ends_on, "medium"),
            kind=ABSENCE_KIND_NAMES.get(other.kind, other.kind)), field="starts_on")
    absence = Absence(worker_id=worker.id, starts_on=starts_on, ends_on=ends_on, kind=kind,
                      created_by=user.id if user else None)
    db.session.add(absence)
    write_audit(worker, "edited", user,
                changes={f"absence.{kind}": (None, _days_text(absence))})
    commit()
    return absence


def remove_absence(absence: Absence, user) -> None:
    """Remove a recorded absence (the worker's history keeps its dates)."""
    worker = db.session.get(Worker, absence.worker_id)
    write_audit(worker, "edited", user,
                changes={f"absence.{absence.kind}": (_days_text(absence), None)})
    db.session.delete(absence)
    commit()


# ---------------------------------------------------------------- skills and training

def skill_levels(worker: Worker) -> dict[str, str]:
    """The worker's row of the skills matrix: line code -> level (untrained lines absent)."""
    return {row.process: row.level for row in db.session.scalars(
        select(WorkerSkill).where(WorkerSkill.worker_id == worker.id))}


def _apply_skill(worker: Worker, process: str, level: str | None,
                 changes: dict[str, tuple]) -> None:
    """Set one cell of the matrix in the session and keep ``Worker.skills`` (the older
    "can work on" list) in step: every line with a level above learning is in it."""
    if process not in LINE_CODES:
        raise DomainError(_l("Choose skills from the list."), field="process")
    if level is not None and level not in SKILL_LEVEL_NAMES:
        raise DomainError(_l("Choose a level from the list."), field="level")
    row = db.session.scalar(select(WorkerSkill).where(WorkerSkill.worker_id == worker.id,
                                                      WorkerSkill.process == process))
    before = row.level if row else None
    if before == level:
        return
    if level is None:
        db.session.delete(row)
    elif row is None:
        db.session.add(WorkerSkill(worker_id=worker.id, process=process, level=level))
    else:
        row.level, row.updated_at = level, utcnow()
    changes[f"skill.{process}"] = (before, level)
    old_skills = changes["skills"][0] if "skills" in changes else sorted(worker.skills or [])
    skills = set(worker.skills or [])
    if level in (None, SkillLevel.LEARNING.value):
        skills.discard(process)
    else:
        skills.add(process)
    if skills != set(worker.skills or []):
        worker.skills = sorted(skills)  # a new list: the JSON column sees the change
        changes["skills"] = (old_skills, worker.skills)


def set_skills(worker: Worker, levels: Mapping[str, str | None], user,
               expected_version: int | str | None = None) -> bool:
    """Set several cells of the worker's skills-matrix row at once (None: not trained);
    all or nothing. Returns False when nothing changed."""
    check_version(worker, expected_version)
    changes: dict[str, tuple] = {}
    for process, level in levels.items():
        _apply_skill(worker, process, level or None, changes)
    if not changes:
        return False
    write_audit(worker, "edited", user, changes=changes)
    _touch(worker)
    commit([worker])
    return True


def set_skill(worker: Worker, process: str, level: str | None, user,
              expected_version: int | str | None = None) -> bool:
    """Set the worker's level in one process (a line); None: not trained. Audited."""
    return set_skills(worker, {process: level}, user, expected_version)


def trainings_of(worker: Worker) -> list[TrainingRecord]:
    """The worker's training records, latest first."""
    return list(db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.worker_id == worker.id)
        .order_by(TrainingRecord.trained_on.desc(), TrainingRecord.id.desc())))


@dataclass(frozen=True)
class TrainingData:
    """A training as entered: process (line), date, trainer, their organisation, level."""

    process: str
    trained_on: date | None
    trainer: str
    level: str
    trainer_organisation: str = ""


def add_training(worker: Worker, data: TrainingData, user,
                 today: date | None = None) -> TrainingRecord:
    """Record a training; the worker's level in that process rises to the level reached
    if it is higher (a training never lowers it)."""
    trainer, organisation = data.trainer.strip(), data.trainer_organisation.strip()
    if data.process not in LINE_CODES:
        raise DomainError(_l("Choose skills from the list."), field="line")
    if data.trained_on is None:
        raise DomainError(_l("Enter the date of the training."), field="trained_on")
    if data.trained_on > (today or local_today()):
        raise DomainError(_l("The training date cannot be in the future."),
                          field="trained_on")
    if not trainer:
        raise DomainError(_l("Enter who gave the training."), field="trainer")
    if len(trainer) > TRAINER_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=TRAINER_MAX), field="trainer")
    if len(organisation) > ORGANISATION_MAX:
        raise DomainError(_l("Use at most %(n)s characters.", n=ORGANISATION_MAX),
                          field="trainer_organisation")
    if data.level not in SKILL_LEVEL_NAMES:
        raise DomainError(_l("Choose a level from the list."), field="level")
    record = TrainingRecord(worker_id=worker.id, process=data.process,
                            trained_on=data.trained_on, trainer=trainer,
                            trainer_organisation=organisation, level=data.level,
                            created_by=user.id if user else None)
    db.session.add(record)
    who = f"{trainer} ({organisation})" if organisation else trainer
    changes: dict[str, tuple] = {
        f"training.{data.process}": (None, f"{data.trained_on.isoformat()}, {who}: "
                                           f"{data.level}")}
    current = skill_levels(worker).get(data.process)
    if current is None or _LEVEL_RANK[data.level] > _LEVEL_RANK[current]:
        _apply_skill(worker, data.process, data.level, changes)
        _touch(worker)
    write_audit(worker, "edited", user, changes=changes)
    commit([worker])
    return record


# ---------------------------------------------------------------- night work and overtime

def set_consent(worker: Worker, consent_on: date | None, user,
                expected_version: int | str | None = None, today: date | None = None) -> bool:
    """Record (or clear, with None) the date the occupational doctor agreed to the worker's
    own request for night work and overtime. The manager's to set (checked in the view).

    Clearing or moving it is refused while the stored availability still needs it.
    """
    check_version(worker, expected_version)
    today = today or local_today()
    if consent_on is not None and consent_on > today:
        raise DomainError(_l("The consent date cannot be in the future."),
                          field="night_overtime_consent_on")
    newly_refused = (set(availability_problems(worker, consent_on=consent_on, today=today))
                     - set(availability_problems(worker, today=today)))
    if newly_refused:
        days = ", ".join(weekday_name(day) for day in sorted(newly_refused))
        raise DomainError(_l("Change the availability first: without this consent, these "
                             "days break the working-time rules: %(days)s.", days=days),
                          field="night_overtime_consent_on")
    changed = apply_edits(worker, {"night_overtime_consent_on": consent_on}, user)
    if changed:
        commit([worker])
    return bool(changed)
