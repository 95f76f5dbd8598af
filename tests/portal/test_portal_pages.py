"""The partner portal as a partner's person uses it: their orders with progress and expected
completion, one order's lines, batches and shipments, the delivery note, the status link.

Forecast week as in tests/planning: NOW is Monday 30 November 2026; Ala makes 130 soap pieces
a day (3 min each). Pages are read in English (the accounts' language).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from shopfloor.codes import format_code
from tests.planning.test_forecast_services import NOW, make_worker  # noqa: F401 (fixture)
from tests.shipping.test_shipments import finished_batch, ship  # noqa: F401 (fixture)


def text_of(html: str) -> str:
    """The text a reader sees: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rows_of(html: str) -> list[str]:
    """The text of each row of the first table's body."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    """The portal sees NOW as the current time (its forecast refresh and status links)."""
    monkeypatch.setattr("shopfloor.portal.views.utcnow", lambda: NOW)
    monkeypatch.setattr("shopfloor.portal.public.utcnow", lambda: NOW)


@pytest.fixture
def alfa_in_progress(two_partners, finished_batch, make_worker, manager):  # noqa: F811
    """Alfa's order of 200: a batch of 100 finished with 80 good, 50 of them shipped;
    a second Alfa order, newer, as a draft; the forecast computed at NOW."""
    from shopfloor.planning.services import recompute_forecasts

    make_worker("Ala", soap="independent")
    order = two_partners.alfa_order
    _order, batch = finished_batch(order=order, good="80", quantity="100")
    shipment = ship(order, batch, "50", manager)
    shipment.tracking = "DPD-0042"
    from shopfloor.orders.services import LineData, create_order

    draft = create_order(two_partners.alfa.id, "ALFA/78",
                         [LineData(two_partners.soap.id, Decimal(30), order.lines[0].due_date)],
                         manager, today=order.lines[0].due_date.replace(day=1))
    recompute_forecasts(NOW)
    two_partners.batch, two_partners.shipment, two_partners.draft = batch, shipment, draft
    return two_partners


def test_list_shows_own_orders_newest_first_with_progress_and_expected_date(
        alfa_in_progress, sign_in_as):
    data = alfa_in_progress
    page = sign_in_as(data.alfa_user).get("/portal/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = rows_of(html)
    assert len(rows) == 2
    assert rows[0].startswith(format_code(data.draft.code))
    assert "ALFA/78" in rows[0] and "Being reviewed" in rows[0]
    first = rows[1]
    assert first.startswith(format_code(data.alfa_order.code))
    assert "ALFA/77" in first and "Partly shipped" in first
    # 80 of 200 made; the other 120 (360 min) fit into Monday 30 November.
    assert "40%" in first and "80 of 200 pcs" in first
    assert "Dec 11, 2026" in first
    assert "Nov 30, 2026 On track" in first
    assert f'aria-label="Made for order {format_code(data.alfa_order.code)}"' in html
    assert data.beta.name not in html and format_code(data.beta_order.code) not in html


def test_status_filter_narrows_the_list_and_an_unknown_status_is_ignored(
        alfa_in_progress, sign_in_as):
    client = sign_in_as(alfa_in_progress.alfa_user)
    drafts = rows_of(client.get("/portal/?status=draft").get_data(as_text=True))
    assert len(drafts) == 1 and "ALFA/78" in drafts[0]
    shipped = client.get("/portal/?status=shipped").get_data(as_text=True)
    assert "No orders match." in text_of(shipped)
    everything = rows_of(client.get("/portal/?status=bogus").get_data(as_text=True))
    assert len(everything) == 2


def test_search_finds_an_order_by_code_as_typed_or_by_the_partners_number(
        alfa_in_progress, sign_in_as):
    data = alfa_in_progress
    client = sign_in_as(data.alfa_user)
    typed = format_code(data.alfa_order.code).lower()
    by_code = rows_of(client.get(f"/portal/?q={typed}").get_data(as_text=True))
    assert len(by_code) == 1 and "ALFA/77" in by_code[0]
    by_reference = rows_of(client.get("/portal/?q=alfa/78").get_data(as_text=True))
    assert len(by_reference) == 1 and format_code(data.draft.code) in by_reference[0]


def test_the_list_is_paged(alfa_in_progress, sign_in_as, monkeypatch):
    monkeypatch.setattr("shopfloor.portal.views.PER_PAGE", 1)
    client = sign_in_as(alfa_in_progress.alfa_user)
    first = client.get("/portal/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "ALFA/78" in first and "ALFA/77" not in first
    second = client.get("/portal/?page=2").get_data(as_text=True)
    assert "ALFA/77" in second and "ALFA/78" not in second


def test_detail_shows_lines_batches_and_shipments(alfa_in_progress, sign_in_as):
    data = alfa_in_progress
    page = sign_in_as(data.alfa_user).get(f"/portal/orders/{data.alfa_order.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert f"Order {format_code(data.alfa_order.code)} Partly shipped" in text
    line = rows_of(html)[0]
    assert data.soap.name in line and "80 of 200 pcs" in line and "40%" in line
    assert "Dec 11, 2026" in line and "Nov 30, 2026 On track" in line
    assert '<progress max="100" value="40" aria-label="Made for line 1">' in html
    assert "Expected to be done Nov 30, 2026 On track 11 days to spare" in text
    # The batch in the partner's words, the shipment with its delivery note.
    assert f"{format_code(data.batch.code)} {data.soap.name} 100 pcs Done" in text
    assert "WZ/2026/0001" in text and "DPD" in text and "DPD-0042" in text
    assert f'href="/portal/shipments/{data.shipment.id}/wz.pdf"' in html
    # Nothing of the staff screens: no links into them.
    assert 'href="/orders/' not in html and 'href="/batches/' not in html


def test_a_scrapped_batch_is_not_shown_to_the_partner(two_partners, make_batch, manager,
                                                      sign_in_as):
    from shopfloor.production.services import move_batch

    batch = make_batch(order_line=two_partners.alfa_order.lines[0], quantity="20")
    move_batch(batch, "scrapped", manager, reason="wrong colour")
    html = sign_in_as(two_partners.alfa_user).get(
        f"/portal/orders/{two_partners.alfa_order.id}").get_data(as_text=True)
    assert format_code(batch.code) not in html and "No batches yet." in html


def test_delivery_note_downloads_for_the_partners_own_shipment(alfa_in_progress, sign_in_as):
    data = alfa_in_progress
    response = sign_in_as(data.alfa_user).get(f"/portal/shipments/{data.shipment.id}/wz.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="WZ-2026-0001.pdf"' in response.headers["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "WZ/2026/0001" in text and data.alfa.name in text


def test_sharing_shows_a_status_link_with_its_expiry_that_opens_without_an_account(
        alfa_in_progress, sign_in_as, app):
    data = alfa_in_progress
    client = sign_in_as(data.alfa_user)
    page = client.submit(f"/portal/orders/{data.alfa_order.id}/share", {},
                         page=f"/portal/orders/{data.alfa_order.id}", follow_redirects=True)
    assert page.status_code == 200
    assert page.request.path == f"/portal/orders/{data.alfa_order.id}"
    html = page.get_data(as_text=True)
    assert "The status link for order" in html
    url = re.search(r'id="status-link" value="([^"]+)"', html).group(1)
    assert url.startswith("http://127.0.0.1:5000/status/")
    # Made on 30 November, valid 30 days.
    assert "Valid until December 30, 2026." in text_of(html)
    # It stays on the order's page in this session, and only on that order's page.
    again = client.get(f"/portal/orders/{data.alfa_order.id}").get_data(as_text=True)
    assert url in again
    assert url not in client.get(f"/portal/orders/{data.draft.id}").get_data(as_text=True)

    anonymous = app.test_client()
    shared = anonymous.get(url.removeprefix("http://127.0.0.1:5000"),
                           headers={"Accept-Language": "en"})
    assert shared.status_code == 200
    shared_html = shared.get_data(as_text=True)
    shared_text = text_of(shared_html)
    assert f"Status of order {format_code(data.alfa_order.code)}" in shared_text
    assert data.alfa.name in shared_text and "80 of 200" in shared_text
    assert "Dec 11, 2026" in shared_text and "Nov 30, 2026" in shared_text
    assert '<meta name="robots" content="noindex, nofollow">' in shared_html
    assert shared.headers["Cache-Control"] == "no-store"
    assert "/portal/" not in shared_html
    # The other draft order of the same partner is not on the shared page.
    assert "ALFA/78" not in shared_html and format_code(data.draft.code) not in shared_html


def test_a_status_link_stops_when_the_order_changes_hands(two_partners, sign_in_as, manager,
                                                         app, db_session):
    from shopfloor.portal.links import issue_status_link

    token, _link = issue_status_link(two_partners.alfa_order, NOW)
    two_partners.alfa_order.partner_id = two_partners.beta.id
    db_session.commit()
    assert app.test_client().get(f"/status/{token}").status_code == 404
