"""Facts about this installation that live in the database (for example: holds demo data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopfloor.database import UTCDateTime, utcnow
from shopfloor.extensions import db


class InstallationFact(db.Model):
    """A named fact about the installation, such as ``demo_data`` and when it was loaded."""

    __tablename__ = "installation_fact"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
