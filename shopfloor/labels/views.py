"""Label downloads (PDF sheets, ZPL, PNG, SVG), the print preview page, and the batch
page's pallets: build one (a new SSCC), void one, reprint its label (the same SSCC)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.labels import output
from shopfloor.labels.forms import PalletForm, VoidPalletForm
from shopfloor.labels.models import Pallet
from shopfloor.labels.pallets import build_pallet, pallet_label, void_pallet
from shopfloor.labels.services import labels_for

bp = Blueprint("labels", __name__, url_prefix="/labels")

KIND_NAMES = ("batch", "unit", "garment", "pallet", "badge")


def _codes() -> list[str]:
    raw = request.values.get("codes", "")
    return [part for part in raw.replace(",", " ").split() if part]


def _labels(kind: str) -> list:
    if kind not in KIND_NAMES:
        abort(404)
    return labels_for(kind, _codes(), current_user._get_current_object())


def _download(kind: str, fmt: str, labels=None, filename: str = ""):
    try:
        labels = labels if labels is not None else _labels(kind)
        body, mimetype = output.render(labels, fmt, grid=request.values.get("grid", ""),
                                       dpi=request.values.get("dpi", type=int))
    except DomainError as exc:
        return render_template("labels/preview.html", kind=kind, codes=_codes(),
                               previews=[], error=str(exc.message), grids=output.grid_names(),
                               grid=request.values.get("grid", "")), 422
    filename = f"{filename or kind + '-labels'}.{fmt}"
    disposition = "inline" if fmt in ("pdf", "svg", "png") else "attachment"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@bp.get("/<kind>.<any(pdf, zpl, png, svg):fmt>")
@require_role(*STAFF)
def download(kind: str, fmt: str):
    """Labels of one kind for the given batch codes: a PDF sheet, ZPL, or one PNG/SVG
    (pallet labels: those of the pallets already built, with their own SSCCs)."""
    return _download(kind, fmt)


@bp.post("/pallet.<any(pdf, zpl):fmt>")
@require_role(*STAFF)
def pallet(fmt: str):
    """Pallet labels of the given batches, as the GET (kept for old bookmarks and forms)."""
    return _download("pallet", fmt)


def pallet_panel(batch, pallet_form=None, void_form=None, void_pallet_id=None) -> dict | None:
    """What the batch page's pallet panel shows: the batch's pallets (SSCC, quantity, the
    WZ each left on) and the forms to build and void them; None while the batch has no
    pallets and none can be built."""
    from flask import current_app

    from shopfloor.labels.pallets import pallet_room, pallets_of_batch
    from shopfloor.production.status import BatchStatus
    from shopfloor.shipping.services import PALLET_ONLY_LINES

    pallets = pallets_of_batch(batch.id)
    done = batch.status == BatchStatus.DONE
    configured = bool(current_app.config["SHOPFLOOR"]["gs1.company_prefix"])
    # Without a company prefix only the lines that must ship on pallets say how to get one.
    if not pallets and not (done and (configured or batch.line in PALLET_ONLY_LINES)):
        return None
    return {"pallets": pallets, "room": pallet_room(batch) if done else 0,
            "can_build": done and configured,
            "form": pallet_form or PalletForm(), "void_form": void_form or VoidPalletForm(),
            "void_pallet_id": void_pallet_id}


def _batch_page(batch, **forms):
    from shopfloor.production.views import batch_page

    status = forms.pop("status")
    return batch_page(batch, panel_forms=forms, status=status)


@bp.post("/batches/<int:batch_id>/pallets")
@require_role(*STAFF)
def pallet_build(batch_id: int):
    """Build a pallet of a finished batch: its quantity under a new SSCC."""
    from shopfloor.production.models import Batch

    batch = db.session.get(Batch, batch_id) or abort(404)
    form = PalletForm()
    if form.validate_on_submit():
        try:
            pallet_row = build_pallet(batch, form.quantity.data,
                                      current_user._get_current_object())
        except DomainError as exc:
            return _batch_page(batch, pallet_form=form, status=attach_error(form, exc))
        flash(_("Pallet %(sscc)s built: print its label (two, on adjacent sides).",
                sscc=pallet_row.sscc), "success")
        return redirect(url_for("production.batch_detail", batch_id=batch.id,
                                _anchor="pallets"))
    return _batch_page(batch, pallet_form=form, status=form_status(form))


@bp.post("/pallets/<int:pallet_id>/void")
@require_role(*STAFF)
def pallet_void(pallet_id: int):
    """Unpack a pallet that has not shipped; its SSCC is never issued again."""
    pallet_row = db.session.get(Pallet, pallet_id) or abort(404)
    form = VoidPalletForm()
    if form.validate_on_submit():
        try:
            void_pallet(pallet_row, current_user._get_current_object(), form.reason.data or "")
        except DomainError as exc:
            return _batch_page(pallet_row.batch, void_form=form, void_pallet_id=pallet_row.id,
                               status=attach_error(form, exc))
        flash(_("Pallet %(sscc)s voided; its SSCC will not be used again.",
                sscc=pallet_row.sscc), "success")
        return redirect(url_for("production.batch_detail", batch_id=pallet_row.batch_id,
                                _anchor="pallets"))
    return _batch_page(pallet_row.batch, void_form=form, void_pallet_id=pallet_row.id,
                       status=form_status(form))


@bp.get("/pallets/<int:pallet_id>.<any(pdf, zpl, png, svg):fmt>")
@require_role(*STAFF)
def pallet_reprint(pallet_id: int, fmt: str):
    """A pallet's label again, with its own SSCC (a reprint never takes a new one)."""
    pallet_row = db.session.get(Pallet, pallet_id) or abort(404)
    if pallet_row.voided_at is not None:
        abort(404)  # a voided pallet's label must not go on goods again
    return _download("pallet", fmt, labels=[pallet_label(pallet_row)],
                     filename=f"pallet-{pallet_row.sscc}")


@bp.get("/preview")
@require_role(*STAFF)
def preview():
    """What will print, before printing: each label drawn, and links for each printer."""
    kind = request.args.get("kind", "batch")
    if kind not in KIND_NAMES:
        abort(404)
    previews, error = [], None
    if _codes():
        try:
            previews = [output.svg(label) for label in _labels(kind)]
        except DomainError as exc:
            error = str(exc.message)
    return render_template("labels/preview.html", kind=kind, codes=_codes(), previews=previews,
                           error=error, grids=output.grid_names(),
                           grid=request.args.get("grid", output.default_grid(kind))), (
        422 if error else 200)
