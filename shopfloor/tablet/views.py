"""The worker screens on a station tablet.

Workers have no account: the tablet's device cookie says which station this is
(``@require_role(STATION)``), and signing in with a photo and a badge or picture says who
works on it. Screens are plain pages and forms (Done, the check photos, Help and sign-in
work without JavaScript); ``static/js/tablet.js`` adds what needs it: sounds, speech, the
counter without reloads, the keypad, the timer, scanning, the help state and the reminder.
"""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shopfloor.auth.access import PUBLIC, STATION, require_role
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.floor import services as floor
from shopfloor.forms_support import safe_next
from shopfloor.instructions.models import InstructionStep, StepKind
from shopfloor.production.models import Batch
from shopfloor.scanning.views import decoded_frame_answer
from shopfloor.stations import services as stations
from shopfloor.stations import signin
from shopfloor.tablet import screens
from shopfloor.tablet.access import forget_worker, remember_worker
from shopfloor.tablet.services import (
    Work,
    answer_screen,
    grid_rng,
    help_state,
    page_is_current,
    round_count,
    step_bounds,
    work_for,
)
from shopfloor.uploads import audio_path, photo_path, send_upload
from shopfloor.video import video_path
from shopfloor.workers.models import Worker

bp = Blueprint("tablet", __name__, url_prefix="/t")

MEDIA_AREAS = ("instructions", "workers")
MSG_WORK_CHANGED = _l("Your work has changed. Look at your new work.")


def _tap_id() -> str:
    """A fresh id for the next tap on a page: a resent form counts once."""
    return str(uuid.uuid4())


def _render(template: str, status: int = 200, **context):
    worker_id = g.worker_session.worker_id if g.worker_session else None
    context.setdefault("help_call", help_state(g.station, worker_id))
    return render_template(f"tablet/{template}", station=g.station, tap_id=_tap_id(),
                           media_url=_media_url, preview=False, **context), status


def render_station_page(template: str, status: int = 200, **context):
    """A worker screen of this station (with its Help box), for the error handler."""
    return _render(template, status, **context)


def _media_url(name: str) -> str:
    return url_for("tablet.media", area="instructions", name=name)


def _work_or_home() -> Work | None:
    if g.worker_session is None:
        return None
    return work_for(g.station, g.worker_session)


# ---------------------------------------------------------------- before sign-in


@bp.get("/")
@require_role(STATION)
def home():
    """The station's photo screen: tap your photo to start."""
    if g.worker_session is not None:
        return redirect(url_for("tablet.work"))
    # Nobody is signed in: the tablet forgets any task screens it kept for working offline.
    return _render("home.html", workers=stations.expected_workers(g.station), forget_work=True)


def _challenge(worker: Worker):
    return signin.start_sign_in(g.station, worker.id,
                                rng=grid_rng(worker, current_app.config["SECRET_KEY"]))


def _expected_worker(worker_id: int) -> Worker:
    worker = db.session.get(Worker, worker_id)
    if worker is None or worker not in stations.expected_workers(g.station):
        abort(404)
    return worker


@bp.get("/sign-in/<int:worker_id>")
@require_role(STATION)
def sign_in(worker_id: int):
    """The second step of signing in: scan the badge, or pick the own photo."""
    worker = _expected_worker(worker_id)
    try:
        challenge = _challenge(worker)
    except signin.WorkerSignInRefused as exc:
        return _render("sign_in.html", 422, worker=worker, challenge=None,
                       message=exc.message, locked=exc.locked)
    return _render("sign_in.html", worker=worker, challenge=challenge,
                   grid=[db.session.get(Worker, i) for i in challenge.grid])


@bp.post("/sign-in/<int:worker_id>")
@require_role(STATION)
def sign_in_answer(worker_id: int):
    """Check the scanned badge or the picked photo; on success go to the work."""
    worker = _expected_worker(worker_id)
    try:
        session = signin.finish_sign_in(g.station, worker.id, request.form.get("answer"))
    except signin.WorkerSignInRefused as exc:
        challenge = None
        grid = []
        if not exc.locked:
            try:
                challenge = _challenge(worker)
                grid = [db.session.get(Worker, i) for i in challenge.grid]
            except signin.WorkerSignInRefused:
                challenge = None
        return _render("sign_in.html", 422, worker=worker, challenge=challenge, grid=grid,
                       message=exc.message, locked=exc.locked)
    if g.worker_session is not None and g.worker_session.id != session.id:
        # Someone else signs in on this tablet: the one before is signed out, not left
        # open (the board would show them working, then idle).
        signin.sign_out_worker(g.worker_session)
    remember_worker(session)
    return redirect(url_for("tablet.work"))


@bp.post("/sign-out")
@require_role(STATION)
def sign_out():
    """"Koniec pracy": the worker leaves the tablet for the next person."""
    if g.worker_session is not None:
        signin.sign_out_worker(g.worker_session)
    forget_worker()
    return redirect(url_for("tablet.home"))


# ---------------------------------------------------------------- the work


def _signed_in_work() -> Work:
    work = _work_or_home()
    if work is None:
        abort(redirect(url_for("tablet.home")))
    return work


@bp.get("/work")
@require_role(STATION)
def work():
    """"My work now": the batch the supervisor gave this station, with its picture."""
    work = _signed_in_work()
    return _render("work.html", work=work, offline_pages=offline_pages(work))


@bp.get("/work/start")
@require_role(STATION)
def start():
    """What to fetch before step 1: materials and tools."""
    work = _signed_in_work()
    if not work.screens:
        return redirect(url_for("tablet.work"))
    return _render("start.html", work=work, offline_pages=offline_pages(work))


def offline_pages(work: Work) -> list[str]:
    """The screens of the task the tablet keeps for working without a network (the
    service worker, static/js/tablet-sw.js): my work now, materials, every step screen,
    the end."""
    if not work.screens:
        return []
    return [url_for("tablet.work"), url_for("tablet.start"),
            *(url_for("tablet.step", number=n) for n in range(1, len(work.screens) + 1)),
            url_for("tablet.end")]


@bp.get("/offline")
@require_role(STATION)
def offline():
    """What the tablet shows when it has no network and no kept copy of a screen."""
    return _render("offline.html")


@bp.get("/sw.js")
@require_role(PUBLIC)
def service_worker():
    """The tablet's service worker, served under /t/ so that it may control the worker
    screens; checked for an update on every visit (no-cache)."""
    from flask import send_from_directory

    response = send_from_directory(current_app.static_folder, "js/tablet-sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/t/"
    return response


def _screen_context(work: Work, number: int) -> dict:
    screen = work.screen(number)
    if screen is None:
        abort(404)
    steps = work.steps_on(screen)
    step = steps[0]
    context = {"work": work, "screen": screen, "steps": steps, "step": step,
               "next_url": _next_url(work, number),
               "dots": screens.dots(len(work.steps), screen),
               "back_url": url_for("tablet.step", number=number - 1) if number > 1
               else url_for("tablet.start")}
    if step.kind == StepKind.COUNT:
        count = round_count(work, step)
        context["count"] = count
        context["blocks"] = screens.blocks(count, step.target_quantity)
    if step.kind == StepKind.MEASURE:
        context["bounds"] = step_bounds(work, step)
    from shopfloor.lines import get_line

    plugin = get_line(work.batch.line)
    context["figures"] = {s.id: plugin.step_figure(work.batch, s) for s in steps}
    return context


@bp.get("/work/step/<int:number>")
@require_role(STATION)
def step(number: int):
    """One screen of the task: one step (or a group of plain steps), large photo, Done."""
    work = _signed_in_work()
    if not work.screens:
        return redirect(url_for("tablet.work"))
    return _render("step.html", **_screen_context(work, number))


def _next_url(work: Work, number: int) -> str:
    if number < len(work.screens):
        return url_for("tablet.step", number=number + 1)
    return url_for("tablet.end")


@bp.post("/work/step/<int:number>")
@require_role(STATION)
def step_answer(number: int):
    """A tap that ends a screen: Done, a good or bad photo, a measured number, a scan."""
    work = _signed_in_work()
    if not page_is_current(work, number, request.form.get("batch_id"),
                           request.form.get("step_ids")):
        return redirect(url_for("tablet.work"))
    context = _screen_context(work, number)
    try:
        outcome = answer_screen(work, context["steps"],
                                screens.chosen_action(request.form.getlist("action")),
                                request.form.get("client_id", ""),
                                value=request.form.get("value"),
                                answer=request.form.get("answer"))
    except DomainError as exc:
        return _render("step.html", 422, **context, error=exc.message)
    if outcome.done:
        return redirect(_next_url(work, number))
    return _render("step.html", 200 if outcome.kind in ("bad", "counted") else 422, **context,
                   outcome=outcome.kind, measured=outcome.measured)


@bp.post("/events")
@require_role(STATION)
def events():
    """A count tap (+1, -1, take back) sent by the page without reloading it.

    Kept lean (the busiest request on the floor): the station's batch and the step only,
    not the whole task."""
    body = request.get_json(silent=True) or {}
    session = g.worker_session
    if session is None:
        return jsonify(message=str(floor.MSG_SIGNED_OUT)), 401
    batch = db.session.get(Batch, g.station.current_batch_id) \
        if g.station.current_batch_id else None
    if batch is None:
        return jsonify(message=str(floor.MSG_NOT_STARTED)), 409
    if body.get("batch_id") != batch.id:
        # The page was opened for other work: send the worker to the work now.
        return jsonify(message=str(MSG_WORK_CHANGED), reload=url_for("tablet.work")), 409
    step = db.session.get(InstructionStep, body.get("step_id")) \
        if isinstance(body.get("step_id"), int) else None
    # Read before the commit expires them (no reloading queries afterwards).
    batch_id, worker_id = batch.id, session.worker_id
    step_id, target = (step.id, step.target_quantity) if step is not None else (None, None)
    is_count = step is not None and step.kind == StepKind.COUNT
    try:
        result = floor.record_step_event(session, batch, step,
                                         str(body.get("kind", "")), body.get("client_id"),
                                         value=body.get("value"), text=body.get("text"))
    except DomainError as exc:
        return jsonify(message=str(exc.message), field=exc.field), 422
    answer = {"created": result.created}
    if is_count:
        count = floor.round_counted(batch_id, step_id, worker_id)
        filled, total = screens.blocks(count, target)
        answer.update(count=int(count), filled=filled, blocks=total, target=int(target or 0))
    return jsonify(answer)


@bp.get("/work/end")
@require_role(STATION)
def end():
    """The end of the task: well done, and what comes next."""
    work = _signed_in_work()
    return _render("end.html", work=work)


# ---------------------------------------------------------------- help


def _help_answer(call, status: int = 200):
    if call is None:
        return jsonify(status="none", message="")
    messages = {"open": _("Wait. The supervisor knows."),
                "acknowledged": _("The supervisor is coming."),
                "closed": ""}
    return jsonify(status=call.status, message=messages[call.status]), status


@bp.post("/help")
@require_role(STATION)
def help_call():
    """One tap on Help: a call with who, where, which batch and step."""
    client_id = request.form.get("client_id") or (request.get_json(silent=True) or {}).get(
        "client_id")
    back = safe_next(request.form.get("next"), url_for("tablet.home"))
    try:
        if g.worker_session is None:
            call, _created = floor.call_help_from_station(g.station, client_id)
        else:
            work = work_for(g.station, g.worker_session)
            step_id = request.form.get("step_id", type=int) or (
                request.get_json(silent=True) or {}).get("step_id")
            step = db.session.get(InstructionStep, step_id) if step_id else None
            if step is not None and (work.version is None
                                     or step.instruction_version_id != work.version.id):
                step = None
            call, _created = floor.call_help(g.worker_session, work.batch, step, client_id)
    except DomainError as exc:
        if request.is_json:
            return jsonify(status="failed", message=str(exc.message)), 422
        return redirect(back)
    if request.is_json:
        return _help_answer(call)
    return redirect(back)


@bp.get("/help.json")
@require_role(STATION)
def help_status():
    """Whether the worker's call is waiting, acknowledged ("coming") or closed."""
    worker_id = g.worker_session.worker_id if g.worker_session else None
    return _help_answer(floor.latest_help_call(g.station.id, worker_id))


# ---------------------------------------------------------------- media


@bp.get("/media/<area>/<name>")
@require_role(STATION)
def media(area: str, name: str):
    """Step photos, films and clips, and workers' photos, for the tablet, cached (never
    changed)."""
    if area not in MEDIA_AREAS:
        abort(404)
    if name.endswith(".wav"):
        return send_upload(audio_path(area, name), "audio/wav")
    if name.endswith(".mp4"):
        return send_upload(video_path(area, name), "video/mp4")
    return send_upload(photo_path(area, name), "image/jpeg")


@bp.post("/frame")
@require_role(STATION)
def frame():
    """Decode one camera frame for tablets whose browser cannot read codes itself."""
    return decoded_frame_answer()
