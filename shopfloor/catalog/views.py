"""Products and materials: lists and forms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.catalog import queries
from shopfloor.catalog.forms import MaterialForm, ProductForm
from shopfloor.catalog.models import Material, Product
from shopfloor.catalog.services import ProductData, save_material, save_product
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.lines import all_lines
from shopfloor.orders.queries import page_of

bp = Blueprint("catalog", __name__)


@bp.get("/products/")
@require_role(*STAFF)
def product_list():
    """Products, by line."""
    search, line = request.args.get("q", ""), request.args.get("line", "")
    rows, total = page_of(queries.products_query(search, line), request.args.get("page", 1, int))
    return render_template("catalog/products.html", products=rows, total=total, search=search,
                           line=line, lines=all_lines())


def _product_form(product: Product | None):
    form = ProductForm(obj=product)
    if request.method == "GET" and product is not None:
        form.partner_id.data = product.partner_id
    status = 200
    if form.validate_on_submit():
        data = ProductData(code=form.code.data, name=form.name.data, line=form.line.data,
                           unit=form.unit.data, standard_minutes=form.standard_minutes.data,
                           partner_id=form.partner_id.data, description=form.description.data
                           or "", active=bool(form.active.data))
        try:
            saved = save_product(data, current_user._get_current_object(), product,
                                 expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Product %(code)s saved.", code=saved.code), "success")
            return redirect(url_for("catalog.product_list"))
    return (render_template("catalog/product_form.html", form=form, product=product),
            form_status(form, status))


@bp.route("/products/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def product_new():
    """Add a product."""
    return _product_form(None)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@require_role(*MANAGER)
def product_edit(product_id: int):
    """Change a product."""
    return _product_form(db.session.get(Product, product_id) or abort(404))


@bp.get("/materials/")
@require_role(*STAFF)
def material_list():
    """Materials."""
    search = request.args.get("q", "")
    rows, total = page_of(queries.materials_query(search), request.args.get("page", 1, int))
    return render_template("catalog/materials.html", materials=rows, total=total, search=search)


def _material_form(material: Material | None):
    form = MaterialForm(obj=material)
    status = 200
    if form.validate_on_submit():
        try:
            saved = save_material(form.code.data, form.name.data, form.unit.data,
                                  current_user._get_current_object(), gtin=form.gtin.data or "",
                                  active=bool(form.active.data), material=material,
                                  expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Material %(code)s saved.", code=saved.code), "success")
            return redirect(url_for("catalog.material_list"))
    return (render_template("catalog/material_form.html", form=form, material=material),
            form_status(form, status))


@bp.route("/materials/new", methods=["GET", "POST"])
@require_role(*STAFF)
def material_new():
    """Add a material."""
    return _material_form(None)


@bp.route("/materials/<int:material_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def material_edit(material_id: int):
    """Change a material."""
    return _material_form(db.session.get(Material, material_id) or abort(404))
