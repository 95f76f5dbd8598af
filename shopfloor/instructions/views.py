"""Authoring instructions on the tablet: list, new, the draft editor, publishing, photos."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.instructions import services
from shopfloor.instructions.forms import InstructionForm, MaterialsForm, StepForm
from shopfloor.instructions.models import Instruction, InstructionStep, InstructionVersion
from shopfloor.uploads import audio_path, photo_path, send_upload
from shopfloor.video import video_path

bp = Blueprint("instructions", __name__, url_prefix="/instructions")


def _user():
    return current_user._get_current_object()


@bp.get("/")
@require_role(*STAFF)
def instruction_list():
    """All instructions with their published and draft versions."""
    instructions = db.session.scalars(select(Instruction).order_by(Instruction.title)).all()
    return render_template("instructions/list.html", instructions=instructions)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*STAFF)
def instruction_new():
    """Start an instruction; its first version is a draft."""
    form = InstructionForm()
    status = 200
    if form.validate_on_submit():
        try:
            instruction = services.create_instruction(form.title.data, _user(),
                                                      product_id=form.product_id.data,
                                                      line=form.line.data or None)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            return redirect(url_for("instructions.version_edit",
                                    version_id=instruction.versions[0].id))
    return render_template("instructions/new.html", form=form), form_status(form, status)


def _version(version_id: int) -> InstructionVersion:
    return db.session.get(InstructionVersion, version_id) or abort(404)


def _readings(version: InstructionVersion) -> tuple:
    """The readings the instruction's line keeps in a batch record (a soap melt
    temperature): a measuring step may be marked as one of them."""
    from shopfloor.lines import get_line

    instruction = version.instruction
    line = instruction.line or (instruction.product.line if instruction.product else None)
    return get_line(line).recorded_readings if line else ()


def _figures(version: InstructionVersion) -> tuple:
    """What a step of this instruction may show beside its photo (a harness connector)."""
    from shopfloor.lines import get_line

    instruction = version.instruction
    line = instruction.line or (instruction.product.line if instruction.product else None)
    return get_line(line).step_figure_choices(instruction.product_id) if line else ()


def _step_form(version: InstructionVersion, **kwargs) -> StepForm:
    return StepForm(readings=_readings(version), figures=_figures(version), **kwargs)


def _step_data(form: StepForm, version: InstructionVersion) -> services.StepData:
    settings = {}
    if form.minutes.data:
        settings["minutes"] = form.minutes.data
    if form.measure.data:
        settings["measure"] = form.measure.data
    if form.scan.data:
        settings["scan"] = form.scan.data
    if form.measure.data:
        # The worker's range; the line plug-in's own range still applies around it.
        for key, value in (("min", form.measure_min.data), ("max", form.measure_max.data)):
            if value is not None:
                settings[key] = str(value)
        if form.record_as.data in {key for key, _label in _readings(version)}:
            settings["stage"] = form.record_as.data
    if form.figure.data in {key for key, _label in _figures(version)}:
        settings["figure"] = form.figure.data
    return services.StepData(kind=form.kind.data, caption=form.caption.data or "",
                             photo_alt=form.photo_alt.data or "",
                             pictogram=form.pictogram.data or "",
                             target_quantity=form.target_quantity.data, settings=settings)


def _decimal(value):
    from decimal import Decimal

    return None if value in (None, "") else Decimal(str(value))


def _uploads() -> services.StepUploads:
    """The files sent with a step form (read here; the service checks them)."""
    def read(name: str) -> bytes | None:
        upload = request.files.get(name)
        return upload.read() if upload and upload.filename else None

    # "Remove the clip" is a checkbox, not a submit button: a button placed before "Save
    # step" would become the form's default and run when someone presses Enter in a field.
    return services.StepUploads(photo=read("photo"), good_photo=read("good_photo"),
                                bad_photo=read("bad_photo"), audio=read("audio"),
                                remove_audio=bool(request.form.get("remove_audio")),
                                video=read("video"),
                                remove_video=bool(request.form.get("remove_video")))


def _editor(version: InstructionVersion, *, status: int = 200, step_errors=None,
            new_step: StepForm | None = None, problems=None):
    step_forms = {}
    for step in version.steps:
        form = _step_form(version, formdata=None, obj=step,
                        minutes=(step.settings or {}).get("minutes"),
                        measure=(step.settings or {}).get("measure", ""),
                        scan=(step.settings or {}).get("scan", ""),
                        measure_min=_decimal((step.settings or {}).get("min")),
                        measure_max=_decimal((step.settings or {}).get("max")),
                        record_as=(step.settings or {}).get("stage", ""),
                        figure=(step.settings or {}).get("figure", ""))
        step_forms[step.id] = form
    for step_id, (form, message) in (step_errors or {}).items():
        form.form_errors.append(message)
        step_forms[step_id] = form
    return render_template(
        "instructions/edit.html", version=version, instruction=version.instruction,
        materials_form=MaterialsForm(formdata=None, materials="\n".join(version.materials),
                                     tools="\n".join(version.tools), version=version.version),
        step_forms=step_forms,
        new_step=new_step or _step_form(version, formdata=None),
        problems=problems, entries=history(version)), status


@bp.get("/versions/<int:version_id>")
@require_role(*STAFF)
def version_edit(version_id: int):
    """The draft editor (or a read-only view of a published version)."""
    version = _version(version_id)
    return _editor(version, problems=services.lint_version(version)
                   if version.status == "draft" else None)


@bp.post("/versions/<int:version_id>/materials")
@require_role(*STAFF)
def version_materials(version_id: int):
    """Save the materials and tools lists."""
    version = _version(version_id)
    form = MaterialsForm()
    if form.validate_on_submit():
        try:
            services.set_materials_and_tools(version, (form.materials.data or "").splitlines(),
                                             (form.tools.data or "").splitlines(), _user(),
                                             expected_version=form.version.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return _editor(version, status=exc.status_code if exc.status_code != 400 else 422)
        flash(_("Materials and tools saved."), "success")
    return redirect(url_for("instructions.version_edit", version_id=version.id))


@bp.post("/versions/<int:version_id>/steps")
@require_role(*STAFF)
def step_add(version_id: int):
    """Add a step (with its photos) at the end of the draft."""
    version = _version(version_id)
    form = _step_form(version)
    if form.validate_on_submit():
        try:
            step = services.add_step(version, _step_data(form, version), _user(), _uploads())
        except DomainError as exc:
            attach_error(form, exc)
            return _editor(version, new_step=form, status=422)
        flash(_("Step %(n)s added.", n=step.position), "success")
        return redirect(url_for("instructions.version_edit", version_id=version.id,
                                _anchor=f"step-{step.id}"))
    return _editor(version, new_step=form, status=form_status(form))


@bp.post("/steps/<int:step_id>")
@require_role(*STAFF)
def step_update(step_id: int):
    """Change a step, move it, or delete it."""
    step = db.session.get(InstructionStep, step_id) or abort(404)
    version = step.instruction_version
    form = _step_form(version)
    action = request.form.get("action", "save")
    try:
        if action == "delete":
            services.remove_step(step, _user())
        elif action in ("up", "down"):
            services.move_step(step, step.position + (-1 if action == "up" else 1), _user())
        elif form.validate_on_submit():
            services.update_step(step, _step_data(form, version), _user(), _uploads())
        else:
            return _editor(version, step_errors={step.id: (form, " ".join(
                str(m) for ms in form.errors.values() for m in ms))}, status=422)
    except DomainError as exc:
        return _editor(version, step_errors={step.id: (form, str(exc.message))}, status=422)
    return redirect(url_for("instructions.version_edit", version_id=version.id,
                            _anchor=f"step-{step.id}" if action != "delete" else "steps"))


@bp.post("/versions/<int:version_id>/publish")
@require_role(*STAFF)
def version_publish(version_id: int):
    """Publish the draft if the lint passes; otherwise show what to fix."""
    version = _version(version_id)
    try:
        services.publish_version(version, _user())
    except services.PublishRefused as exc:
        return _editor(version, problems=exc.problems, status=422)
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("instructions.version_edit", version_id=version.id))
    flash(_("Version %(n)s is published. Workers follow it from now on.", n=version.number),
          "success")
    return redirect(url_for("instructions.version_edit", version_id=version.id))


@bp.post("/<int:instruction_id>/draft")
@require_role(*STAFF)
def new_draft(instruction_id: int):
    """Start a new draft from the newest version."""
    instruction = db.session.get(Instruction, instruction_id) or abort(404)
    draft = services.new_draft(instruction, _user())
    return redirect(url_for("instructions.version_edit", version_id=draft.id))


@bp.get("/photos/<name>")
@require_role(*STAFF)
def photo(name: str):
    """A step photo (stored outside static/, cached: a published photo never changes)."""
    return send_upload(photo_path(services.PHOTO_AREA, name), "image/jpeg")


@bp.get("/audio/<name>")
@require_role(*STAFF)
def audio(name: str):
    """A step's recorded sound clip (stored outside static/, cached like the photos)."""
    return send_upload(audio_path(services.AUDIO_AREA, name), "audio/wav")


@bp.get("/video/<name>")
@require_role(*STAFF)
def video(name: str):
    """A step's film (stored outside static/, cached like the photos; Range requests work,
    so a tablet can seek and stream it)."""
    return send_upload(video_path(services.VIDEO_AREA, name), "video/mp4")


@bp.get("/versions/<int:version_id>/preview/<int:number>")
@require_role(*STAFF)
def version_preview(version_id: int, number: int):
    """A step screen exactly as a worker sees it on the tablet, with nothing saved."""
    from types import SimpleNamespace

    from shopfloor.floor.rules import measure_bounds
    from shopfloor.lines import get_line
    from shopfloor.tablet import screens
    from shopfloor.workers.services import DEFAULT_SUPPORT

    version = _version(version_id)
    steps = list(version.steps)
    all_screens = screens.screens_for(steps, DEFAULT_SUPPORT.steps_per_screen)
    if not 1 <= number <= len(all_screens):
        abort(404)
    screen = all_screens[number - 1]
    shown = [s for s in steps if s.position in screen.positions]
    step = shown[0]
    line = version.instruction.line or (version.instruction.product.line
                                        if version.instruction.product else None)
    work = SimpleNamespace(
        support=DEFAULT_SUPPORT, steps=steps, version=version,
        worker=SimpleNamespace(id=0, first_name=_("Preview"), photo=None),
        batch=SimpleNamespace(id=0, line=line))
    line_range = get_line(line).measure_range((step.settings or {}).get("measure", "")) \
        if line else None

    def media_url(name: str) -> str:
        endpoint = ("instructions.audio" if name.endswith(".wav") else "instructions.video"
                    if name.endswith(".mp4") else "instructions.photo")
        return url_for(endpoint, name=name)

    next_url = (url_for("instructions.version_preview", version_id=version.id,
                        number=number + 1) if number < len(all_screens)
                else url_for("instructions.version_edit", version_id=version.id))
    return render_template(
        "tablet/step.html", preview=True, preview_next=next_url, media_url=media_url,
        station=SimpleNamespace(name=version.instruction.title), tap_id="", help_call=None,
        work=work, screen=screen, steps=shown, step=step,
        dots=screens.dots(len(steps), screen), count=0,
        blocks=screens.blocks(0, step.target_quantity),
        bounds=measure_bounds(step.settings, line_range),
        back_url=url_for("instructions.version_preview", version_id=version.id,
                         number=number - 1) if number > 1
        else url_for("instructions.version_edit", version_id=version.id))
