"""The office's returns pages beside the item page: the intake of parcels by scanning, the
returns list (parcels set aside, the repair queue), an item's tag, and which picture
instruction repairs which defect. Routes of the ``returns`` blueprint."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shopfloor.auth.access import require_role
from shopfloor.codes import format_code
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.lines.garments import REASONS
from shopfloor.production.models import Batch
from shopfloor.returns import defects, display, repairs
from shopfloor.returns.intake import IntakeData, IntakeRefused, intake_batches, intake_item
from shopfloor.returns.models import ItemStatus, ReturnedItem
from shopfloor.returns.services import MAX_PHOTOS
from shopfloor.returns.views import _item, _user, bp
from shopfloor.timeutil import local_today


def _intake_page(batch_id: int | None, status: int = 200, errors: dict | None = None,
                 typed: IntakeData | None = None, saved: ReturnedItem | None = None):
    return render_template(
        "returns/intake.html", batches=intake_batches(), batch_id=batch_id,
        errors=errors or {}, typed=typed or IntakeData(), saved=saved, reasons=REASONS,
        today=local_today().isoformat(), max_photos=MAX_PHOTOS,
        status_names=display.STAFF_STATUS_NAMES), status


@bp.get("/intake")
@require_role(*STAFF)
def intake():
    """Scan a parcel in: its return number, order number, SKU or EAN, and photos."""
    saved = db.session.get(ReturnedItem, request.args.get("saved", type=int) or 0)
    return _intake_page(request.args.get("batch", type=int), saved=saved)


@bp.post("/intake")
@require_role(*STAFF)
def intake_save():
    """Add the parcel to the batch, then be ready for the next one (same batch)."""
    batch_id = request.form.get("batch_id", type=int)
    data = IntakeData.from_form(request.form)
    photos = [upload.read() for upload in request.files.getlist("photos") if upload.filename]
    batch = db.session.get(Batch, batch_id) if batch_id else None
    try:
        item = intake_item(batch, data, photos, _user())
    except IntakeRefused as exc:
        return _intake_page(batch_id, 422, exc.problems, data)
    except DomainError as exc:
        return _intake_page(batch_id, exc.status_code if exc.status_code != 400 else 422,
                            {"form": str(exc.message)}, data)
    if item.status == ItemStatus.SET_ASIDE:
        flash(_("No return number: item %(code)s is set aside. Do not restock it.",
                code=format_code(item.item_code)), "warning")
    else:
        flash(_("Item %(code)s is saved.", code=format_code(item.item_code)), "success")
    return redirect(url_for("returns.intake", batch=batch_id, saved=item.id))


@bp.get("/")
@require_role(*STAFF)
def item_list():
    """Parcels set aside, the repair queue and the latest items."""
    set_aside = list(db.session.scalars(db.select(ReturnedItem).where(
        ReturnedItem.status == ItemStatus.SET_ASIDE.value).order_by(ReturnedItem.id)))
    latest = list(db.session.scalars(db.select(ReturnedItem)
                                      .order_by(ReturnedItem.id.desc()).limit(30)))
    return render_template(
        "returns/list.html", set_aside=set_aside, queue=repairs.repair_queue(),
        latest=latest, links=repairs.repair_links(), stage_names=display.REPAIR_STAGE_NAMES,
        status_names=display.STAFF_STATUS_NAMES, disposition_names=display.DISPOSITION_NAMES)


@bp.get("/<int:item_id>/tag.<any(pdf, png, svg, zpl):fmt>")
@require_role(*STAFF)
def tag(item_id: int, fmt: str):
    """The hang tag of one item (our item code, the return number), to print right away."""
    from shopfloor.labels import output
    from shopfloor.labels.kinds import GarmentTag

    item = _item(item_id)
    # A parcel set aside has no return number yet: its tag repeats our code.
    label = GarmentTag(item_code=item.item_code, return_number=item.rma or item.item_code,
                       sku=item.sku or item.ean, size=item.size)
    body, mimetype = output.render([label], fmt, dpi=request.args.get("dpi", type=int))
    disposition = "attachment" if fmt == "zpl" else "inline"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'{disposition}; filename="tag-{item.item_code}.{fmt}"'})


def _links_page(status: int = 200, errors: dict | None = None):
    return render_template(
        "returns/repair_instructions.html", catalogue=defects.DEFECTS,
        severity_names=display.SEVERITY_NAMES, links=repairs.repair_links(),
        instructions=repairs.repair_instructions(), errors=errors or {}), status


@bp.get("/repair-instructions")
@require_role(*STAFF)
def repair_instructions():
    """Which picture instruction a sewer follows for each defect."""
    return _links_page()


@bp.post("/repair-instructions")
@require_role(*STAFF)
def repair_instructions_save():
    """Choose the instruction of one defect (empty: none)."""
    code = request.form.get("defect_code", "")
    if code not in defects.DEFECTS:
        abort(404)
    try:
        repairs.link_repair_instruction(code, request.form.get("instruction_id", type=int),
                                        _user())
    except DomainError as exc:
        return _links_page(422, {code: str(exc.message)})
    flash(_("Saved."), "success")
    return redirect(url_for("returns.repair_instructions", _anchor=f"defect-{code}"))
