"""Repair tasks on the station tablet: a sewer working on a garments batch scans an item's tag
(or taps the item), sees its defect, then follows the repair instruction's picture steps one
at a time (the tablet's own step partials); the last Ready marks the item repaired and puts
it into re-inspection. Worker screens: no typing, Help in its usual place."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from shopfloor.auth.access import STATION, require_role
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.production.status import BatchStatus
from shopfloor.returns import defects, repairs
from shopfloor.returns.models import ReturnedItem
from shopfloor.returns.services import PHOTO_AREA
from shopfloor.tablet import screens
from shopfloor.tablet.services import work_for
from shopfloor.tablet.views import render_station_page
from shopfloor.uploads import photo_path, send_upload

bp = Blueprint("repair", __name__, url_prefix="/t/repair")
LINE = "garments"


def _work():
    if g.worker_session is None:
        abort(redirect(url_for("tablet.home")))
    work = work_for(g.station, g.worker_session)
    if work.batch is None or work.batch.line != LINE:
        abort(redirect(url_for("tablet.work")))
    return work


@bp.app_template_global()
def repair_work_url(work) -> str | None:
    """The repair screen's address when the worker's batch is a garments batch being worked
    on (for "My work now")."""
    batch = getattr(work, "batch", None)
    if batch is None or batch.line != LINE or batch.status != BatchStatus.IN_PROGRESS:
        return None
    return url_for("repair.queue")


@bp.get("/")
@require_role(STATION)
def queue(status: int = 200, error=None):
    """The items of the batch waiting for repair: scan a tag, or tap the item."""
    work = _work()
    return render_station_page("repair_queue.html", status, work=work, error=error,
                               items=repairs.items_to_repair(work.batch.id),
                               defect_names=defects.DEFECTS)


@bp.post("/")
@require_role(STATION)
def scan():
    """The scanned (or tapped) item: on to its repair."""
    work = _work()
    try:
        item = repairs.item_to_repair(work.batch.id, request.form.get("answer", ""))
    except DomainError as exc:
        return queue(422, exc.message)
    return redirect(url_for("repair.start", item_id=item.id))


def _task(item_id: int):
    work = _work()
    item = db.session.get(ReturnedItem, item_id)
    if item is None or item.batch_id != work.batch.id:
        abort(404)
    return work, item, repairs.repair_version(item)


@bp.get("/<int:item_id>")
@require_role(STATION)
def start(item_id: int):
    """The item and its defect, then what to fetch before step 1."""
    work, item, version = _task(item_id)
    if item.repair_stage != "to_repair":
        return redirect(url_for("repair.queue"))
    return render_station_page("repair_start.html", work=work, item=item, version=version,
                               defect=defects.DEFECTS.get(item.defect_code))


def _step_context(work, item, version, number: int) -> dict:
    steps = list(version.steps) if version is not None else []
    if not 1 <= number <= len(steps):
        abort(404)
    step = steps[number - 1]
    screen = screens.Screen(number, (step.position,))
    return {"work": work, "item": item, "steps": [step], "step": step, "screen": screen,
            "total": len(steps), "dots": screens.dots(len(steps), screen), "figures": {},
            "back_url": url_for("repair.step", item_id=item.id, number=number - 1)
            if number > 1 else url_for("repair.start", item_id=item.id)}


@bp.get("/<int:item_id>/step/<int:number>")
@require_role(STATION)
def step(item_id: int, number: int):
    """One picture step of the repair."""
    work, item, version = _task(item_id)
    if item.repair_stage != "to_repair":
        return redirect(url_for("repair.queue"))
    return render_station_page("repair_step.html",
                               **_step_context(work, item, version, number))


@bp.post("/<int:item_id>/step/<int:number>")
@require_role(STATION)
def step_answer(item_id: int, number: int):
    """Ready (or the good or bad photo); after the last step the item is repaired."""
    work, item, version = _task(item_id)
    if item.repair_stage != "to_repair":
        return redirect(url_for("repair.queue"))
    context = _step_context(work, item, version, number)
    action = request.form.get("action", "")
    if action == "check:bad":
        return render_station_page("repair_step.html", 200, **context, outcome="bad")
    if action not in ("done", "check:good"):
        return render_station_page("repair_step.html", 422, **context,
                                   error=repairs.MSG_NOT_FOR_REPAIR)
    if number < context["total"]:
        return redirect(url_for("repair.step", item_id=item.id, number=number + 1))
    try:
        repairs.finish_repair(item, None, worker=work.worker, version=version)
    except DomainError as exc:
        return render_station_page("repair_step.html", 422, **context, error=exc.message)
    return redirect(url_for("repair.done", item_id=item.id))


@bp.get("/<int:item_id>/done")
@require_role(STATION)
def done(item_id: int):
    """Well done: the item goes to the supervisor for re-inspection."""
    work, item, _version = _task(item_id)
    return render_station_page("repair_done.html", work=work, item=item,
                               more=bool(repairs.items_to_repair(work.batch.id)))


@bp.get("/<int:item_id>/photo/<name>")
@require_role(STATION)
def photo(item_id: int, name: str):
    """A photo of the item's defect, for the sewer."""
    _work_, item, _version = _task(item_id)
    if name not in {photo.name for photo in item.photos}:
        abort(404)
    return send_upload(photo_path(PHOTO_AREA, name), "image/jpeg")
