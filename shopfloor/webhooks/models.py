"""A partner's webhook endpoints and the deliveries waiting for them or made to them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopfloor.database import UTCDateTime, one_of, utcnow
from shopfloor.extensions import db
from shopfloor.partners.models import Partner


class WebhookEvent(enum.StrEnum):
    """What a partner's system can be told about."""

    ORDER_STATUS_CHANGED = "order.status_changed"
    ORDER_AT_RISK = "order.at_risk"
    SHIPMENT_CREATED = "shipment.created"
    RETURN_ITEM_NEEDS_DECISION = "return_item.needs_decision"
    RECALL_ISSUED = "recall.issued"


class WebhookEndpoint(db.Model):
    """An HTTPS address of a partner's system and the events it wants. The signing secret is
    not stored: it is derived from the application's secret key and ``secret_salt``, shown
    once when made, and made anew by rotating the salt."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"),
                                            index=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(120), default="")
    # The subscribed events, space-separated (values of WebhookEvent).
    events: Mapped[str] = mapped_column(String(200))
    secret_salt: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    partner: Mapped[Partner] = relationship()

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry; the partner can send it again


class WebhookDelivery(db.Model):
    """One event for one endpoint: written in the same transaction as the change it reports,
    posted later by the delivery job with growing waits between attempts. Sending again makes
    a new delivery of the same event (same ``event_id``, so a receiver can drop duplicates)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        one_of("status", DeliveryStatus),
        Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, exactly as signed and sent
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resend_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="SET NULL"))

    endpoint: Mapped[WebhookEndpoint] = relationship()
