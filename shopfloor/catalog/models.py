"""Products (what is made, per line) and materials (what is consumed)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import one_of
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES
from shopfloor.partners.models import Partner
from shopfloor.units import UNIT_CODES


class Product(db.Model):
    """Something the cooperative makes or a service it performs, on one line."""

    __tablename__ = "product"
    __table_args__ = (
        one_of("line", LINE_CODES),
        one_of("unit", UNIT_CODES),
        CheckConstraint("standard_minutes >= 0", name="standard_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    line: Mapped[str] = mapped_column(String(20), index=True)
    unit: Mapped[str] = mapped_column(String(10))
    standard_minutes: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    partner: Mapped[Partner | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Material(db.Model):
    """A raw material, component or packaging item, tracked by lot."""

    __tablename__ = "material"
    __table_args__ = (one_of("unit", UNIT_CODES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(10))
    gtin: Mapped[str | None] = mapped_column(String(14))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
