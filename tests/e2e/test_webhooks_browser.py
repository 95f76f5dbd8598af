"""In Chromium: a partner's orderer adds a webhook endpoint, copies the secret shown once and
reads the delivery log on a phone (390x844) and a desktop (1280x800); axe-core checks each
page."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pytest

from shopfloor.database import utcnow
from tests.e2e.conftest import axe_violations
from tests.e2e.test_portal_browser import DESKTOP, PHONE, no_sideways_scrolling, sign_in
from tests.portal.conftest import make_partner_user, two_partners  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_orderer_adds_an_endpoint_and_reads_its_log(chromium, live_server, app, monkeypatch,
                                                       two_partners, make_partner_user,  # noqa: F811
                                                       output_dir, db_session):
    from shopfloor.webhooks.delivery import deliver_webhooks
    from shopfloor.webhooks.services import enqueue_deliveries

    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(current, values={
        **current.values, "webhooks.allowed_private_hosts": "127.0.0.1"}))
    orderer = make_partner_user(two_partners.alfa, "zofia@alfa.example", role="partner_orderer")
    context = chromium.new_context(base_url=live_server, locale="pl-PL", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    sign_in(tab, orderer)

    tab.get_by_role("link", name="Webhooks").click()
    tab.wait_for_load_state("load")
    assert axe_violations(tab) == []
    tab.get_by_role("link", name="Add an endpoint").click()
    tab.wait_for_load_state("load")
    tab.get_by_label("Address (URL)").fill("http://127.0.0.1:9/hooks")
    tab.get_by_label("An order may be late").check()
    tab.get_by_role("button", name="Add the endpoint").click()
    tab.wait_for_load_state("load")
    assert "https://" in tab.locator("#url-error").inner_text()
    assert axe_violations(tab) == []
    tab.get_by_label("Address (URL)").fill("https://127.0.0.1:9/hooks")
    tab.get_by_role("button", name="Add the endpoint").click()
    tab.wait_for_load_state("load")
    assert tab.get_by_label("Signing secret").input_value().startswith("whsec_")
    assert axe_violations(tab) == []

    # A delivery that cannot arrive (nothing listens on port 9), then the log.
    enqueue_deliveries("order.at_risk", two_partners.alfa.id, {"order": "ALFA/77"},
                       event_id=str(uuid.uuid4()), occurred_at=utcnow())
    db_session.commit()
    deliver_webhooks(utcnow())
    tab.reload()
    tab.wait_for_load_state("load")
    assert tab.get_by_label("Signing secret").count() == 0
    assert "Your server refused the connection" in tab.locator("#log").inner_text()
    tab.get_by_text("Show", exact=True).click()
    assert "ALFA/77" in tab.locator("#log pre").inner_text()
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "webhooks-endpoint-1280x800.png"), full_page=True)
    tab.set_viewport_size(PHONE)
    no_sideways_scrolling(tab)
    assert axe_violations(tab) == []
    tab.screenshot(path=str(output_dir / "webhooks-endpoint-390x844.png"), full_page=True)

    tab.get_by_role("button", name=re.compile(r"^Send the event .* again$")).click()
    tab.wait_for_load_state("load")
    assert tab.locator("#log tbody tr").count() == 2
    context.close()
