"""State changes of workers' records."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.codes import KIND_WORKER
from shopfloor.database import new_unique_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.uploads import save_photo
from shopfloor.workers.models import (
    SignInMethod,
    SupportProfile,
    Worker,
    WorkingTimeRule,
)

PHOTO_AREA = "workers"
PHOTO_EDGE = 800


@dataclass
class WorkerData:
    """A worker's record as submitted."""

    first_name: str
    sign_in_method: str = SignInMethod.BADGE.value
    working_time_rule: str | None = None  # None: leave as it is (only managers set it)
    skills: list[str] = field(default_factory=list)
    active: bool = True


def _check(data: WorkerData) -> None:
    if not data.first_name.strip():
        raise DomainError(_l("Enter the first name or nickname the worker uses."),
                          field="first_name")
    if data.sign_in_method not in {m.value for m in SignInMethod}:
        raise DomainError(_l("Choose how the worker signs in."), field="sign_in_method")
    if data.working_time_rule is not None and data.working_time_rule not in {
            r.value for r in WorkingTimeRule}:
        raise DomainError(_l("Choose a working-time rule."), field="working_time_rule")
    if set(data.skills) - set(LINE_CODES):
        raise DomainError(_l("Choose skills from the list."), field="skills")


def save_worker(data: WorkerData, user, worker: Worker | None = None,
                expected_version: int | str | None = None) -> Worker:
    """Create a worker (with a badge code) or change one."""
    if worker is not None:
        check_version(worker, expected_version)
    _check(data)
    values = {"first_name": data.first_name.strip(), "sign_in_method": data.sign_in_method,
              "skills": sorted(set(data.skills)), "active": data.active}
    if data.working_time_rule is not None:
        values["working_time_rule"] = data.working_time_rule
    if worker is None:
        worker = Worker(code=new_unique_code(Worker, KIND_WORKER), **values)
        db.session.add(worker)
        write_audit(worker, "created", user)
    else:
        apply_edits(worker, values, user)
    commit([worker])
    return worker


@conflict_safe
def set_worker_photo(worker: Worker, data: bytes, user) -> None:
    """Store a new photo (checked, resized, metadata removed) for the worker."""
    name = save_photo(data, PHOTO_AREA, max_edge=PHOTO_EDGE)
    apply_edits(worker, {"photo": name}, user)
    commit([worker])


# ---------------------------------------------------------------- support profiles

MAX_STEPS_PER_SCREEN = 4
MAX_IDLE_MINUTES = 120


@dataclass(frozen=True)
class SupportData:
    """How the task screens support a worker (see ``SupportProfile``)."""

    audio_autoplay: bool = False
    captions: bool = True
    steps_per_screen: int = 1
    idle_reminder_minutes: int = 3
    idle_alert_minutes: int = 10


DEFAULT_SUPPORT = SupportData()


def _as_data(profile: SupportProfile) -> SupportData:
    return SupportData(**{f.name: getattr(profile, f.name) for f in fields(SupportData)})


def support_history(worker: Worker) -> list[SupportProfile]:
    """Every support profile the worker had, newest first."""
    return list(db.session.scalars(
        select(SupportProfile).where(SupportProfile.worker_id == worker.id)
        .order_by(SupportProfile.set_at.desc(), SupportProfile.id.desc())))


def current_support(worker_id: int) -> SupportData:
    """The support in force for a worker now (the defaults until a supervisor sets one)."""
    profile = db.session.scalar(
        select(SupportProfile).where(SupportProfile.worker_id == worker_id)
        .order_by(SupportProfile.set_at.desc(), SupportProfile.id.desc()).limit(1))
    return _as_data(profile) if profile is not None else DEFAULT_SUPPORT


def set_support(worker: Worker, data: SupportData, user, now=None) -> SupportProfile | None:
    """Record a new support profile for a worker; None when nothing changed.

    Rows are only ever added, so the history shows how support changed over time.
    """
    if not 1 <= data.steps_per_screen <= MAX_STEPS_PER_SCREEN:
        raise DomainError(_l("Choose from 1 to %(n)s steps on one screen.",
                             n=MAX_STEPS_PER_SCREEN), field="steps_per_screen")
    if not 1 <= data.idle_reminder_minutes <= MAX_IDLE_MINUTES:
        raise DomainError(_l("Choose from 1 to %(n)s minutes.", n=MAX_IDLE_MINUTES),
                          field="idle_reminder_minutes")
    if not data.idle_reminder_minutes < data.idle_alert_minutes <= MAX_IDLE_MINUTES:
        raise DomainError(_l("The alert comes after the reminder: choose more minutes than "
                             "for the reminder, at most %(n)s.", n=MAX_IDLE_MINUTES),
                          field="idle_alert_minutes")
    before = current_support(worker.id)
    if before == data:
        return None
    profile = SupportProfile(worker_id=worker.id, set_by=user.id if user else None,
                             **{f.name: getattr(data, f.name) for f in fields(SupportData)})
    if now is not None:
        profile.set_at = now
    db.session.add(profile)
    write_audit(worker, "edited", user, changes={
        f"support.{f.name}": (getattr(before, f.name), getattr(data, f.name))
        for f in fields(SupportData) if getattr(before, f.name) != getattr(data, f.name)})
    commit()
    return profile
