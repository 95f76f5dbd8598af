"""The partner's webhooks pages: endpoints, their signing secret (shown once), the delivery
log and "send again".

Anyone of the partner's people may look; only those who may order (partner_orderer) add,
disable, enable, rotate or send again. Every read goes through ``PartnerScope``, so another
firm's endpoint or delivery answers 404.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField, widgets

from shopfloor.auth.access import require_role
from shopfloor.auth.models import Role
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.forms_support import attach_error, form_status
from shopfloor.orders.queries import page_of
from shopfloor.partners.models import Partner
from shopfloor.portal.scope import PartnerScope
from shopfloor.webhooks import display, services
from shopfloor.webhooks.models import WebhookEvent

bp = Blueprint("webhooks", __name__, url_prefix="/portal/webhooks")

PARTNER = (Role.PARTNER_VIEWER, Role.PARTNER_ORDERER)
ORDERER = (Role.PARTNER_ORDERER,)
PER_PAGE = 25
# The session remembers which endpoint's secret to show on the next page view, and only
# that once; the secret itself never goes into the cookie.
SHOW_SECRET = "webhook_show_secret"  # noqa: S105 - a session key, not a secret


class EndpointForm(FlaskForm):
    """A new endpoint: its address, a description and the events it wants."""

    url = StringField(_l("Address (URL)"), render_kw={"autocomplete": "off",
                                                      "placeholder": "https://"})
    description = StringField(_l("Description"))
    events = SelectMultipleField(_l("Events to send"), option_widget=widgets.CheckboxInput(),
                                 widget=widgets.ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = [SelectChoice(e.value, f"{display.EVENT_NAMES[e.value]} ({e})")
                               for e in WebhookEvent]


def _scope() -> PartnerScope:
    return PartnerScope.of(current_user)


def _user():
    return current_user._get_current_object()


def _may_change() -> bool:
    return current_user.role == Role.PARTNER_ORDERER.value


def _endpoint(endpoint_id: int):
    return _scope().webhook_endpoint(endpoint_id) or abort(404)


@bp.get("/")
@require_role(*PARTNER)
def endpoint_list():
    """The partner's webhook endpoints with the state of each one's last delivery."""
    scope = _scope()
    endpoints = list(db.session.scalars(scope.webhook_endpoints()))
    return render_template(
        "webhooks/list.html", endpoints=endpoints, last=scope.last_deliveries(endpoints),
        may_change=_may_change(), event_names=display.EVENT_NAMES,
        status_names=display.DELIVERY_STATUS_NAMES, status_classes=display.DELIVERY_STATUS_CLASSES,
        limit=services.ENDPOINTS_PER_PARTNER)


@bp.route("/new", methods=["GET", "POST"])
@require_role(*ORDERER)
def endpoint_new():
    """Add an endpoint; its signing secret is shown once on the endpoint's page."""
    form = EndpointForm()
    status = 200
    if form.validate_on_submit():
        partner = db.session.get(Partner, current_user.partner_id)
        try:
            created = services.create_endpoint(partner, form.url.data, form.description.data,
                                               form.events.data, _user())
        except DomainError as exc:
            status = attach_error(form, exc)
        else:
            session[SHOW_SECRET] = created.endpoint.id
            flash(_("The endpoint is added. Copy its signing secret now."), "success")
            return redirect(url_for("webhooks.endpoint_detail",
                                    endpoint_id=created.endpoint.id))
    return render_template("webhooks/form.html", form=form), form_status(form, status)


@bp.get("/<int:endpoint_id>")
@require_role(*PARTNER)
def endpoint_detail(endpoint_id: int):
    """One endpoint: its settings, the secret once after it is made, and its delivery log."""
    scope = _scope()
    endpoint = _endpoint(endpoint_id)
    secret = None
    if session.get(SHOW_SECRET) == endpoint.id:
        session.pop(SHOW_SECRET)
        if _may_change():
            secret = services.signing_secret(endpoint)
    deliveries, total = page_of(scope.deliveries_of(endpoint),
                                request.args.get("page", 1, int), PER_PAGE)
    return render_template(
        "webhooks/detail.html", endpoint=endpoint, secret=secret, deliveries=deliveries,
        total=total, per_page=PER_PAGE, may_change=_may_change(),
        event_names=display.EVENT_NAMES, status_names=display.DELIVERY_STATUS_NAMES,
        status_classes=display.DELIVERY_STATUS_CLASSES, error_text=display.error_text,
        pretty_payload=display.pretty_payload,
        timeout=current_app.config["SHOPFLOOR"]["webhooks.timeout_seconds"])


@bp.post("/<int:endpoint_id>/disable")
@require_role(*ORDERER)
def disable(endpoint_id: int):
    """Stop sending to an endpoint; what waits for it is marked failed."""
    endpoint = services.disable_endpoint(_endpoint(endpoint_id), _user())
    flash(_("The endpoint %(url)s is disabled: nothing is sent to it.", url=endpoint.url),
          "success")
    return redirect(url_for("webhooks.endpoint_detail", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/enable")
@require_role(*ORDERER)
def enable(endpoint_id: int):
    """Send new events to a disabled endpoint again."""
    endpoint = _endpoint(endpoint_id)
    try:
        services.enable_endpoint(endpoint, _user())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The endpoint %(url)s is active again.", url=endpoint.url), "success")
    return redirect(url_for("webhooks.endpoint_detail", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/rotate")
@require_role(*ORDERER)
def rotate(endpoint_id: int):
    """Give an endpoint a new signing secret, shown once on its page."""
    endpoint = services.rotate_secret(_endpoint(endpoint_id), _user()).endpoint
    session[SHOW_SECRET] = endpoint.id
    flash(_("The endpoint has a new signing secret; the old one no longer works."), "success")
    return redirect(url_for("webhooks.endpoint_detail", endpoint_id=endpoint.id))


@bp.post("/deliveries/<int:delivery_id>/resend")
@require_role(*ORDERER)
def resend(delivery_id: int):
    """Send one delivery's event again, as a new delivery with the same event id."""
    delivery = _scope().delivery(delivery_id) or abort(404)
    try:
        services.resend_delivery(delivery, _user())
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The event will be sent again within a minute."), "success")
    return redirect(url_for("webhooks.endpoint_detail", endpoint_id=delivery.endpoint_id))
