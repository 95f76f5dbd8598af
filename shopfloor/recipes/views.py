"""Soap recipes in the office: cosmetic ingredients, recipes, versions (draft, locked,
registered) with their INCI list and fragrance caps worked out."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shopfloor.audit.services import history
from shopfloor.auth.access import require_role
from shopfloor.core.roles import MANAGER, STAFF
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders.queries import page_of
from shopfloor.recipes import figures, queries, services
from shopfloor.recipes.forms import (
    FORM_NAMES,
    KIND_NAMES,
    DraftForm,
    IngredientForm,
    LockForm,
    NewRecipeForm,
    RegistrationForm,
)
from shopfloor.recipes.models import CosmeticIngredient, Recipe, RecipeVersion
from shopfloor.timeutil import local_today
from shopfloor.units import as_decimal

bp = Blueprint("recipes", __name__, url_prefix="/recipes")
EXTRA_ITEM_ROWS = 3


def _user():
    return current_user._get_current_object()


@bp.get("/")
@require_role(*STAFF)
def recipe_list():
    """Recipes and where each version stands."""
    search = request.args.get("q", "")
    rows, total = page_of(queries.recipes_query(search), request.args.get("page", 1, int))
    return render_template("recipes/list.html", recipes=rows, total=total, search=search,
                           form_names=FORM_NAMES)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def recipe_new():
    """Add a recipe; its first version starts as a draft."""
    form = NewRecipeForm()
    status = 200
    if form.validate_on_submit():
        first = services.VersionData(nominal_quantity=form.nominal_quantity.data,
                                     fill_mass_g=form.fill_mass_g.data,
                                     mould=form.mould.data or "",
                                     durability=form.durability.data or "")
        try:
            recipe = services.create_recipe(form.code.data, form.name.data, form.form.data,
                                            form.product_id.data, first, _user())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Recipe %(code)s added: now list its ingredients.", code=recipe.code),
                  "success")
            return redirect(url_for("recipes.version_detail", version_id=recipe.versions[0].id))
    return render_template("recipes/new.html", form=form), form_status(form, status)


def _version(version_id: int) -> RecipeVersion:
    return db.session.get(RecipeVersion, version_id) or abort(404)


def _item_rows(version: RecipeVersion, submitted: list[dict] | None) -> list[dict]:
    rows = submitted if submitted is not None else [
        {"ingredient_id": str(i.ingredient_id), "percent": f"{i.percent.normalize():f}"}
        for i in version.items]
    return rows + [{} for _ in range(EXTRA_ITEM_ROWS)]


def _submitted_items() -> list[dict]:
    rows, index = [], 0
    while f"item-{index}-ingredient" in request.form:
        rows.append({"ingredient_id": request.form.get(f"item-{index}-ingredient", ""),
                     "percent": request.form.get(f"item-{index}-percent", "").strip()})
        index += 1
    return rows


def _detail(version: RecipeVersion, *, draft_form=None, registration_form=None,
            lock_form=None, submitted_items=None, status: int = 200):
    draft_form = draft_form or DraftForm(obj=version, formdata=None)
    registration_form = registration_form or RegistrationForm(obj=version, formdata=None)
    return render_template(
        "recipes/version.html", version=version, recipe=version.recipe,
        draft_form=draft_form, registration_form=registration_form,
        lock_form=lock_form or LockForm(formdata=None),
        item_rows=_item_rows(version, submitted_items), ingredients=queries.ingredients(),
        kind_names=KIND_NAMES, inci=figures.version_inci(version),
        breaches=figures.version_breaches(version), total=figures.percent_total(version),
        caps={i.id: figures.lowest_cap(i.ingredient, version) for i in version.items},
        lock_problems=services.lock_problems(version) if not version.locked else [],
        batches=queries.batches_of_version(version.id), cap_names=figures.CAP_NAMES,
        entries=history(version)), status


@bp.get("/versions/<int:version_id>")
@require_role(*STAFF)
def version_detail(version_id: int):
    """One version: its formula, the INCI list it gives, its caps and registration."""
    return _detail(_version(version_id))


@bp.post("/versions/<int:version_id>/draft")
@require_role(*MANAGER)
def version_save(version_id: int):
    """Save a draft's facts and ingredients."""
    version = _version(version_id)
    form = DraftForm()
    submitted = _submitted_items()
    if form.validate_on_submit():
        rows = [services.ItemData(int(r["ingredient_id"]) if r["ingredient_id"].isdigit()
                                  else None, as_decimal(r["percent"])) for r in submitted]
        if any(r["percent"] and as_decimal(r["percent"]) is None for r in submitted):
            form.form_errors.append(_("Enter each share as a number, for example 2.5."))
            return _detail(version, draft_form=form, submitted_items=submitted, status=422)
        data = services.VersionData(
            nominal_quantity=form.nominal_quantity.data, fill_mass_g=form.fill_mass_g.data,
            mould=form.mould.data or "", durability=form.durability.data or "",
            fragrance_max_percent=form.fragrance_max_percent.data, notes=form.notes.data or "")
        try:
            services.save_draft(version, data, rows, _user(), expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
            return _detail(version, draft_form=form, submitted_items=submitted, status=status)
        flash(_("Draft %(label)s saved.", label=version.label), "success")
        return redirect(url_for("recipes.version_detail", version_id=version.id))
    return _detail(version, draft_form=form, submitted_items=submitted,
                   status=form_status(form))


@bp.post("/versions/<int:version_id>/lock")
@require_role(*MANAGER)
def version_lock(version_id: int):
    """Lock a draft's formula."""
    version = _version(version_id)
    form = LockForm()
    if form.validate_on_submit():
        try:
            services.lock_version(version, _user(), expected_version=form.version.data)
        except DomainError as exc:
            return _detail(version, lock_form=form, status=attach_error(form, exc))
        flash(_("Version %(label)s is locked: add its safety report and CPNP notification.",
                label=version.label), "success")
        return redirect(url_for("recipes.version_detail", version_id=version.id))
    return _detail(version, lock_form=form, status=form_status(form))


@bp.post("/versions/<int:version_id>/registration")
@require_role(*MANAGER)
def version_register(version_id: int):
    """Record the safety report, the CPNP notification and the responsible person."""
    version = _version(version_id)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            services.register_version(
                version, form.safety_report_ref.data or "", form.safety_report_date.data,
                form.cpnp_number.data or "", form.responsible_person.data or "", _user(),
                local_today(), expected_version=form.version.data)
        except DomainError as exc:
            return _detail(version, registration_form=form, status=attach_error(form, exc))
        flash(_("Registration of %(label)s saved.", label=version.label), "success")
        return redirect(url_for("recipes.version_detail", version_id=version.id))
    return _detail(version, registration_form=form, status=form_status(form))


@bp.post("/<int:recipe_id>/versions")
@require_role(*MANAGER)
def version_new(recipe_id: int):
    """Start a new draft from the newest version."""
    recipe = db.session.get(Recipe, recipe_id) or abort(404)
    form = LockForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        draft = services.new_version(recipe, _user())
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("recipes.version_detail", version_id=recipe.versions[-1].id))
    flash(_("Draft %(label)s started from the newest version.", label=draft.label), "success")
    return redirect(url_for("recipes.version_detail", version_id=draft.id))


@bp.get("/ingredients/")
@require_role(*STAFF)
def ingredient_list():
    """Cosmetic ingredients: composition, IFRA limit, allergens."""
    return render_template("recipes/ingredients.html", ingredients=queries.ingredients(),
                           kind_names=KIND_NAMES)


def _ingredient_form(ingredient: CosmeticIngredient | None):
    materials = queries.materials_without_ingredient()
    if ingredient is not None:
        materials = [ingredient.material, *materials]
    form = IngredientForm(obj=ingredient, materials=materials)
    if request.method == "GET" and ingredient is not None:
        form.composition.data = services.parts_text(ingredient.composition)
        form.allergens.data = services.parts_text(ingredient.allergens)
    status = 200
    if form.validate_on_submit():
        data = services.IngredientData(
            material_id=form.material_id.data, kind=form.kind.data,
            composition=form.composition.data or "", allergens=form.allergens.data or "",
            ifra_cat9_max_percent=form.ifra_cat9_max_percent.data,
            ifra_certificate=form.ifra_certificate.data or "",
            supplier_max_percent=form.supplier_max_percent.data)
        try:
            saved = services.save_ingredient(data, _user(), ingredient,
                                             expected_version=form.version.data)
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            flash(_("Ingredient %(name)s saved.", name=saved.material.name), "success")
            return redirect(url_for("recipes.ingredient_list"))
    return (render_template("recipes/ingredient_form.html", form=form, ingredient=ingredient,
                            used_in=queries.versions_using(ingredient.id) if ingredient else []),
            form_status(form, status))


@bp.route("/ingredients/new", methods=["GET", "POST"])
@require_role(*MANAGER)
def ingredient_new():
    """Give a material its cosmetic data."""
    return _ingredient_form(None)


@bp.route("/ingredients/<int:ingredient_id>", methods=["GET", "POST"])
@require_role(*MANAGER)
def ingredient_edit(ingredient_id: int):
    """Change an ingredient's cosmetic data."""
    return _ingredient_form(db.session.get(CosmeticIngredient, ingredient_id) or abort(404))
