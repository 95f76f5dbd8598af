"""The planning screens: the board of open orders, capacity per line and week, the what-if.

The week is that of test_forecast_services: NOW is Monday 30 November 2026, 07:00 in Warsaw;
Ala (soap, independent) has 390 productive minutes a weekday; a soap piece takes 3 minutes,
so 130 pcs fill one of her days. Pages are read in English (the user's language).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from shopfloor.codes import format_code
from tests.planning.test_forecast_services import (  # noqa: F401 (fixtures)
    FRI,
    NEXT_MON,
    NOW,
    THU,
    WED,
    make_worker,
    order_for,
    soap,
)


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    """The planning pages see NOW as the current time."""
    monkeypatch.setattr("shopfloor.planning.views.utcnow", lambda: NOW)


def text_of(html: str) -> str:
    """The text a reader sees: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def board_orders(html: str) -> list[str]:
    """The board's order blocks (an order's row and its lines' rows), top to bottom."""
    return re.findall(r'<tbody class="board-order[^"]*">(.*?)</tbody>', html, re.S)


@pytest.fixture
def week_of_orders(make_worker, order_for, make_product, make_order, soap):  # noqa: F811
    """Ala and four confirmed orders (see test_forecast_services), plus a draft."""
    make_worker("Ala", soap="independent")
    orders = {
        "at_risk": order_for(WED, 260),      # Mon + Tue, due Wed: one day to spare
        "late": order_for(THU, 390),         # Wed, Thu, Fri, due Thu: a day late
        "on_track": order_for(date(2026, 12, 18), 130),   # next Monday
        "nobody": order_for(date(2026, 12, 10), 10,       # garments: nobody qualified
                            product=make_product(line="garments")),
    }
    orders["draft"] = make_order(product=soap, quantity="10", status="draft", due=FRI)
    return orders


def test_board_lists_open_orders_by_due_date_with_risk_in_words(signed_in, week_of_orders):
    client = signed_in("manager", language="en")
    page = client.get("/planning")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    blocks = board_orders(html)
    # Earliest due first; the draft is not a commitment and is not on the board.
    expected = ["at_risk", "late", "nobody", "on_track"]
    assert [format_code(week_of_orders[key].code) in block
            for key, block in zip(expected, blocks, strict=True)] == [True] * 4
    assert format_code(week_of_orders["draft"].code) not in html
    late = text_of(blocks[1])
    assert "Late" in late and "1 day late" in late and "12/4/26" in late
    # The bar says in words what it shows.
    assert ('aria-label="Due Dec 3, 2026. Expected to be done: Dec 4, 2026. Risk: Late."'
            in blocks[1])
    assert f'href="/orders/{week_of_orders["late"].id}"' in blocks[1]
    assert "At risk" in text_of(blocks[0]) and "1 day to spare" in text_of(blocks[0])
    assert "Not within the planning horizon" in text_of(blocks[2])
    on_track = text_of(blocks[3])
    assert "On track" in on_track and "11 days to spare" in on_track
    # Each order's line is listed under it with what is left to make.
    assert "390 pcs" in late
    assert "Forecast computed" in html


def test_board_filters_by_risk_and_by_production_line(signed_in, week_of_orders):
    client = signed_in("manager", language="en")

    def codes(query: str) -> list[str]:
        html = client.get(f"/planning?{query}").get_data(as_text=True)
        return [key for key, order in week_of_orders.items()
                if any(format_code(order.code) in block for block in board_orders(html))]

    assert codes("risk=late") == ["late", "nobody"]
    assert codes("risk=on_track") == ["on_track"]
    assert codes("line=garments") == ["nobody"]
    assert codes("line=soap&risk=late") == ["late"]
    assert codes("line=harness") == []
    # A value that is not a risk or a line filters nothing.
    assert codes("risk=soon&line=bakery") == ["at_risk", "late", "on_track", "nobody"]
    assert "No open orders match." in client.get("/planning?line=harness").get_data(
        as_text=True)


def test_a_supervisor_sees_the_board_and_capacity_but_not_the_what_if(signed_in,
                                                                       week_of_orders):
    client = signed_in("supervisor", language="en")
    board = client.get("/planning").get_data(as_text=True)
    assert re.search(r'href="/planning"\s*(aria-current="page")?>Planning</a>', board)  # menu
    assert format_code(week_of_orders["late"].code) in board
    assert "/planning/what-if" not in board
    assert client.get("/planning/capacity").status_code == 200
    assert client.get("/planning/what-if").status_code == 403
    assert client.submit("/planning/what-if", {"quantity": "1"}, page="/planning"
                         ).status_code == 403


def test_the_what_if_shows_a_bad_input_next_to_its_field(signed_in, soap):  # noqa: F811
    client = signed_in("manager", language="en")
    page = client.submit("/planning/what-if", {"product_id": str(soap.id), "quantity": "0",
                                               "due_date": "2026-12-04"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert re.search(r'id="quantity-error">\s*Enter a quantity above zero\.', html)
    assert 'name="quantity" type="text" value="0"' in html  # what was typed stays
    assert "Taken now" not in html

    page = client.submit("/planning/what-if", {"product_id": "", "quantity": "10",
                                               "due_date": "2026-12-04"})
    assert re.search(r'id="product_id-error">\s*Choose a product from the list\.',
                     page.get_data(as_text=True))
    page = client.submit("/planning/what-if", {"product_id": str(soap.id), "quantity": "10",
                                               "due_date": ""})
    assert re.search(r'id="due_date-error">\s*Enter the due date\.',
                     page.get_data(as_text=True))


def test_the_what_if_answers_as_the_service_and_stores_nothing(signed_in, db_session,
                                                               week_of_orders, soap):  # noqa: F811
    from shopfloor.orders.models import Order, OrderLine
    from shopfloor.planning.models import LineForecast
    from shopfloor.planning.services import what_if

    client = signed_in("manager", language="en")

    def counts():
        return [db_session.scalar(select(func.count()).select_from(model))
                for model in (Order, OrderLine, LineForecast)]

    before = counts()
    page = client.submit("/planning/what-if", {"product_id": str(soap.id), "quantity": "130",
                                               "due_date": FRI.isoformat()})
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    expected = what_if(soap.id, 130, FRI, NOW)
    assert expected.projected_on == NEXT_MON
    # After the orders due Wednesday and Thursday (Monday to Friday): next Monday, late.
    assert "Taken now, it would be done by Monday, December 7, 2026." in text
    assert "Late" in text and "3 days late" in text
    assert "6 h 30 min" in text  # 130 pcs x 3 min at the standard pace
    assert "100% of the standard speed" in text
    assert counts() == before


def test_the_capacity_page_marks_a_week_over_capacity(signed_in, make_worker,  # noqa: F811
                                                      order_for):  # noqa: F811
    make_worker("Ala", soap="independent", harness="independent")
    # 1,000 pcs x 3 min = 3,000 min due Thursday; Ala has 5 x 390 = 1,950 min this week.
    order_for(THU, 1000)
    client = signed_in("supervisor", language="en")
    page = client.get("/planning/capacity")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    soap_section = html[html.index('id="line-soap"'):html.index('id="line-harness"')]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", soap_section, re.S)
    first_week, second_week = text_of(rows[1]), text_of(rows[2])
    assert first_week.startswith("Nov 30 – Dec 6, 2026")
    assert "32 h 30 min" in first_week    # available: 1,950 min
    assert "50 h" in first_week           # due: 3,000 min
    assert "154%" in first_week and "Over capacity" in first_week
    assert "Over capacity" not in second_week
    # Ala counts in both of her lines, and the page says so.
    harness = html[html.index('id="line-harness"'):]
    assert "32 h 30 min" in text_of(harness)
    assert "counts in each of them" in html
