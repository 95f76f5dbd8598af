"""The supervisors' live board: help calls first, stations with who works on what."""

from __future__ import annotations

import uuid
from decimal import Decimal


def test_the_board_shows_calls_and_work_and_a_supervisor_answers(floor, signed_in,
                                                                  db_session):
    from shopfloor.floor.services import call_help, record_step_event

    record_step_event(floor.session, floor.batch, floor.steps["count"], "count",
                      str(uuid.uuid4()), value=Decimal(1))
    call, created = call_help(floor.session, floor.batch, floor.steps["count"],
                              str(uuid.uuid4()))
    assert created
    client = signed_in("supervisor", username="ola")
    page = client.get("/board").get_data(as_text=True)
    assert "Kasia" in page and "Stół 1" in page and "Idę" in page
    data = client.get("/board/data.json").json
    assert data["calls"][0]["worker"] == "Kasia" and data["calls"][0]["status"] == "open"
    [station] = data["stations"]
    assert station["workers"][0]["step"] == 2 and station["workers"][0]["good"] == "1"

    assert client.submit(f"/board/help/{call.id}/acknowledge", {},
                         page="/board").status_code == 302
    assert client.get("/board/data.json").json["calls"][0]["status"] == "acknowledged"
    assert client.submit(f"/board/help/{call.id}/close", {}, page="/board").status_code == 302
    assert client.get("/board/data.json").json["calls"] == []
    db_session.expire_all()
    assert call.closed_at is not None and call.acknowledged_by is not None


def test_a_call_says_which_batch_and_step_and_a_fresh_sign_in_shows_the_station_batch(
        floor, signed_in):
    from shopfloor.codes import format_code
    from shopfloor.floor.services import call_help

    client = signed_in("supervisor", username="ola")
    # Signed in, nothing tapped yet: the board shows the batch the station is set to.
    [worker] = client.get("/board/data.json").json["stations"][0]["workers"]
    assert worker["batch"] == format_code(floor.batch.code) and worker["step"] is None
    stations = client.get("/board").get_data(as_text=True).split('id="board-stations"')[1]
    assert format_code(floor.batch.code) in stations

    call_help(floor.session, floor.batch, floor.steps["measure"], str(uuid.uuid4()))
    [call] = client.get("/board/data.json").json["calls"]
    assert (call["batch"], call["step"]) == (format_code(floor.batch.code),
                                             floor.steps["measure"].position)
    page = client.get("/board").get_data(as_text=True)
    calls = page.split('id="help-call-list"')[1].split("</ul>")[0]
    assert format_code(floor.batch.code) in calls and "krok 3" in calls
