"""The worker page's capacity sections (availability, absences, skills and training, the
manager's consent date) and the skills matrix. Routes live on the workers blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.lines import LINE_CODES, all_lines
from shopfloor.planning.worktime import (
    break_minutes,
    daily_cap_minutes,
    format_minutes,
    shift_minutes,
    weekly_cap_minutes,
)
from shopfloor.timeutil import weekday_name
from shopfloor.workers.capacity import (
    ABSENCE_KIND_NAMES,
    SKILL_LEVEL_NAMES,
    WEEKDAYS,
    AvailabilityError,
    TrainingData,
    absences_of,
    add_absence,
    add_training,
    availability_of,
    availability_problems,
    remove_absence,
    set_availability,
    set_consent,
    set_skills,
    skill_levels,
    trainings_of,
    work_time_settings,
)
from shopfloor.workers.capacity_forms import (
    AbsenceForm,
    AvailabilityForm,
    ConsentForm,
    SkillsForm,
    TrainingForm,
)
from shopfloor.workers.models import Absence, SkillLevel, Worker, WorkerSkill
from shopfloor.workers.views import bp, worker_page


def _worker(worker_id: int) -> Worker:
    return db.session.get(Worker, worker_id) or abort(404)


def _user():
    return current_user._get_current_object()


def _back(worker: Worker, anchor: str):
    return redirect(url_for("workers.worker_edit", worker_id=worker.id, _anchor=anchor))


def _valid_shift(shift) -> bool:
    return bool(shift[0] and shift[1] and (shift[1].hour, shift[1].minute)
                > (shift[0].hour, shift[0].minute))


def capacity_context(worker: Worker | None, availability_form: AvailabilityForm | None = None,
                     day_errors: dict | None = None, absence_form: AbsenceForm | None = None,
                     skills_form: SkillsForm | None = None,
                     training_form: TrainingForm | None = None,
                     consent_form: ConsentForm | None = None) -> dict:
    """What the capacity sections of the worker page show; a form given is the one the
    person just sent (with their input and errors), the others start from the record."""
    if worker is None:
        return {}
    is_manager = current_user.role == Role.MANAGER
    stored_problems = {}
    if availability_form is None:
        stored = availability_of(worker)
        availability_form = AvailabilityForm(formdata=None, version=worker.version, **{
            f"day{day}_{end}": shift[index] for day, shift in stored.items() if shift
            for index, end in ((0, "starts"), (1, "ends"))})
        # The saved pattern may no longer fit after the rule or the consent changed.
        stored_problems = availability_problems(worker)
        day_errors = stored_problems
    extra = work_time_settings().extra_break_minutes
    shifts = availability_form.shifts()
    valid = {day: shift_minutes(*shift) for day, shift in shifts.items() if _valid_shift(shift)}
    if skills_form is None:
        levels = skill_levels(worker)
        skills_form = SkillsForm(formdata=None, version=worker.version, **{
            f"level_{code}": level for code, level in levels.items()})
    context = {
        "availability_form": availability_form,
        "day_errors": {day: [str(m) for m in messages]
                       for day, messages in (day_errors or {}).items()},
        "stored_problems": bool(stored_problems),
        "weekday_names": {day: weekday_name(day) for day in WEEKDAYS},
        "day_breaks": {day: format_minutes(break_minutes(minutes, extra))
                       for day, minutes in valid.items()},
        "week_total": format_minutes(sum(valid.values())),
        "extra_break": extra,
        "absences": absences_of(worker),
        "absence_kinds": ABSENCE_KIND_NAMES,
        "absence_form": absence_form or AbsenceForm(formdata=None),
        "skills_form": skills_form,
        "skill_levels": SKILL_LEVEL_NAMES,
        "trainings": trainings_of(worker),
        "training_form": training_form or TrainingForm(formdata=None),
        "consent_form": None,
        "caps": None,
    }
    if is_manager:
        # The caps and the consent hint at health: the manager's to see (domain.md §5).
        context["consent_form"] = consent_form or ConsentForm(
            formdata=None, version=worker.version,
            night_overtime_consent_on=worker.night_overtime_consent_on)
        context["caps"] = (format_minutes(daily_cap_minutes(worker.working_time_rule)),
                           format_minutes(weekly_cap_minutes(worker.working_time_rule)))
    return context


@bp.post("/<int:worker_id>/availability")
@require_role(*STAFF)
def worker_availability(worker_id: int):
    """Set the hours the worker works on each weekday."""
    worker = _worker(worker_id)
    form = AvailabilityForm()
    status, day_errors = 200, {}
    if form.validate_on_submit():
        try:
            changed = set_availability(worker, form.shifts(), _user(),
                                       expected_version=form.version.data)
        except AvailabilityError as exc:
            status, day_errors = 422, exc.problems
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Availability of %(name)s saved.", name=worker.first_name) if changed
                  else _("Nothing changed."), "success")
            return _back(worker, "availability")
    return worker_page(worker, form_status(form, status), availability_form=form,
                       day_errors=day_errors)


@bp.post("/<int:worker_id>/absences")
@require_role(*STAFF)
def worker_absence_add(worker_id: int):
    """Record days the worker is away."""
    worker = _worker(worker_id)
    form = AbsenceForm()
    status = 200
    if form.validate_on_submit():
        try:
            add_absence(worker, form.starts_on.data, form.ends_on.data, form.kind.data,
                        _user())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Absence of %(name)s saved.", name=worker.first_name), "success")
            return _back(worker, "absences")
    return worker_page(worker, form_status(form, status), absence_form=form)


@bp.post("/<int:worker_id>/absences/<int:absence_id>/remove")
@require_role(*STAFF)
def worker_absence_remove(worker_id: int, absence_id: int):
    """Remove a recorded absence."""
    worker = _worker(worker_id)
    absence = db.session.get(Absence, absence_id)
    if absence is None:
        # Someone else removed it a moment ago: the outcome the person wanted.
        flash(_("This absence was already removed."), "info")
    elif absence.worker_id != worker.id:
        abort(404)
    else:
        remove_absence(absence, _user())
        flash(_("Absence removed."), "success")
    return _back(worker, "absences")


@bp.post("/<int:worker_id>/skills")
@require_role(*STAFF)
def worker_skills(worker_id: int):
    """Set the worker's level in each line (their row of the skills matrix)."""
    worker = _worker(worker_id)
    form = SkillsForm()
    status = 200
    if form.validate_on_submit():
        try:
            changed = set_skills(worker, form.levels(), _user(),
                                 expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Skills of %(name)s saved.", name=worker.first_name) if changed
                  else _("Nothing changed."), "success")
            return _back(worker, "skills")
    return worker_page(worker, form_status(form, status), skills_form=form)


@bp.post("/<int:worker_id>/trainings")
@require_role(*STAFF)
def worker_training_add(worker_id: int):
    """Record a training the worker had (it can raise their level)."""
    worker = _worker(worker_id)
    form = TrainingForm()
    status = 200
    if form.validate_on_submit():
        data = TrainingData(process=form.line.data, trained_on=form.trained_on.data,
                            trainer=form.trainer.data or "", level=form.level.data,
                            trainer_organisation=form.trainer_organisation.data or "")
        try:
            add_training(worker, data, _user())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Training of %(name)s saved.", name=worker.first_name), "success")
            return _back(worker, "skills")
    return worker_page(worker, form_status(form, status), training_form=form)


@bp.post("/<int:worker_id>/consent")
@require_role(*MANAGER)
def worker_consent(worker_id: int):
    """Record the doctor's consent date for night work and overtime (manager only)."""
    worker = _worker(worker_id)
    form = ConsentForm()
    status = 200
    if form.validate_on_submit():
        try:
            changed = set_consent(worker, form.night_overtime_consent_on.data, _user(),
                                  expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Consent date of %(name)s saved.", name=worker.first_name) if changed
                  else _("Nothing changed."), "success")
            return _back(worker, "consent")
    return worker_page(worker, form_status(form, status), consent_form=form)


@bp.get("/skills")
@require_role(*STAFF)
def skills_matrix():
    """Every working worker's level in every line, as one table."""
    workers = db.session.scalars(select(Worker).where(Worker.active.is_(True))
                                 .order_by(Worker.first_name, Worker.id)).all()
    active = {w.id for w in workers}
    levels: dict[int, dict[str, str]] = {}
    on_their_own = dict.fromkeys(LINE_CODES, 0)
    for row in db.session.scalars(select(WorkerSkill)):
        if row.worker_id in active:
            levels.setdefault(row.worker_id, {})[row.process] = row.level
            if row.level in (SkillLevel.INDEPENDENT, SkillLevel.CAN_TEACH):
                on_their_own[row.process] += 1
    return render_template("workers/skills.html", workers=workers, lines=all_lines(),
                           levels=levels, level_names=SKILL_LEVEL_NAMES,
                           on_their_own=on_their_own)
