"""Workers: faces list, record form with photo, and the photo itself."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.uploads import photo_path
from shopfloor.workers.forms import SupportForm, WorkerForm
from shopfloor.workers.models import Worker
from shopfloor.workers.services import (
    PHOTO_AREA,
    SupportData,
    WorkerData,
    current_support,
    save_worker,
    set_support,
    set_worker_photo,
    support_history,
)

bp = Blueprint("workers", __name__, url_prefix="/workers")


@bp.get("/")
@require_role(*STAFF)
def worker_list():
    """Every worker with their photo, active first."""
    workers = db.session.scalars(select(Worker).order_by(Worker.active.desc(),
                                                         Worker.first_name)).all()
    return render_template("workers/list.html", workers=workers)


def _form_page(worker: Worker | None):
    is_manager = current_user.role == Role.MANAGER
    form = WorkerForm(obj=worker)
    if not is_manager:
        del form.working_time_rule  # the rule hints at health: the manager's to see and set
    status = 200
    if form.validate_on_submit():
        data = WorkerData(first_name=form.first_name.data or "",
                          sign_in_method=form.sign_in_method.data,
                          working_time_rule=form.working_time_rule.data if is_manager else None,
                          skills=list(form.skills.data or []), active=bool(form.active.data))
        user = current_user._get_current_object()
        try:
            worker = save_worker(data, user, worker, expected_version=form.version.data)
            upload = request.files.get("photo")
            if upload and upload.filename:
                set_worker_photo(worker, upload.read(), user)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("%(name)s saved.", name=worker.first_name), "success")
            return redirect(url_for("workers.worker_edit", worker_id=worker.id))
    return _render_form(worker, form, form_status(form, status))


def _render_form(worker: Worker | None, form: WorkerForm, status: int,
                 support_form: SupportForm | None = None, **capacity_forms):
    is_manager = current_user.role == Role.MANAGER
    entries = history(worker) if worker is not None else []
    if not is_manager:
        # An edit that only touched manager-only fields is left out altogether.
        entries = [entry for entry in map(_without_rule, entries)
                   if entry.action != "edited" or entry.changes]
    if worker is not None and support_form is None:
        support_form = SupportForm(formdata=None,
                                   **vars(current_support(worker.id)))
    return render_template(
        "workers/form.html", form=form, worker=worker, entries=entries,
        support_form=support_form,
        support_history=support_history(worker) if worker is not None else [],
        users=_user_names(), **capacity_context(worker, **capacity_forms)), status


def worker_page(worker: Worker, status: int, **capacity_forms):
    """The worker page re-shown after a capacity section's form (see capacity_views)."""
    worker_form = WorkerForm(formdata=None, obj=worker)
    if current_user.role != Role.MANAGER:
        del worker_form.working_time_rule
    return _render_form(worker, worker_form, status, **capacity_forms)


def _user_names() -> dict[int, str]:
    from shopfloor.auth.models import User

    return {u.id: u.display_name for u in db.session.scalars(select(User))}


# Changes that hint at health (shared/domain.md §5): the manager's to see.
_MANAGER_ONLY_CHANGES = frozenset({"working_time_rule", "night_overtime_consent_on"})


def _without_rule(entry):
    """A history entry as a supervisor may see it: without the working-time rule or the
    doctor's consent date, which hint at health (shared/domain.md §5)."""
    if entry.changes and _MANAGER_ONLY_CHANGES & set(entry.changes):
        from types import SimpleNamespace

        changes = {k: v for k, v in entry.changes.items() if k not in _MANAGER_ONLY_CHANGES}
        return SimpleNamespace(**{c: getattr(entry, c) for c in (
            "at", "actor_name", "action", "from_status", "to_status", "reason")},
            changes=changes)
    return entry


@bp.route("/new", methods=["GET", "POST"])
@require_role(*STAFF)
def worker_new():
    """Add a worker."""
    return _form_page(None)


@bp.route("/<int:worker_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def worker_edit(worker_id: int):
    """Change a worker's record or photo."""
    return _form_page(db.session.get(Worker, worker_id) or abort(404))


@bp.get("/<int:worker_id>/photo.jpg")
@require_role(*STAFF)
def worker_photo(worker_id: int):
    """The worker's photo (stored outside static/, cached by the browser for a day)."""
    worker = db.session.get(Worker, worker_id) or abort(404)
    path = photo_path(PHOTO_AREA, worker.photo or "")
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=86400, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.post("/<int:worker_id>/support")
@require_role(*STAFF)
def worker_support(worker_id: int):
    """Set how the task screens support the worker; the change is added to the history."""
    worker = db.session.get(Worker, worker_id) or abort(404)
    form = SupportForm()
    status = 200
    if form.validate_on_submit():
        data = SupportData(audio_autoplay=bool(form.audio_autoplay.data),
                           captions=bool(form.captions.data),
                           steps_per_screen=form.steps_per_screen.data,
                           idle_reminder_minutes=form.idle_reminder_minutes.data,
                           idle_alert_minutes=form.idle_alert_minutes.data)
        try:
            changed = set_support(worker, data, current_user._get_current_object())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Support of %(name)s saved.", name=worker.first_name) if changed
                  else _("Nothing changed."), "success")
            return redirect(url_for("workers.worker_edit", worker_id=worker.id,
                                    _anchor="support"))
    worker_form = WorkerForm(formdata=None, obj=worker)
    if current_user.role != Role.MANAGER:
        del worker_form.working_time_rule
    return _render_form(worker, worker_form, form_status(form, status), support_form=form)


# Registers the capacity sections' routes on ``bp``; imported last because it uses the above.
from shopfloor.workers.capacity_views import capacity_context  # noqa: E402
