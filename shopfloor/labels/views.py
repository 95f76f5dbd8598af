"""Label downloads (PDF sheets, ZPL, PNG, SVG) and the print preview page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.labels import output
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


def _download(kind: str, fmt: str):
    try:
        labels = _labels(kind)
        body, mimetype = output.render(labels, fmt, grid=request.values.get("grid", ""),
                                       dpi=request.values.get("dpi", type=int))
    except DomainError as exc:
        return render_template("labels/preview.html", kind=kind, codes=_codes(),
                               previews=[], error=str(exc.message), grids=output.grid_names(),
                               grid=request.values.get("grid", "")), 422
    filename = f"{kind}-labels.{fmt}"
    disposition = "inline" if fmt in ("pdf", "svg", "png") else "attachment"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@bp.get("/<kind>.<any(pdf, zpl, png, svg):fmt>")
@require_role(*STAFF)
def download(kind: str, fmt: str):
    """Labels of one kind for the given batch codes: a PDF sheet, ZPL, or one PNG/SVG."""
    if kind == "pallet":
        abort(405)  # pallet labels take new SSCCs: only by POST
    return _download(kind, fmt)


@bp.post("/pallet.<any(pdf, zpl):fmt>")
@require_role(*STAFF)
def pallet(fmt: str):
    """Pallet labels: each takes a new SSCC, so they are made by POST (never by a reload)."""
    return _download("pallet", fmt)


@bp.get("/preview")
@require_role(*STAFF)
def preview():
    """What will print, before printing: each label drawn, and links for each printer."""
    kind = request.args.get("kind", "batch")
    if kind not in KIND_NAMES:
        abort(404)
    previews, error = [], None
    if kind != "pallet" and _codes():
        try:
            previews = [output.svg(label) for label in _labels(kind)]
        except DomainError as exc:
            error = str(exc.message)
    return render_template("labels/preview.html", kind=kind, codes=_codes(), previews=previews,
                           error=error, grids=output.grid_names(),
                           grid=request.args.get("grid", output.default_grid(kind))), (
        422 if error else 200)
