"""Co-packing in the office: kits and their bill-of-materials versions, and per order the
partner's material (goods-in, scrap and returns, the count and the reconciliation, the
statement PDF)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.catalog.models import Product
from shopfloor.copack import boms, reconcile, statement, stock
from shopfloor.copack.models import KitBom, MoveKind
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.orders.models import Order
from shopfloor.timeutil import local_today
from shopfloor.uploads import photo_path, send_upload

bp = Blueprint("copack", __name__, url_prefix="/copack")
BLANK_ROWS = 3


def _user():
    return current_user._get_current_object()


def _status(exc: DomainError) -> int:
    return exc.status_code if exc.status_code != 400 else 422


# ------------------------------------------------------------------ kits and their BOMs


@bp.get("/kits")
@require_role(*STAFF)
def kit_list():
    """Co-packing products with their bill-of-materials versions."""
    products = boms.kit_products()
    return render_template("copack/kits.html", products=products,
                           versions={p.id: boms.boms_of(p.id) for p in products})


@bp.post("/kits/<int:product_id>/versions")
@require_role(*MANAGER)
def version_new(product_id: int):
    """Start a new version (a copy of the newest)."""
    product = db.session.get(Product, product_id) or abort(404)
    try:
        bom = boms.new_draft(product, _user())
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("copack.kit_list"))
    return redirect(url_for("copack.bom_detail", bom_id=bom.id))


def _bom(bom_id: int) -> KitBom:
    return db.session.get(KitBom, bom_id) or abort(404)


def _rows_typed() -> list[boms.BomRow]:
    rows, index = [], 0
    while f"item-{index}-component" in request.form:
        rows.append(boms.BomRow(
            component=request.form.get(f"item-{index}-component", ""),
            gtin=request.form.get(f"item-{index}-gtin", ""),
            quantity_per_kit=request.form.get(f"item-{index}-quantity", ""),
            partner_supplied=request.form.get(f"item-{index}-partner") == "1",
            countable=request.form.get(f"item-{index}-countable") == "1"))
        index += 1
    return rows


def _bom_page(bom: KitBom, status: int = 200, error: DomainError | None = None,
              rows: list[boms.BomRow] | None = None, typed: dict | None = None):
    if rows is None:
        rows = [boms.BomRow(i.component, i.gtin, f"{i.quantity_per_kit.normalize():f}",
                            i.partner_supplied, i.countable) for i in bom.items]
    rows = rows + [boms.BomRow() for _ in range(BLANK_ROWS)]
    return render_template(
        "copack/bom.html", bom=bom, rows=rows, error=error,
        row_problems=getattr(error, "problems", {}),
        typed=typed or {"kit_gtin": bom.kit_gtin, "note": bom.note},
        versions=boms.boms_of(bom.product_id), entries=history(bom)), status


@bp.get("/boms/<int:bom_id>")
@require_role(*STAFF)
def bom_detail(bom_id: int):
    """One version: its components; a draft is edited here."""
    return _bom_page(_bom(bom_id))


@bp.post("/boms/<int:bom_id>")
@require_role(*MANAGER)
def bom_save(bom_id: int):
    bom = _bom(bom_id)
    rows = _rows_typed()
    typed = {"kit_gtin": request.form.get("kit_gtin", ""), "note": request.form.get("note", "")}
    try:
        boms.save_draft(bom, rows, typed["kit_gtin"], typed["note"], _user(),
                        expected_version=request.form.get("version"))
    except DomainError as exc:
        db.session.rollback()
        return _bom_page(bom, _status(exc), exc, rows, typed)
    flash(_("Saved."), "success")
    return redirect(url_for("copack.bom_detail", bom_id=bom.id))


@bp.post("/boms/<int:bom_id>/activate")
@require_role(*MANAGER)
def bom_activate(bom_id: int):
    bom = _bom(bom_id)
    try:
        boms.activate(bom, _user(), expected_version=request.form.get("version"))
    except DomainError as exc:
        db.session.rollback()
        return _bom_page(bom, _status(exc), exc)
    flash(_("Version %(label)s is active: new batches are built to it.", label=bom.label),
          "success")
    return redirect(url_for("copack.bom_detail", bom_id=bom.id))


# ------------------------------------------------------------------ the partner's material


def _order(order_id: int) -> Order:
    return db.session.get(Order, order_id) or abort(404)


def _receipt_rows() -> list[stock.ReceiptRow]:
    rows, index = [], 0
    while f"line-{index}-component" in request.form:
        rows.append(stock.ReceiptRow(**{name: request.form.get(f"line-{index}-{name}", "")
                                        for name in ("component", "lot", "declared", "counted",
                                                     "damaged", "damage_note")}))
        index += 1
    return rows


def _material_page(order: Order, status: int = 200, error: DomainError | None = None,
                   form: str = "", typed: dict | None = None,
                   receipt_rows: list[stock.ReceiptRow] | None = None):
    components = [item for bom in stock.copack_boms_of_order(order)
                  for item in boms.partner_components(bom)]
    unique = list({item.key: item for item in components}.values())
    receipt_rows = (receipt_rows or []) + [stock.ReceiptRow()
                                           for _ in range(max(BLANK_ROWS, len(unique)))]
    return render_template(
        "copack/material.html", order=order, components=unique,
        receipts=stock.receipts_of_order(order.id), moves=stock.moves_of_order(order.id),
        reconciliation=reconcile.order_reconciliation(order), error=error, form=form,
        row_problems=getattr(error, "problems", {}), typed=typed or {},
        receipt_rows=receipt_rows, today=local_today(),
        move_kinds=(MoveKind.SCRAPPED.value, MoveKind.RETURNED.value),
        max_photos=stock.MAX_PHOTOS), status


@bp.get("/orders/<int:order_id>")
@require_role(*STAFF)
def material(order_id: int):
    """The partner's material of an order: what came in, what went where, what is left."""
    return _material_page(_order(order_id))


@bp.post("/orders/<int:order_id>/receipts")
@require_role(*STAFF)
def receipt_new(order_id: int):
    order = _order(order_id)
    typed = {k: request.form.get(k, "") for k in ("delivery_note", "received_on", "note")}
    rows = _receipt_rows()
    try:
        received_on = date.fromisoformat(typed["received_on"]) if typed["received_on"] else None
    except ValueError:
        received_on = None
    photos = [f.read() for f in request.files.getlist("photos") if f and f.filename]
    try:
        receipt = stock.record_receipt(order, stock.ReceiptData(
            delivery_note=typed["delivery_note"], received_on=received_on, rows=rows,
            note=typed["note"], photos=photos), _user())
    except DomainError as exc:
        db.session.rollback()
        return _material_page(order, _status(exc), exc, "receipt", typed,
                              [r for r in rows if not r.blank])
    flash(_("Delivery note %(no)s is received into the partner's stock.",
            no=receipt.delivery_note), "success")
    return redirect(url_for("copack.material", order_id=order.id, _anchor="stock"))


@bp.post("/orders/<int:order_id>/moves")
@require_role(*STAFF)
def move_new(order_id: int):
    order = _order(order_id)
    typed = {k: request.form.get(k, "") for k in ("component", "kind", "quantity", "note")}
    try:
        stock.record_move(order, typed["component"], typed["kind"], typed["quantity"],
                          typed["note"], _user())
    except DomainError as exc:
        db.session.rollback()
        return _material_page(order, _status(exc), exc, "move", typed)
    flash(_("Saved."), "success")
    return redirect(url_for("copack.material", order_id=order.id, _anchor="stock"))


@bp.post("/orders/<int:order_id>/counts")
@require_role(*STAFF)
def count_new(order_id: int):
    order = _order(order_id)
    typed = {k: request.form.get(k, "") for k in ("key", "counted", "explanation")}
    try:
        reconcile.record_count(order, typed["key"], typed["counted"], typed["explanation"],
                               _user(), expected_version=request.form.get("version") or None)
    except DomainError as exc:
        db.session.rollback()
        return _material_page(order, _status(exc), exc, "count:" + typed["key"], typed)
    flash(_("Count saved."), "success")
    return redirect(url_for("copack.material", order_id=order.id, _anchor="reconciliation"))


@bp.get("/orders/<int:order_id>/statement.pdf")
@require_role(*STAFF)
def statement_pdf(order_id: int):
    """The reconciliation statement of the partner's material (A4 PDF)."""
    order = _order(order_id)
    if reconcile.order_reconciliation(order) is None:
        abort(404)
    return statement.pdf_response(order)


@bp.get("/photos/<name>")
@require_role(*STAFF)
def photo(name: str):
    """A damage photo taken at goods-in."""
    return send_upload(photo_path(stock.PHOTO_AREA, name), "image/jpeg")
