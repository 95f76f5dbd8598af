"""The partner's webhooks pages: add (secret once), disable, rotate, the log, send again,
who may do what, and another firm's endpoints answering 404."""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
from sqlalchemy import select

from shopfloor.database import utcnow
from shopfloor.webhooks.delivery import deliver_webhooks
from shopfloor.webhooks.models import WebhookDelivery, WebhookEndpoint
from shopfloor.webhooks.services import create_endpoint, enqueue_deliveries, signing_secret
from shopfloor.webhooks.signing import sign

SECRET_RE = re.compile(r'id="signing-secret"[^>]*value="(whsec_[0-9a-f]+)"')


@pytest.fixture
def alfa(two_partners, make_partner_user, sign_in_as):
    """Alfa's orderer (signed in) and viewer, and Beta's orderer."""
    orderer = make_partner_user(two_partners.alfa, "zofia@alfa.example", role="partner_orderer")
    beta_orderer = make_partner_user(two_partners.beta, "borys@beta.example",
                                     role="partner_orderer")
    return type("Alfa", (), {"partner": two_partners.alfa, "orderer": orderer,
                             "client": sign_in_as(orderer), "viewer": two_partners.alfa_user,
                             "beta": two_partners.beta, "beta_orderer": beta_orderer})


def add_endpoint(client, url="https://127.0.0.1/hooks", events=("order.status_changed",),
                 **kwargs):
    return client.submit("/portal/webhooks/new", {"url": url, "description": "Our ERP",
                                                  "events": list(events)}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


def queued(db_session, endpoint: WebhookEndpoint, event="order.status_changed") -> str:
    event_id = str(uuid.uuid4())
    enqueue_deliveries(event, endpoint.partner_id, {"order": "ALFA/77"}, event_id=event_id,
                       occurred_at=utcnow())
    db_session.commit()
    return event_id


def test_adding_an_endpoint_shows_its_secret_once(db_session, alfa):
    response = add_endpoint(alfa.client, events=["order.status_changed", "shipment.created"])

    assert response.status_code == 302
    endpoint = db_session.scalar(select(WebhookEndpoint))
    assert response.headers["Location"].endswith(f"/portal/webhooks/{endpoint.id}")
    assert endpoint.partner_id == alfa.partner.id
    assert endpoint.created_by_id == alfa.orderer.id
    page = text(alfa.client.get(response.headers["Location"]))
    assert SECRET_RE.search(page).group(1) == signing_secret(endpoint)
    assert "Copy it now" in page

    again = text(alfa.client.get(f"/portal/webhooks/{endpoint.id}"))
    assert SECRET_RE.search(again) is None and signing_secret(endpoint) not in again
    listing = text(alfa.client.get("/portal/webhooks/"))
    assert "https://127.0.0.1/hooks" in listing and "Our ERP" in listing
    assert "A shipment was sent" in listing and "None yet" in listing


def test_an_http_address_is_refused_next_to_the_field_keeping_what_was_typed(db_session, alfa):
    response = add_endpoint(alfa.client, url="http://erp.alfa.example/hooks")

    assert response.status_code == 422
    page = text(response)
    assert re.search(r'class="field-error" id="url-error">[^<]*https://', page)
    assert 'value="http://erp.alfa.example/hooks"' in page
    assert re.search(r'<input checked[^>]*value="order.status_changed"', page)
    assert db_session.scalar(select(WebhookEndpoint)) is None


def test_a_private_address_is_refused_on_the_form_unless_allowed(db_session, alfa, configure):
    response = add_endpoint(alfa.client, url="https://192.168.1.20/hooks")
    assert response.status_code == 422
    assert "private or local network" in text(response)

    configure({"webhooks.allowed_private_hosts": "192.168.1.20"})
    assert add_endpoint(alfa.client, url="https://192.168.1.20/hooks").status_code == 302


def test_no_event_chosen_is_refused_next_to_the_events(db_session, alfa):
    response = add_endpoint(alfa.client, events=[])
    assert response.status_code == 422
    assert 'id="events-error">Choose at least one event' in text(response)


def test_disable_enable_and_a_new_secret_from_the_endpoints_page(db_session, alfa):
    add_endpoint(alfa.client)
    endpoint = db_session.scalar(select(WebhookEndpoint))
    page_url = f"/portal/webhooks/{endpoint.id}"
    first = SECRET_RE.search(text(alfa.client.get(page_url))).group(1)

    response = alfa.client.submit(f"{page_url}/disable", {}, page=page_url)
    assert response.status_code == 302
    page = text(alfa.client.get(page_url))
    assert "is disabled" in page and ">Enable</button>" in page
    alfa.client.submit(f"{page_url}/enable", {}, page=page_url)
    assert ">Disable</button>" in text(alfa.client.get(page_url))

    alfa.client.submit(f"{page_url}/rotate", {}, page=page_url)
    second = SECRET_RE.search(text(alfa.client.get(page_url))).group(1)
    db_session.expire_all()
    assert second != first and second == signing_secret(db_session.get(WebhookEndpoint,
                                                                       endpoint.id))
    assert SECRET_RE.search(text(alfa.client.get(page_url))) is None


def test_the_log_shows_each_delivery_and_sends_one_again(db_session, alfa, configure, closed_port):
    endpoint = create_endpoint(alfa.partner, f"https://127.0.0.1:{closed_port}/hooks", "",
                               ["order.status_changed"], alfa.orderer).endpoint
    event_id = queued(db_session, endpoint)
    deliver_webhooks(utcnow())
    page_url = f"/portal/webhooks/{endpoint.id}"

    page = text(alfa.client.get(page_url))
    assert re.search(r"An order(&#39;|')s status changed<br><code>" + event_id, page)
    assert "Waiting" in page and "Your server refused the connection" in page
    assert re.search(r"<details[^>]*><summary>Show</summary><pre[^>]*>[^<]*&#34;ALFA/77&#34;", page)
    [delivery] = db_session.scalars(select(WebhookDelivery))

    response = alfa.client.submit(f"/portal/webhooks/deliveries/{delivery.id}/resend", {},
                                  page=page_url)

    assert response.status_code == 302 and response.headers["Location"].endswith(page_url)
    db_session.expire_all()
    copies = list(db_session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
    assert [(d.event_id, d.resend_of_id) for d in copies] == [(event_id, None),
                                                              (event_id, delivery.id)]
    assert "sent again by hand" in text(alfa.client.get(page_url))


def test_the_python_snippet_on_the_page_checks_a_real_signature(db_session, alfa):
    add_endpoint(alfa.client)
    endpoint = db_session.scalar(select(WebhookEndpoint))
    page = text(alfa.client.get(f"/portal/webhooks/{endpoint.id}"))
    secret = SECRET_RE.search(page).group(1)
    snippet = html.unescape(re.search(r'<pre class="webhook-code"[^>]*>(.*?)</pre>', page,
                                      re.S).group(1))
    namespace: dict = {}
    exec(snippet.replace('"whsec_..."', repr(secret)), namespace)  # noqa: S102 - our own page
    body = b'{"id":"e1","type":"order.at_risk"}'
    header = sign(secret, int(time.time()), body)

    assert namespace["verify"](header, body)
    assert not namespace["verify"](header, body + b"x")
    assert not namespace["verify"](sign(secret, int(time.time()) - 3600, body), body)
    assert not namespace["verify"]("garbage", body)


def test_a_viewer_sees_endpoints_and_the_log_but_cannot_change_them(db_session, alfa,
                                                                    sign_in_as):
    endpoint = create_endpoint(alfa.partner, "https://127.0.0.1/hooks", "", ["order.at_risk"],
                               alfa.orderer).endpoint
    queued(db_session, endpoint, "order.at_risk")
    [delivery] = db_session.scalars(select(WebhookDelivery))
    viewer = sign_in_as(alfa.viewer)

    listing = text(viewer.get("/portal/webhooks/"))
    assert "https://127.0.0.1/hooks" in listing and "Add an endpoint" not in listing
    page = text(viewer.get(f"/portal/webhooks/{endpoint.id}"))
    assert "An order may be late" in page
    assert "Send again" not in page and ">Disable</button>" not in page
    assert "New signing secret</button>" not in page
    assert viewer.get("/portal/webhooks/new").status_code == 403
    for url in (f"/portal/webhooks/{endpoint.id}/disable", f"/portal/webhooks/{endpoint.id}/rotate",
                f"/portal/webhooks/deliveries/{delivery.id}/resend", "/portal/webhooks/new"):
        response = viewer.submit(url, {"url": "https://127.0.0.1/x", "events": ["order.at_risk"]},
                                 page="/portal/webhooks/")
        assert response.status_code == 403, url
    db_session.expire_all()
    assert db_session.get(WebhookEndpoint, endpoint.id).active
    assert len(list(db_session.scalars(select(WebhookDelivery)))) == 1
    assert len(list(db_session.scalars(select(WebhookEndpoint)))) == 1


def test_another_firm_gets_404_for_alfas_endpoint_delivery_and_buttons(db_session, alfa,
                                                                       sign_in_as):
    endpoint = create_endpoint(alfa.partner, "https://127.0.0.1/alfa-only", "",
                               ["order.status_changed"], alfa.orderer).endpoint
    queued(db_session, endpoint)
    [delivery] = db_session.scalars(select(WebhookDelivery))
    beta = sign_in_as(alfa.beta_orderer)

    assert "alfa-only" not in text(beta.get("/portal/webhooks/"))
    assert beta.get(f"/portal/webhooks/{endpoint.id}").status_code == 404
    for url in (f"/portal/webhooks/{endpoint.id}/disable", f"/portal/webhooks/{endpoint.id}/enable",
                f"/portal/webhooks/{endpoint.id}/rotate",
                f"/portal/webhooks/deliveries/{delivery.id}/resend"):
        assert beta.submit(url, {}, page="/portal/webhooks/").status_code == 404, url
    db_session.expire_all()
    assert db_session.get(WebhookEndpoint, endpoint.id).active
    assert len(list(db_session.scalars(select(WebhookDelivery)))) == 1


def test_partners_find_webhooks_in_the_menu_and_staff_cannot_open_them(alfa, signed_in):
    assert 'href="/portal/webhooks/"' in text(alfa.client.get("/portal/"))
    staff = signed_in("manager")
    assert staff.get("/portal/webhooks/").status_code == 403


def test_the_manager_sees_a_partners_endpoints_and_failed_deliveries_read_only(
        db_session, alfa, signed_in, make_user, app):
    from tests.conftest import FormClient

    endpoint = create_endpoint(alfa.partner, "https://127.0.0.1/alfa-erp", "Alfa ERP",
                               ["order.at_risk"], alfa.orderer).endpoint
    queued(db_session, endpoint, "order.at_risk")
    [delivery] = db_session.scalars(select(WebhookDelivery))
    delivery.status, delivery.attempts, delivery.last_error = "failed", 8, "HTTP 500"
    db_session.commit()

    page = text(signed_in("manager").get(f"/partners/{alfa.partner.id}"))
    panel = page[page.index('id="webhooks"'):]
    assert "https://127.0.0.1/alfa-erp" in panel and "Alfa ERP" in panel
    assert "HTTP 500" in panel and "order.at_risk" in panel
    assert "<form" not in panel[:panel.index("</section>")]

    make_user(username="sonia", role="supervisor")
    supervisor = FormClient(app.test_client())
    supervisor.sign_in("sonia", "correct horse battery")
    response = supervisor.get(f"/partners/{alfa.partner.id}")
    assert response.status_code == 200 and 'id="webhooks"' not in text(response)
