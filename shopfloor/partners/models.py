"""Partner firms: the companies the cooperative does paid work for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES


class Partner(db.Model):
    """A partner firm that orders work from the cooperative."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    lines: Mapped[list[PartnerLine]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerLine.line"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def line_codes(self) -> list[str]:
        """Codes of the production lines this partner orders from."""
        return [pl.line for pl in self.lines]

    def __repr__(self) -> str:
        return f"<Partner {self.name}>"


class PartnerLine(db.Model):
    """A production line a partner orders from."""

    __tablename__ = "partner_line"
    __table_args__ = (
        CheckConstraint(
            "line IN ({})".format(", ".join(f"'{c}'" for c in LINE_CODES)), name="line"
        ),
    )

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[str] = mapped_column(String(20), primary_key=True)

    partner: Mapped[Partner] = relationship(back_populates="lines")
