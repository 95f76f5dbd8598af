"""Returned items in the office: an item's page with its defect photos, what is wrong, the
question to the partner ("repair or write off?") and the disposition."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.codes import format_code
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.production.models import Batch
from shopfloor.returns import defects, display, repairs, services
from shopfloor.returns.models import Disposition, ReturnedItem
from shopfloor.uploads import photo_path, send_upload

bp = Blueprint("returns", __name__, url_prefix="/returns")
# After a repair (and its re-inspection) or the partner's "write off", what comes next.
NEXT_DISPOSITIONS = {"repair": ("restock", "second_quality", "recycle", "donate"),
                     "write_off": ("recycle", "donate")}


def _user():
    return current_user._get_current_object()


def _item(item_id: int) -> ReturnedItem:
    return db.session.get(ReturnedItem, item_id) or abort(404)


def _page(item: ReturnedItem, status: int = 200, errors: dict | None = None,
          typed: dict | None = None):
    from shopfloor.partners.models import Partner

    return render_template(
        "returns/item.html", item=item, batch=db.session.get(Batch, item.batch_id),
        partner=db.session.get(Partner, item.partner_id) if item.partner_id else None,
        errors=errors or {}, typed=typed or {},
        dispositions=[d.value for d in Disposition
                      if d not in (Disposition.WRITE_OFF, Disposition.RETURN_TO_PARTNER)],
        next_dispositions=NEXT_DISPOSITIONS.get(item.disposition, ()),
        defect_catalogue=defects.DEFECTS, severity_names=display.SEVERITY_NAMES,
        status_names=display.STAFF_STATUS_NAMES, disposition_names=display.DISPOSITION_NAMES,
        reason_names=display.REASON_NAMES, max_photos=services.MAX_PHOTOS,
        stage_names=display.REPAIR_STAGE_NAMES, repair_version=repairs.repair_version(item),
        entries=history(item)), status


def _refused(item: ReturnedItem, exc: DomainError, typed: dict):
    code = exc.status_code if exc.status_code != 400 else 422
    return _page(item, code, {exc.field or "form": str(exc.message)}, typed)


@bp.get("/<int:item_id>")
@require_role(*STAFF)
def item(item_id: int):
    """One returned item: its facts, photos, the question to the partner, the disposition."""
    return _page(_item(item_id))


@bp.post("/<int:item_id>/photos")
@require_role(*STAFF)
def add_photo(item_id: int):
    """Add a photo of the defect (from the tablet camera or a file)."""
    item = _item(item_id)
    upload = request.files.get("photo")
    caption = request.form.get("caption", "")
    try:
        services.add_photo(item, upload.read() if upload and upload.filename else b"", _user(),
                           caption=caption)
    except DomainError as exc:
        return _refused(item, exc, {"caption": caption})
    flash(_("Photo added."), "success")
    return redirect(url_for("returns.item", item_id=item.id, _anchor="photos"))


@bp.post("/<int:item_id>/note")
@require_role(*STAFF)
def note(item_id: int):
    """Say what is wrong with the item."""
    item = _item(item_id)
    text = request.form.get("defect_note", "")
    try:
        services.set_defect_note(item, text, _user(),
                                 expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, {"defect_note": text})
    flash(_("Saved."), "success")
    return redirect(url_for("returns.item", item_id=item.id))


@bp.post("/<int:item_id>/defect")
@require_role(*STAFF)
def defect(item_id: int):
    """Record the defect from the catalogue and its zone."""
    item = _item(item_id)
    typed = {"defect_code": request.form.get("defect_code", ""),
             "defect_zone": request.form.get("defect_zone", "")}
    try:
        services.record_defect(item, typed["defect_code"], typed["defect_zone"], _user(),
                               expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, typed)
    flash(_("Saved."), "success")
    return redirect(url_for("returns.item", item_id=item.id))


@bp.post("/<int:item_id>/reinspection")
@require_role(*STAFF)
def reinspect(item_id: int):
    """Record the re-inspection of a repaired item."""
    item = _item(item_id)
    note = request.form.get("reinspection_note", "")
    try:
        services.reinspect(item, request.form.get("result") == "pass", _user(), note=note,
                           expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, {"reinspection_note": note})
    flash(_("Re-inspection passed: decide where it goes.") if item.reinspection_passed
          else _("Back to repair, with your note."), "success")
    return redirect(url_for("returns.item", item_id=item.id, _anchor="decision"))


@bp.post("/<int:item_id>/repaired")
@require_role(*STAFF)
def repaired(item_id: int):
    """Record a repair done without the tablet; the item waits for re-inspection."""
    item = _item(item_id)
    try:
        repairs.finish_repair(item, _user())
    except DomainError as exc:
        return _refused(item, exc, {})
    flash(_("Repaired: now re-inspect it."), "success")
    return redirect(url_for("returns.item", item_id=item.id, _anchor="decision"))


@bp.post("/<int:item_id>/authorise")
@require_role(*STAFF)
def authorise(item_id: int):
    """The partner authorised a parcel set aside: record its return number (RMA)."""
    from shopfloor.returns.intake import authorise_item

    item = _item(item_id)
    rma = request.form.get("rma", "")
    try:
        authorise_item(item, rma, _user(), expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, {"rma": rma})
    flash(_("RMA %(rma)s recorded: the item is received.", rma=item.rma), "success")
    return redirect(url_for("returns.item", item_id=item.id))


@bp.post("/<int:item_id>/ask")
@require_role(*STAFF)
def ask(item_id: int):
    """Ask the partner: repair or write off?"""
    item = _item(item_id)
    question = request.form.get("question", "")
    try:
        services.ask_partner(item, question, _user(),
                             expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, {"question": question})
    flash(_("The partner is asked about item %(code)s; its answer will show here.",
            code=format_code(item.item_code)), "success")
    return redirect(url_for("returns.item", item_id=item.id))


@bp.post("/<int:item_id>/disposition")
@require_role(*STAFF)
def disposition(item_id: int):
    """Decide what becomes of the item."""
    item = _item(item_id)
    try:
        services.set_disposition(item, request.form.get("disposition", ""), _user(),
                                 exemption=request.form.get("exemption", ""),
                                 expected_version=request.form.get("version"))
    except DomainError as exc:
        return _refused(item, exc, {"disposition": request.form.get("disposition", ""),
                                    "exemption": request.form.get("exemption", "")})
    flash(_("Item %(code)s: %(disposition)s.", code=format_code(item.item_code),
            disposition=display.DISPOSITION_NAMES[item.disposition]), "success")
    return redirect(url_for("returns.item", item_id=item.id))


@bp.get("/photos/<name>")
@require_role(*STAFF)
def photo(name: str):
    """A returned item's photo (stored outside static/, cached: it never changes)."""
    return send_upload(photo_path(services.PHOTO_AREA, name), "image/jpeg")


from shopfloor.returns import intake_views  # noqa: E402,F401 (routes of this blueprint)
