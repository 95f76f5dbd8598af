"""Adding, disabling, enabling and rotating webhook endpoints: the rules and the audit."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from shopfloor.audit.models import AuditEntry
from shopfloor.errors import DomainError
from shopfloor.webhooks import addresses
from shopfloor.webhooks.services import (
    ENDPOINTS_PER_PARTNER,
    create_endpoint,
    disable_endpoint,
    enable_endpoint,
    rotate_secret,
    signing_secret,
)

EVENTS = ["order.status_changed"]


@pytest.fixture
def dns(monkeypatch):
    """dns({"hooks.example.com": ["93.184.215.14"]}): what host names resolve to."""

    def answer(table: dict[str, list[str]]) -> None:
        real = addresses.lookup
        monkeypatch.setattr(addresses, "lookup",
                            lambda host, port: table[host] if host in table else real(host, port))

    return answer


def refusal(partner, manager, url, events=EVENTS) -> DomainError:
    """The error refusing the endpoint, its message in English."""
    with force_locale("en"), pytest.raises(DomainError) as error:
        create_endpoint(partner, url, "", events, manager)
    return error.value


def test_a_public_https_address_is_saved_with_its_events_and_audited(db_session, make_partner,
                                                                     manager, dns):
    dns({"hooks.example.com": ["93.184.215.14"]})
    partner = make_partner()

    made = create_endpoint(partner, " https://hooks.example.com/shopfloor ", " ERP ",
                           ["shipment.created", "order.status_changed"], manager)

    endpoint = made.endpoint
    assert (endpoint.url, endpoint.description, endpoint.partner_id) == (
        "https://hooks.example.com/shopfloor", "ERP", partner.id)
    assert endpoint.event_list == ["order.status_changed", "shipment.created"]
    assert made.secret.startswith("whsec_") and len(made.secret) == 6 + 64
    assert made.secret == signing_secret(endpoint)
    assert endpoint.secret_salt not in made.secret
    assert [e.action for e in db_session.scalars(select(AuditEntry).where(
        AuditEntry.record_type == "webhook_endpoint"))] == ["created"]


def test_a_plain_http_address_is_refused_naming_the_field(db_session, make_partner, manager):
    error = refusal(make_partner(), manager, "http://hooks.example.com/in")
    assert error.field == "url" and "https://" in str(error)


@pytest.mark.parametrize("url", ["https://10.0.0.7/in", "https://169.254.169.254/latest",
                                 "https://[::1]/in", "https://inside.example.com/in"])
def test_a_private_or_local_address_is_refused(db_session, make_partner, manager, dns, url):
    dns({"inside.example.com": ["93.184.215.14", "192.168.0.10"]})
    error = refusal(make_partner(), manager, url)
    assert error.field == "url" and "private or local network" in str(error)


def test_a_private_address_is_accepted_when_its_host_is_allowed(db_session, make_partner,
                                                                manager, configure, dns):
    dns({"erp.lan": ["10.0.0.7"]})
    configure({"webhooks.allowed_private_hosts": "erp.lan"})
    partner = make_partner()
    assert create_endpoint(partner, "https://erp.lan/in", "", EVENTS, manager).endpoint.id
    assert refusal(partner, manager, "https://10.0.0.7/in").field == "url"


def test_a_host_that_cannot_be_found_is_refused(db_session, make_partner, manager, dns):
    dns({"nowhere.example.com": []})
    error = refusal(make_partner(), manager, "https://nowhere.example.com/in")
    assert error.field == "url" and "cannot be found" in str(error)


@pytest.mark.parametrize("events", [[], ["order.deleted"]])
def test_at_least_one_known_event_is_needed(db_session, make_partner, manager, events):
    error = refusal(make_partner(), manager, "https://127.0.0.1/in", events)
    assert error.field == "events"


def test_a_firm_has_a_limited_number_of_active_endpoints(db_session, make_partner, manager):
    partner = make_partner()
    made = [create_endpoint(partner, f"https://127.0.0.1/in/{n}", "", EVENTS, manager)
            for n in range(ENDPOINTS_PER_PARTNER)]
    assert refusal(partner, manager, "https://127.0.0.1/one-more").field == "url"

    disable_endpoint(made[0].endpoint, manager)
    extra = create_endpoint(partner, "https://127.0.0.1/one-more", "", EVENTS, manager)
    with pytest.raises(DomainError):
        enable_endpoint(made[0].endpoint, manager)  # that would make eleven
    disable_endpoint(extra.endpoint, manager)
    assert enable_endpoint(made[0].endpoint, manager).active


def test_rotating_gives_a_new_secret_and_the_old_one_is_gone(db_session, make_partner,
                                                             manager):
    made = create_endpoint(make_partner(), "https://127.0.0.1/in", "", EVENTS, manager)

    rotated = rotate_secret(made.endpoint, manager)

    assert rotated.secret != made.secret
    assert signing_secret(made.endpoint) == rotated.secret
    actions = [(e.action, e.from_status, e.to_status) for e in db_session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "webhook_endpoint")
        .order_by(AuditEntry.id))]
    assert actions == [("created", None, None), ("secret_rotated", None, None)]


def test_disabling_and_enabling_are_audited_status_changes(db_session, make_partner, manager):
    made = create_endpoint(make_partner(), "https://127.0.0.1/in", "", EVENTS, manager)

    disable_endpoint(made.endpoint, manager)
    assert not made.endpoint.active
    enable_endpoint(made.endpoint, manager)
    assert made.endpoint.active

    assert [(e.from_status, e.to_status) for e in db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "status").order_by(AuditEntry.id))] == [
        ("active", "disabled"), ("disabled", "active")]
