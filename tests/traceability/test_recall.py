"""A supplier recalls a fragrance lot: the recall reaches every partner who received bars
made from it, each told about its own batches and delivery notes only (domain.md §1 rule 8)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shopfloor.errors import DomainError
from shopfloor.partners.services import ContactData
from shopfloor.production.services import consume_lot, move_batch, record_output
from shopfloor.shipping.services import ShipmentLineData, create_shipment
from tests.conftest import TODAY


@pytest.fixture
def mail_on(app, monkeypatch):
    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        current, values={**current.values, "smtp.host": "127.0.0.1"}))


@pytest.fixture
def chain(db_session, manager, make_partner, make_product, make_order, make_batch, make_lot,
          make_soap_version, complete_soap_record):
    """Two shops got bars with fragrance lot FO-LAW-2611; a third got bars without it; a
    fourth batch with it is still being made."""
    from shopfloor.webhooks.models import WebhookEndpoint

    product = make_product(code="MYD-LAW-100")
    version = make_soap_version(product=product)
    fragrance = next(i.ingredient.material for i in version.items
                     if i.ingredient.kind == "fragrance")
    recalled = make_lot(quantity="5", supplier_lot="FO-LAW-2611", material=fragrance)
    other_oil = make_lot(quantity="5", supplier_lot="FO-LAW-2702", material=fragrance)
    shops = [make_partner(name=name, contacts=[ContactData(person, email=email)])
             for name, person, email in (
                 ("Mydlarnia Alfa", "Ola", "ola@alfa.example"),
                 ("Sklep Beta", "Jan", "jan@beta.example"),
                 ("Hotel Gamma", "Ewa", "ewa@gamma.example"))]
    db_session.add(WebhookEndpoint(partner_id=shops[0].id, url="https://erp.alfa.example/h",
                                   description="ERP", events="recall.issued",
                                   secret_salt="salt"))
    db_session.commit()

    def made_and_shipped(shop, lot):
        order = make_order(partner=shop, product=product, quantity="10")
        batch = make_batch(order_line=order.lines[0], quantity="10", releasable=True)
        consume_lot(batch, lot, Decimal("0.020"), manager, TODAY)  # 10 × 102 g × 2 %
        move_batch(batch, "released", manager)
        move_batch(batch, "in_progress", manager)
        record_output(batch, Decimal(10), [], manager)
        complete_soap_record(batch)
        move_batch(batch, "awaiting_qc", manager)
        move_batch(batch, "done", manager)
        shipment = create_shipment(order, TODAY, [ShipmentLineData(
            order.lines[0].id, batch.id, Decimal(10))], manager)
        return batch, shipment

    alfa, beta, gamma = (made_and_shipped(shop, lot) for shop, lot in
                         zip(shops, (recalled, recalled, other_oil), strict=True))
    running = make_batch(product=product, quantity="10", releasable=True)
    consume_lot(running, recalled, Decimal("0.020"), manager, TODAY)
    move_batch(running, "released", manager)
    return SimpleNamespace(lot=recalled, shops=shops, alfa=alfa, beta=beta, gamma=gamma,
                           running=running)


def test_a_recall_rejects_the_lot_holds_batches_and_tells_only_the_partners_concerned(
        chain, manager, db_session, mail_on):
    from shopfloor.notifications.models import OutboxEmail
    from shopfloor.traceability.recalls import issue_recall
    from shopfloor.webhooks.models import WebhookDelivery

    with pytest.raises(DomainError) as refused:
        issue_recall([chain.lot], "FO-LAW-2611", "  ", manager)
    assert refused.value.field == "reason"

    recall = issue_recall([chain.lot], "FO-LAW-2611",
                          "Dostawca wycofuje partię: linalol powyżej deklaracji.", manager)
    assert chain.lot.status == "rejected"
    assert chain.running.status == "on_hold" and chain.running.held_from == "released"
    assert recall.held_batches == [chain.running.code]
    told = {n.partner.name: n for n in recall.notices}
    assert set(told) == {"Mydlarnia Alfa", "Sklep Beta"}  # Gamma's bars had another lot
    alfa_batch, alfa_shipment = chain.alfa
    assert [b["code"] for b in told["Mydlarnia Alfa"].batches] == [alfa_batch.code]
    assert [s["number"] for s in told["Mydlarnia Alfa"].shipments] == [alfa_shipment.number]
    assert told["Mydlarnia Alfa"].batches[0]["quantity"] == "10"

    [delivery] = db_session.scalars(select(WebhookDelivery)).all()
    assert delivery.event == "recall.issued"
    data = json.loads(delivery.payload)["data"]["recall"]
    assert [b["code"] for b in data["batches"]] == [alfa_batch.code]  # not Beta's
    assert data["reason"].startswith("Dostawca wycofuje")
    assert data["portal_url"].endswith(f"/portal/recalls/{recall.id}")

    mails = {m.recipient: m for m in db_session.scalars(select(OutboxEmail))}
    assert set(mails) == {"ola@alfa.example", "jan@beta.example"}
    assert alfa_batch.code[:4] in mails["ola@alfa.example"].subject.replace("-", "")
    assert alfa_shipment.number in mails["ola@alfa.example"].body
    assert chain.beta[1].number not in mails["ola@alfa.example"].body


def test_the_partner_reads_its_own_notice_and_no_one_elses(
        chain, manager, make_partner_user, sign_in_as):
    from shopfloor.traceability.recalls import issue_recall

    recall = issue_recall([chain.lot], "FO-LAW-2611", "Alergen powyżej normy.", manager)
    alfa = sign_in_as(make_partner_user(chain.shops[0], "szef@alfa.example", language="pl"))
    page = alfa.get(f"/portal/recalls/{recall.id}").get_data(as_text=True)
    assert "Alergen powyżej normy." in page and chain.alfa[1].number in page
    assert chain.beta[1].number not in page
    assert "Alergen powyżej normy." in alfa.get("/portal/recalls/").get_data(as_text=True)
    gamma = sign_in_as(make_partner_user(chain.shops[2], "szef@gamma.example"))
    assert gamma.get(f"/portal/recalls/{recall.id}").status_code == 404
    assert gamma.get("/portal/recalls/99999999999").status_code == 404
    assert gamma.get("/portal/recalls/x").status_code == 404
    assert "Alergen" not in gamma.get("/portal/recalls/").get_data(as_text=True)


def test_a_manager_recalls_from_the_trace_page_and_a_supervisor_may_not(
        chain, signed_in, client, make_user):
    supervisor = signed_in("supervisor")
    page = supervisor.get("/trace/?q=FO-LAW-2611").get_data(as_text=True)
    assert "Mydlarnia Alfa" in page and "Wycofaj" not in page
    assert supervisor.submit("/trace/recall", {"q": "FO-LAW-2611", "reason": "x"},
                             page="/trace/").status_code == 403
    supervisor.submit("/sign-out", {}, page="/")

    manager = signed_in("manager", username="kierownik")
    page = manager.get("/trace/?q=FO-LAW-2611").get_data(as_text=True)
    assert "Wycofaj i powiadom 2 partnerów" in page
    response = manager.submit("/trace/recall", {"q": "FO-LAW-2611", "reason": ""},
                              page="/trace/?q=FO-LAW-2611")
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    response = manager.submit("/trace/recall", {"q": "FO-LAW-2611",
                                                "reason": "Dostawca wycofał partię."},
                              page="/trace/?q=FO-LAW-2611")
    assert response.status_code == 302
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mydlarnia Alfa" in page and "Sklep Beta" in page and "Hotel Gamma" not in page
    again = manager.get("/trace/?q=FO-LAW-2611").get_data(as_text=True)
    assert "Już wycofano" in again
