"""Read-only questions about recipes and cosmetic ingredients."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from shopfloor.catalog.models import Material
from shopfloor.extensions import db
from shopfloor.production.models import Batch
from shopfloor.recipes.models import (
    CosmeticIngredient,
    Recipe,
    RecipeItem,
    RecipeVersion,
    VersionStatus,
)


def usable_versions(product_id: int | None) -> list[RecipeVersion]:
    """Versions a batch of this product may use: locked, with a safety report and a CPNP
    notification, of a recipe for this product (or for no product in particular)."""
    query = (select(RecipeVersion).join(Recipe)
             .where(RecipeVersion.status == VersionStatus.LOCKED.value,
                    RecipeVersion.safety_report_ref != "",
                    RecipeVersion.safety_report_date.is_not(None),
                    RecipeVersion.cpnp_number != "",
                    or_(Recipe.product_id == product_id, Recipe.product_id.is_(None)))
             .order_by(Recipe.code, RecipeVersion.number.desc()))
    return list(db.session.scalars(query))


def is_cosmetic_ingredient(material_id: int) -> bool:
    """Whether a material has cosmetic data (a soap ingredient, not packaging)."""
    return db.session.scalar(select(CosmeticIngredient.id).where(
        CosmeticIngredient.material_id == material_id)) is not None


def recipes_query(search: str = ""):
    """Recipes by code, optionally narrowed, with their versions."""
    query = select(Recipe).options(selectinload(Recipe.versions)).order_by(Recipe.code)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(Recipe.code.ilike(term) | Recipe.name.ilike(term))
    return query


def ingredients() -> list[CosmeticIngredient]:
    """Every cosmetic ingredient, by material code."""
    return list(db.session.scalars(select(CosmeticIngredient).join(Material)
                                   .order_by(Material.code)))


def materials_without_ingredient() -> list[Material]:
    """Active materials weighed in g or kg that have no cosmetic data yet."""
    taken = select(CosmeticIngredient.material_id)
    return list(db.session.scalars(select(Material).where(
        Material.active.is_(True), Material.unit.in_(("g", "kg")), Material.id.not_in(taken))
        .order_by(Material.code)))


def versions_using(ingredient_id: int) -> list[RecipeVersion]:
    """Recipe versions that contain an ingredient."""
    return list(db.session.scalars(select(RecipeVersion).join(RecipeItem)
                                   .where(RecipeItem.ingredient_id == ingredient_id)
                                   .order_by(RecipeVersion.id)))


def batches_of_version(version_id: int) -> list[Batch]:
    """Soap batches whose record names this version, newest first."""
    return list(db.session.scalars(
        select(Batch).where(Batch.line == "soap",
                            Batch.record["recipe_version_id"].as_string() == str(version_id))
        .order_by(Batch.id.desc())))
