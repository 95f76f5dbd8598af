"""Supervisors' station screens: enrol the tablet in hand, set workers, revoke, unlock."""

from __future__ import annotations

import re

from sqlalchemy import select

from shopfloor.stations.models import Station
from shopfloor.workers.services import WorkerData, save_worker


def test_enrolling_sets_a_station_cookie_on_this_tablet_only(signed_in, db_session, manager):
    client = signed_in("supervisor")
    kasia = save_worker(WorkerData(first_name="Kasia"), manager)
    response = client.submit("/stations/enrol", {"name": "Stół mydlarski 1", "line": "soap"})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("shopfloor_station="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = re.match(r"shopfloor_station=([^;]+)", cookie).group(1)
    station = db_session.scalar(select(Station))
    assert token not in station.token_hash  # only the hash is stored
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ten tablet jest tym stanowiskiem." in detail
    assert "(ten tablet)" in client.get("/stations/").get_data(as_text=True)

    url = f"/stations/{station.id}"
    version = re.search(r'name="version" type="hidden" value="(\d+)"|'
                        r'name="version"[^>]*value="(\d+)"', detail)
    response = client.submit(f"{url}/workers", {"workers": [str(kasia.id)],
                                                "version": str(station.version)}, page=url)
    assert response.status_code == 302 and version is not None
    db_session.expire_all()
    refused = client.submit(f"{url}/revoke", {
        "reason": "", "version": str(db_session.get(Station, station.id).version)}, page=url)
    assert refused.status_code == 422
    assert "Napisz, dlaczego blokujesz" in refused.get_data(as_text=True)
    db_session.expire_all()
    revoked = client.submit(f"{url}/revoke", {"reason": "Tablet zgubiony",
                                              "version": str(db_session.get(Station,
                                                                            station.id).version)},
                            page=url)
    assert revoked.status_code == 302
    assert "Zablokowane" in client.get("/stations/").get_data(as_text=True)


def test_the_same_name_twice_is_refused_next_to_the_field(signed_in):
    client = signed_in("manager")
    client.submit("/stations/enrol", {"name": "Stół 1", "line": ""})
    response = client.submit("/stations/enrol", {"name": "Stół 1", "line": ""})
    assert response.status_code == 422
    assert 'id="name-error">Stanowisko o tej nazwie już istnieje' in response.get_data(
        as_text=True)


def test_a_supervisor_chooses_the_batch_a_station_works_on(signed_in, db_session, make_batch,
                                                           make_product):
    client = signed_in("supervisor")
    client.submit("/stations/enrol", {"name": "Stół 2", "line": "soap"})
    station = db_session.scalar(select(Station))
    url = f"/stations/{station.id}"
    planned = make_batch(releasable=True)
    refused = client.submit(f"{url}/batch", {"batch_id": str(planned.id),
                                             "version": str(station.version)}, page=url)
    assert refused.status_code == 302
    assert "Tylko zwolniona partia" in client.get(url).get_data(as_text=True)

    from shopfloor.production.services import move_batch

    move_batch(planned, "released", None)
    harness = make_batch(product=make_product(line="harness"), record={
        "drawing_revision": "A", "ipc_class": "2"})
    move_batch(harness, "released", None)
    page = client.get(url).get_data(as_text=True)
    assert planned.code[1:5] in page and harness.code[1:5] not in page  # soap station
    db_session.expire_all()
    client.submit(f"{url}/batch", {"batch_id": str(planned.id),
                                   "version": str(db_session.get(Station, station.id).version)},
                  page=url)
    db_session.expire_all()
    assert db_session.get(Station, station.id).current_batch_id == planned.id


def test_a_stale_worker_list_is_refused(signed_in, db_session, manager):
    client = signed_in("supervisor")
    kasia = save_worker(WorkerData(first_name="Kasia"), manager)
    tomek = save_worker(WorkerData(first_name="Tomek"), manager)
    client.submit("/stations/enrol", {"name": "Stół 3", "line": ""})
    station = db_session.scalar(select(Station))
    url = f"/stations/{station.id}"
    seen = str(station.version)
    first = client.submit(f"{url}/workers", {"workers": [str(kasia.id)], "version": seen},
                          page=url)
    assert first.status_code == 302
    second = client.submit(f"{url}/workers", {"workers": [str(tomek.id)], "version": seen},
                           page=url)
    assert second.status_code == 409
