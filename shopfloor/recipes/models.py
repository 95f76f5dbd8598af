"""Cosmetic ingredients and soap recipes in locked versions (shared/domain.md section 1)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.catalog.models import Material, Product
from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db


class IngredientKind(enum.StrEnum):
    """What an ingredient is in a melt-and-pour recipe."""

    BASE = "base"
    FRAGRANCE = "fragrance"
    ESSENTIAL_OIL = "essential_oil"
    COLOURANT = "colourant"
    ADDITIVE = "additive"


INGREDIENT_KINDS = tuple(k.value for k in IngredientKind)
FRAGRANCE_KINDS = frozenset({IngredientKind.FRAGRANCE.value, IngredientKind.ESSENTIAL_OIL.value})


class RecipeForm(enum.StrEnum):
    """Solid bars (nominal mass in g) or liquid soap (nominal volume in ml)."""

    SOLID = "solid"
    LIQUID = "liquid"


RECIPE_FORMS = tuple(f.value for f in RecipeForm)


class VersionStatus(enum.StrEnum):
    """A draft may change; a locked version never does (a new version is made instead)."""

    DRAFT = "draft"
    LOCKED = "locked"


VERSION_STATUSES = tuple(s.value for s in VersionStatus)


class CosmeticIngredient(db.Model):
    """What the cosmetics rules need to know of a material used in soap.

    ``composition`` lists the INCI substances the material is made of, each with its share
    (a base: glycerin, aqua, sodium stearate...; a fragrance oil: parfum 100 %);
    ``allergens`` the Annex III allergens a fragrance contains, each with its share of the
    fragrance, from the supplier's allergen declaration. Caps are % of the finished product.
    """

    __tablename__ = "cosmetic_ingredient"
    __table_args__ = (one_of("kind", INGREDIENT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    composition: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allergens: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ifra_cat9_max_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    ifra_certificate: Mapped[str] = mapped_column(String(120), default="")
    supplier_max_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    version: Mapped[int] = mapped_column(default=1)

    material: Mapped[Material] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_fragrance(self) -> bool:
        """A fragrance or essential oil: its load is capped and its allergens counted."""
        return self.kind in FRAGRANCE_KINDS


class Recipe(db.Model):
    """A soap recipe; what it contains lives in its versions."""

    __tablename__ = "recipe"
    __table_args__ = (one_of("form", RECIPE_FORMS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(10), default=RecipeForm.SOLID.value)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product | None] = relationship()
    versions: Mapped[list[RecipeVersion]] = relationship(
        back_populates="recipe", order_by="RecipeVersion.number")

    __mapper_args__ = {"version_id_col": version}


class RecipeVersion(db.Model):
    """One version of a recipe. Locking freezes the formula and what the label says of
    it; the safety report (CPSR), the CPNP notification and the responsible person are
    added to the locked version, as they follow from the frozen formula."""

    __tablename__ = "recipe_version"
    __table_args__ = (
        UniqueConstraint("recipe_id", "number"),
        one_of("status", VERSION_STATUSES),
        CheckConstraint("nominal_quantity > 0", name="nominal_quantity"),
        CheckConstraint("fill_mass_g > 0", name="fill_mass_g"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipe.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=VersionStatus.DRAFT.value)
    nominal_quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    fill_mass_g: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    mould: Mapped[str] = mapped_column(String(80), default="")
    durability: Mapped[str] = mapped_column(String(40), default="")
    fragrance_max_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    safety_report_ref: Mapped[str] = mapped_column(String(120), default="")
    safety_report_date: Mapped[date | None]
    cpnp_number: Mapped[str] = mapped_column(String(40), default="")
    responsible_person: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    recipe: Mapped[Recipe] = relationship(back_populates="versions")
    items: Mapped[list[RecipeItem]] = relationship(
        back_populates="recipe_version", cascade="all, delete-orphan",
        order_by="RecipeItem.position")

    __mapper_args__ = {"version_id_col": version}

    @property
    def locked(self) -> bool:
        """The formula is frozen."""
        return self.status == VersionStatus.LOCKED

    @property
    def registered(self) -> bool:
        """Locked with a safety report and a CPNP notification: batches may use it."""
        return bool(self.locked and self.safety_report_ref and self.safety_report_date
                    and self.cpnp_number)

    @property
    def label(self) -> str:
        """How people name it: ``LAW-100 v2``."""
        return f"{self.recipe.code} v{self.number}"

    @property
    def content_unit(self) -> str:
        """g for bars, ml for liquid soap."""
        return "ml" if self.recipe.form == RecipeForm.LIQUID else "g"


class RecipeItem(db.Model):
    """One ingredient of a recipe version and its share of the product's mass (%)."""

    __tablename__ = "recipe_item"
    __table_args__ = (
        UniqueConstraint("recipe_version_id", "ingredient_id"),
        CheckConstraint("percent > 0 AND percent <= 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_version_id: Mapped[int] = mapped_column(
        ForeignKey("recipe_version.id", ondelete="CASCADE"), index=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("cosmetic_ingredient.id"))
    percent: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    position: Mapped[int] = mapped_column(default=0)

    recipe_version: Mapped[RecipeVersion] = relationship(back_populates="items")
    ingredient: Mapped[CosmeticIngredient] = relationship()
