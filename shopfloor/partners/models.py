"""Partner firms: the companies the cooperative does paid work for, and their contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.lines import LINE_CODES


class Partner(db.Model):
    """A partner firm that orders work from the cooperative."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    nip: Mapped[str | None] = mapped_column(String(10), unique=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(12), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="PL")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The EU ban on destroying unsold apparel (ESPR, Reg. 2024/1781) applies to it (large
    # enterprises, from 19 July 2026); assumed unless the manager says otherwise.
    destruction_ban: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # The internal target for deciding a returned item, in working days from its receipt.
    turnaround_days: Mapped[int] = mapped_column(default=5, server_default="5")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    lines: Mapped[list[PartnerLine]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerLine.line"
    )
    contacts: Mapped[list[PartnerContact]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerContact.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def line_codes(self) -> list[str]:
        """Codes of the production lines this partner orders from."""
        return [pl.line for pl in self.lines]

    @property
    def delivery_address(self) -> str:
        """The delivery address on one line."""
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)

    def __repr__(self) -> str:
        return f"<Partner {self.name}>"


class PartnerLine(db.Model):
    """A production line a partner orders from."""

    __tablename__ = "partner_line"
    __table_args__ = (
        one_of("line", LINE_CODES),
    )

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[str] = mapped_column(String(20), primary_key=True)

    partner: Mapped[Partner] = relationship(back_populates="lines")


class PartnerContact(db.Model):
    """A person at a partner firm: who to call, and who hears about deliveries and recalls."""

    __tablename__ = "partner_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    function: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Receives the weekly e-mail with the status of the partner's open orders.
    status_digest: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    partner: Mapped[Partner] = relationship(back_populates="contacts")
