"""What the cooperative's manager sees of a partner's webhooks (read-only, on the partner's
page), built through the partner's scope like the portal's own pages."""

from __future__ import annotations

from dataclasses import dataclass

from shopfloor.extensions import db
from shopfloor.portal.scope import PartnerScope
from shopfloor.webhooks.display import error_text
from shopfloor.webhooks.models import DeliveryStatus, WebhookDelivery

FAILED_SHOWN = 20


@dataclass(frozen=True)
class WebhookOverview:
    """A partner's endpoints and its most recent failed deliveries."""

    endpoints: list
    failed: list

    @staticmethod
    def error_text(message: str | None) -> str:
        """A delivery's error in the reader's language (see ``display.error_text``)."""
        return error_text(message)


def webhook_overview(partner_id: int) -> WebhookOverview:
    """The partner's endpoints and the last ``FAILED_SHOWN`` deliveries that failed."""
    scope = PartnerScope(partner_id)
    endpoints = list(db.session.scalars(scope.webhook_endpoints()))
    failed = []
    if endpoints:
        failed = list(db.session.scalars(
            scope.deliveries()
            .where(WebhookDelivery.status == DeliveryStatus.FAILED.value)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .limit(FAILED_SHOWN)))
    return WebhookOverview(endpoints, failed)
