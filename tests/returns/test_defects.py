"""Inspection of returned garments: the defect from the catalogue and its zone, the rules of
the dispositions (repair, re-inspection, restock, the EU ban on destroying) and the partner's
Pareto of defects."""

from __future__ import annotations

import pytest

from shopfloor.errors import DomainError
from shopfloor.returns.services import record_defect, reinspect, set_disposition


def test_a_defect_needs_a_catalogue_code_and_a_zone(returns, manager):
    item = returns.items[1]
    with pytest.raises(DomainError) as refused:
        record_defect(item, "X99", "A", manager)
    assert refused.value.field == "defect_code"
    with pytest.raises(DomainError) as refused:
        record_defect(item, "M01", "C", manager)
    assert refused.value.field == "defect_zone"
    record_defect(item, "M01", "B", manager)
    assert (item.defect_code, item.defect_zone) == ("M01", "B")


def test_repair_reinspection_then_stock(returns, manager):
    from shopfloor.returns.repairs import finish_repair

    trousers = returns.items[1]  # no defect recorded
    with pytest.raises(DomainError, match="katalogu|catalogue"):
        set_disposition(trousers, "repair", manager)
    jacket = returns.items[0]  # broken zip, major, zone A
    with pytest.raises(DomainError, match="ponownej kontroli|re-inspection"):
        set_disposition(jacket, "restock", manager)
    set_disposition(jacket, "repair", manager)
    assert jacket.repair_stage == "to_repair"
    with pytest.raises(DomainError) as refused:
        reinspect(jacket, True, manager)  # not repaired yet
    assert refused.value.field == "reinspection"
    finish_repair(jacket, manager)
    with pytest.raises(DomainError) as refused:
        reinspect(jacket, False, manager)  # a failure says what is still wrong
    assert refused.value.field == "reinspection_note" and jacket.repair_stage == "to_reinspect"
    reinspect(jacket, False, manager, note="Zamek nadal się rozpina.")
    assert (jacket.repair_stage, jacket.reinspection_note) == ("to_repair",
                                                               "Zamek nadal się rozpina.")
    with pytest.raises(DomainError):
        set_disposition(jacket, "restock", manager)
    with pytest.raises(DomainError):
        set_disposition(jacket, "second_quality", manager)  # not before a passed check
    finish_repair(jacket, manager)
    assert (jacket.repair_stage, jacket.reinspection_passed) == ("to_reinspect", None)
    reinspect(jacket, True, manager)
    set_disposition(jacket, "restock", manager)
    assert (jacket.disposition, jacket.reinspection_passed) == ("restock", True)
    with pytest.raises(DomainError):
        reinspect(jacket, True, manager)  # only a repaired item is re-inspected


def test_destroying_is_refused_under_the_ban_unless_an_exemption_is_recorded(
        returns, manager, db_session):
    item = returns.items[0]
    with pytest.raises(DomainError, match="ESPR"):
        set_disposition(item, "destroy", manager)
    set_disposition(item, "destroy", manager, exemption="Pleśń, decyzja sanepidu 12/2026")
    assert item.destroy_exemption.startswith("Pleśń")
    small = returns.other_item  # Tekstil says the ban does not apply to it
    returns.tekstil.destruction_ban = False
    db_session.commit()
    set_disposition(small, "destroy", manager)
    assert small.disposition == "destroy" and small.destroy_exemption == ""


def test_asking_the_partner_needs_the_defect_first(returns, manager):
    from shopfloor.returns.services import add_photo, ask_partner
    from tests.returns.conftest import defect_photo

    trousers = returns.items[1]
    add_photo(trousers, defect_photo(), manager)
    with pytest.raises(DomainError) as refused:
        ask_partner(trousers, "Naprawić?", manager)
    assert refused.value.field == "defect_code"


def test_the_partner_sees_its_own_pareto_of_defects(returns, manager, sign_in_as):
    record_defect(returns.items[1], "M04", "B", manager)
    page = sign_in_as(returns.orderer).get("/portal/returns/").get_data(as_text=True)
    pareto = page.split('id="pareto"')[1]
    assert "KURTKA-01" in pareto and "SPODNIE-02" in pareto and "M04" in pareto
    assert "50 %" in pareto and "100 %" in pareto
    assert "M01" not in pareto  # Tekstil's defect stays Tekstil's
    item_page = sign_in_as(returns.orderer).get(f"/portal/returns/{returns.items[0].id}")
    assert "M04 · Zepsuty zamek lub zapięcie" in item_page.get_data(as_text=True)
    assert "strefa A" in item_page.get_data(as_text=True)


def test_the_office_records_the_defect_on_the_items_page(returns, signed_in):
    item = returns.items[1]
    client = signed_in("supervisor")
    url = f"/returns/{item.id}"
    page = client.get(url).get_data(as_text=True)
    version = page.split('name="version" value="')[1].split('"')[0]
    response = client.submit(f"{url}/defect", {"defect_code": "N01", "defect_zone": "",
                                               "version": version}, page=url)
    assert response.status_code == 422
    assert 'id="defect_zone-error"' in response.get_data(as_text=True)
    response = client.submit(f"{url}/defect", {"defect_code": "N01", "defect_zone": "B",
                                               "version": version}, page=url)
    assert response.status_code == 302
    assert "N01 · " in client.get(url).get_data(as_text=True)


def test_the_partner_sees_how_fast_items_are_decided_against_its_target(
        returns, manager, sign_in_as, db_session):
    from datetime import UTC, date, datetime

    returns.moda.turnaround_days = 2
    db_session.commit()
    set_disposition(returns.items[1], "restock", manager)
    # Received on Wednesday 2 December, decided on Friday 4 December: 2 working days.
    returns.items[1].decided_at = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    returns.items[1].received_on = date(2026, 12, 2)
    db_session.commit()
    page = sign_in_as(returns.orderer).get("/portal/returns/").get_data(as_text=True)
    summary = page.split('id="turnaround"')[1].split("</section>")[0]
    assert "1 z 1" in summary and "2 dni roboczych" in summary and "100 %" in summary
