"""State changes of workers' records."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from shopfloor.audit.services import apply_edits, check_version, commit, conflict_safe, write_audit
from shopfloor.codes import KIND_WORKER
from shopfloor.database import new_unique_code
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.uploads import save_photo
from shopfloor.workers.models import SignInMethod, Worker, WorkingTimeRule

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
