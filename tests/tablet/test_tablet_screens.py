"""The worker screens on a station tablet, through the test client (Polish, as on the floor)."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal

import pytest

from shopfloor.stations.views import STATION_COOKIE
from tests.conftest import csrf_from, floor_photo

TYPING_INPUT = re.compile(
    r'<input(?![^>]*type="(?:hidden|file|checkbox|radio|submit|button)")[^>]*>|<textarea',
    re.IGNORECASE)


def tap() -> str:
    return str(uuid.uuid4())


class Tablet:
    """A station tablet's browser: the device cookie, and the pages' CSRF token."""

    def __init__(self, client, token: str):
        self.client = client.client  # the Flask test client inside the FormClient
        self.client.set_cookie(STATION_COOKIE, token)

    def get(self, url: str):
        response = self.client.get(url)
        html = response.get_data(as_text=True)
        # Every worker screen: no typing, and the Help button.
        if response.status_code in (200, 422):
            assert not TYPING_INPUT.search(html), url
            assert "data-help" in html, url
        return response

    def post(self, url: str, data: dict, page: str):
        """Send a form as the page would: with its CSRF token and the page's hidden
        batch_id and step_ids (which say what the page showed)."""
        html = self.client.get(page).get_data(as_text=True)
        hidden = dict(re.findall(r'name="(batch_id|step_ids)" value="([^"]*)"', html))
        return self.client.post(url, data={**hidden, **data, "csrf_token": csrf_from(html)})

    def post_json(self, url: str, body: dict, page: str = "/t/work"):
        html = self.client.get(page).get_data(as_text=True)
        batch = re.search(r'data-batch-id="(\d+)"', html)
        if batch and "batch_id" not in body:
            body = {**body, "batch_id": int(batch.group(1))}
        return self.client.post(url, data=json.dumps(body), content_type="application/json",
                                headers={"X-CSRFToken": csrf_from(html)})

    def sign_in(self, worker, answer=None):
        self.get(f"/t/sign-in/{worker.id}")
        return self.post(f"/t/sign-in/{worker.id}", {"answer": answer or worker.code},
                         page=f"/t/sign-in/{worker.id}")


@pytest.fixture
def tablet(floor, client):
    """Kasia's station tablet, with Kasia signed in."""
    tablet = Tablet(client, floor.token)
    response = tablet.sign_in(floor.worker)
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/work"
    return tablet


def text(response) -> str:
    return response.get_data(as_text=True)


def screen_of(floor, kind: str) -> int:
    """The screen number of the floor instruction's step of ``kind`` (one step a screen)."""
    return floor.steps[kind].position


def good_quantity(floor, db_session) -> Decimal:
    db_session.refresh(floor.batch)
    return floor.batch.good_quantity


# ------------------------------------------------------------------ station and sign-in


def test_a_browser_that_is_no_station_is_told_to_ask_the_supervisor(floor, client):
    for url in ("/t/", "/t/work", f"/t/sign-in/{floor.worker.id}", "/t/work/step/1"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Zapytaj opiekuna" in text(response)
        assert "Kasia" not in text(response)


def test_a_revoked_station_shows_no_workers_data(floor, tablet, manager):
    from shopfloor.stations.services import revoke_station

    assert "Kasia" in text(tablet.get("/t/work"))
    revoke_station(floor.station, manager, "Tablet zgubiony")
    for url in ("/t/", "/t/work", "/t/work/step/1"):
        response = tablet.client.get(url)
        assert response.status_code == 403
        assert "Kasia" not in text(response)
        assert "Zapytaj opiekuna" in text(response)


def test_the_photo_screen_shows_the_workers_expected_here(floor, client):
    tablet = Tablet(client, floor.token)
    page = text(tablet.get("/t/"))
    assert "Dotknij swojego zdjęcia" in page
    assert f'href="/t/sign-in/{floor.worker.id}"' in page
    assert "Kasia" in page


def test_a_badge_signs_the_worker_in_and_another_badge_is_refused(floor, client, manager):
    from shopfloor.workers.services import WorkerData, save_worker

    other = save_worker(WorkerData(first_name="Bartek"), manager)
    tablet = Tablet(client, floor.token)
    page = text(tablet.get(f"/t/sign-in/{floor.worker.id}"))
    assert "Zeskanuj swój identyfikator" in page
    wrong = tablet.sign_in(floor.worker, answer=other.code)
    assert wrong.status_code == 422
    assert "To nie jest twój identyfikator" in text(wrong)
    assert tablet.client.get("/t/work").status_code == 302  # still not signed in
    right = tablet.sign_in(floor.worker)
    assert right.headers["Location"] == "/t/work"
    assert "Twoja praca teraz" in text(tablet.get("/t/work"))


def test_a_picture_sign_in_picks_the_own_photo_from_a_grid(floor, client, manager):
    from shopfloor.workers.services import WorkerData, save_worker, set_worker_photo

    worker = save_worker(WorkerData(first_name="Ola", sign_in_method="picture"), manager)
    set_worker_photo(worker, floor_photo(), manager)
    for name in ("Bartek", "Ewa", "Jan"):
        other = save_worker(WorkerData(first_name=name), manager)
        set_worker_photo(other, floor_photo(), manager)
    from shopfloor.stations.services import set_expected_workers

    set_expected_workers(floor.station, [floor.worker.id, worker.id], manager)
    tablet = Tablet(client, floor.token)
    page = text(tablet.get(f"/t/sign-in/{worker.id}"))
    assert "Dotknij swojego zdjęcia" in page
    choices = re.findall(r'name="answer" value="(\d+)"', page)
    assert str(worker.id) in choices and len(choices) >= 4
    # Reloading shows the same grid: the photo that is always there is not given away.
    again = text(tablet.get(f"/t/sign-in/{worker.id}"))
    assert re.findall(r'name="answer" value="(\d+)"', again) == choices
    # The photos are not named: the choice is by recognising oneself.
    assert "Bartek" not in page
    wrong = next(c for c in choices if c != str(worker.id))
    assert tablet.sign_in(worker, answer=wrong).status_code == 422
    assert tablet.sign_in(worker, answer=str(worker.id)).headers["Location"] == "/t/work"


def test_a_worker_who_is_not_expected_here_cannot_even_start(floor, client, manager):
    from shopfloor.workers.services import WorkerData, save_worker

    stranger = save_worker(WorkerData(first_name="Obcy"), manager)
    tablet = Tablet(client, floor.token)
    assert tablet.client.get(f"/t/sign-in/{stranger.id}").status_code == 404


def test_finishing_work_signs_the_worker_out(floor, tablet, db_session):
    response = tablet.post("/t/sign-out", {}, page="/t/work")
    assert response.headers["Location"] == "/t/"
    db_session.refresh(floor.session)
    assert floor.session.ended_at is not None
    assert tablet.client.get("/t/work").status_code == 302


# ------------------------------------------------------------------ the work and its steps


def test_my_work_now_then_materials_then_the_first_step(floor, tablet):
    work = text(tablet.get("/t/work"))
    assert "Mydło lawendowe" in work
    assert 'href="/t/work/start"' in work
    start = text(tablet.get("/t/work/start"))
    assert "Baza glicerynowa" in start and "Forma" in start and "Waga" in start
    first = text(tablet.get("/t/work/step/1"))
    assert "Krok 1 z 5" in first
    assert "Weź formę. Postaw ją na stole." in first
    assert 'alt="Forma na stole"' in first
    assert first.count('class="dot dot-') == 5
    assert 'value="done"' in first


def test_done_moves_on_and_a_resent_tap_counts_once(floor, tablet, db_session):
    from sqlalchemy import func, select

    from shopfloor.floor.models import StepEvent

    client_id = tap()
    for _ in range(2):
        response = tablet.post("/t/work/step/1", {"action": "done", "client_id": client_id},
                               page="/t/work/step/1")
        assert response.headers["Location"] == "/t/work/step/2"
    assert db_session.scalar(select(func.count()).select_from(StepEvent)
                             .where(StepEvent.kind == "done")) == 1


def test_counting_fills_blocks_and_moves_the_batch(floor, tablet, db_session):
    step = floor.steps["count"]
    page = f"/t/work/step/{screen_of(floor, 'count')}"
    assert "0</span> z <span data-target>12" in text(tablet.get(page))
    for _ in range(3):
        answer = tablet.post_json("/t/events", {"client_id": tap(), "kind": "count",
                                                "value": 1, "step_id": step.id}, page=page)
        assert answer.status_code == 200
    assert answer.json == {"created": True, "count": 3, "filled": 3, "blocks": 12,
                           "target": 12}
    undo = tablet.post_json("/t/events", {"client_id": tap(), "kind": "undo", "value": -1,
                                           "step_id": step.id}, page=page)
    assert undo.json["count"] == 2
    assert good_quantity(floor, db_session) == 2
    assert text(tablet.get(page)).count('class="block filled"') == 2
    # Done ends the round: the next mould is counted from zero, the batch keeps its 2.
    tablet.post(page, {"action": "done", "client_id": tap()}, page=page)
    assert "0</span> z <span data-target>12" in text(tablet.get(page))
    assert good_quantity(floor, db_session) == 2


def test_taking_back_more_than_was_counted_is_refused_with_a_message(floor, tablet,
                                                                     db_session):
    step = floor.steps["count"]
    page = f"/t/work/step/{screen_of(floor, 'count')}"

    def send(kind: str, value: int):
        return tablet.post_json("/t/events", {"client_id": tap(), "kind": kind,
                                              "value": value, "step_id": step.id}, page=page)

    answer = send("undo", -1)
    assert answer.status_code == 422
    assert answer.json["message"] == "Nie ma czego cofnąć."
    # A finished round cannot be taken back from the next one: the mould is done.
    send("count", 1)
    send("count", 1)
    tablet.post(page, {"action": "done", "client_id": tap()}, page=page)
    assert send("undo", -1).status_code == 422
    assert good_quantity(floor, db_session) == 2
    assert send("count", 1).json["count"] == 1


def test_a_measure_out_of_range_asks_for_the_supervisor(floor, tablet):
    page = f"/t/work/step/{screen_of(floor, 'measure')}"
    assert "Dobra liczba: od 90 do 110" in text(tablet.get(page))
    high = tablet.post(page, {"action": "measure", "value": "120", "client_id": tap()},
                       page=page)
    assert high.status_code == 422
    assert "120 to za dużo. Zawołaj opiekuna." in text(high)
    good = tablet.post(page, {"action": "measure", "value": "99,5", "client_id": tap()},
                       page=page)
    assert good.headers["Location"] == f"/t/work/step/{screen_of(floor, 'measure') + 1}"


def test_a_measure_without_a_number_asks_to_type_it_again(floor, tablet):
    page = f"/t/work/step/{screen_of(floor, 'measure')}"
    response = tablet.post(page, {"action": "measure", "value": "", "client_id": tap()},
                           page=page)
    assert response.status_code == 422
    assert "Wybierz liczbę jeszcze raz." in text(response)


def test_a_scan_step_wants_the_right_kind_of_label(floor, tablet, make_lot):
    from shopfloor.codes import format_code

    page = f"/t/work/step/{screen_of(floor, 'scan')}"
    wrong = tablet.post(page, {"action": "scan", "answer": format_code(floor.batch.code),
                               "client_id": tap()}, page=page)
    assert wrong.status_code == 422
    assert "To nie ta etykieta" in text(wrong)
    lot = make_lot()
    right = tablet.post(page, {"action": "scan", "answer": f"https://x.example/s/{lot.code}",
                               "client_id": tap()}, page=page)
    assert right.headers["Location"] == f"/t/work/step/{screen_of(floor, 'scan') + 1}"


def test_a_check_step_a_bad_piece_is_put_aside_then_done(floor, tablet, db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import StepEvent

    number = screen_of(floor, "check")
    page = f"/t/work/step/{number}"
    assert 'value="check:good"' in text(tablet.get(page))
    bad = tablet.post(page, {"action": "check:bad", "client_id": tap()}, page=page)
    assert "Odłóż tę sztukę na bok" in text(bad)
    good = tablet.post(page, {"action": "check:good", "client_id": tap()}, page=page)
    assert good.headers["Location"] == "/t/work/end"
    kinds = db_session.scalars(select(StepEvent.text).where(StepEvent.kind == "check")).all()
    assert sorted(kinds) == ["bad", "good"]


def test_the_end_screen_says_what_comes_next(floor, tablet):
    page = text(tablet.get("/t/work/end"))
    assert "Brawo!" in page
    assert "Zrób to jeszcze raz od kroku 1." in page
    assert 'href="/t/work/step/1"' in page


def test_a_finished_batch_refuses_taps_and_asks_for_the_supervisor(floor, tablet, manager):
    from shopfloor.production.services import move_batch

    move_batch(floor.batch, "awaiting_qc", manager)
    response = tablet.post("/t/work/step/1", {"action": "done", "client_id": tap()},
                           page="/t/work/step/1")
    assert response.status_code == 422
    assert "Ta praca jest skończona. Zawołaj opiekuna." in text(response)
    assert "Ta praca jest skończona" in text(tablet.get("/t/work"))


def test_grouped_steps_share_a_screen_and_one_done(floor, tablet, manager, db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import StepEvent
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        new_draft,
        publish_version,
        set_step_photo,
    )
    from shopfloor.workers.services import SupportData, set_support

    draft = new_draft(floor.instruction, manager)
    for caption in ("Umyj ręce.", "Załóż fartuch."):
        step = add_step(draft, StepData("do", caption, "Ręce", "take"), manager)
        set_step_photo(step, floor_photo(), manager)
    publish_version(draft, manager)
    floor.batch.instruction_version_id = draft.id
    db_session.commit()
    set_support(floor.worker, SupportData(steps_per_screen=3), manager)

    last = len(draft.steps) - 1  # the check step stays alone; the two new ones share
    page = text(tablet.get(f"/t/work/step/{last}"))
    assert "Kroki 6–7 z 7" in page or "Kroki 6 do 7 z 7" in page
    assert "Umyj ręce." in page and "Załóż fartuch." in page
    tablet.post(f"/t/work/step/{last}", {"action": "done", "client_id": tap()},
                page=f"/t/work/step/{last}")
    done = db_session.scalars(select(StepEvent.instruction_step_id)
                              .where(StepEvent.kind == "done")).all()
    assert sorted(done) == sorted(s.id for s in draft.steps[-2:])


def test_captions_can_be_hidden_and_audio_set_to_play_by_itself(floor, tablet, manager):
    from shopfloor.workers.services import SupportData, set_support

    set_support(floor.worker, SupportData(captions=False, audio_autoplay=True), manager)
    page = text(tablet.get("/t/work/step/1"))
    assert 'class="caption visually-hidden"' in page
    assert 'data-autoplay="1"' in page


# ------------------------------------------------------------------ help


def test_help_from_a_step_reaches_the_board_and_the_answer_comes_back(floor, tablet, make_user,
                                                                      db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import HelpCall, StepEvent
    from shopfloor.floor.services import acknowledge_help

    step = floor.steps["measure"]
    call = tablet.post_json("/t/help", {"client_id": tap(), "step_id": step.id},
                            page=f"/t/work/step/{step.position}")
    assert call.json == {"status": "open", "message": "Czekaj. Opiekun już wie."}
    saved = db_session.scalar(select(HelpCall))
    assert (saved.worker_id, saved.station_id, saved.batch_id, saved.instruction_step_id) == (
        floor.worker.id, floor.station.id, floor.batch.id, step.id)
    assert db_session.scalar(select(StepEvent.kind).where(StepEvent.kind == "help")) == "help"
    # The page shows the waiting state after a reload too.
    assert "Czekaj. Opiekun już wie." in text(tablet.get(f"/t/work/step/{step.position}"))

    acknowledge_help(saved, make_user("tomek", role="supervisor"))
    assert tablet.client.get("/t/help.json").json["message"] == "Opiekun idzie."


def test_help_before_sign_in_names_the_station(floor, client, db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import HelpCall

    tablet = Tablet(client, floor.token)
    response = tablet.post("/t/help", {"client_id": tap(), "next": "/t/"}, page="/t/")
    assert response.headers["Location"] == "/t/"
    call = db_session.scalar(select(HelpCall))
    assert (call.worker_id, call.station_id) == (None, floor.station.id)
    assert "Czekaj. Opiekun już wie." in text(tablet.get("/t/"))


# ------------------------------------------------------------------ media


def test_photos_are_served_to_the_station_only(floor, tablet, client):
    name = floor.steps["do"].photo
    response = tablet.client.get(f"/t/media/instructions/{name}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"]
    assert tablet.client.get("/t/media/instructions/nope.jpg").status_code == 404
    assert tablet.client.get(f"/t/media/secrets/{name}").status_code == 404
    tablet.client.delete_cookie(STATION_COOKIE)
    assert tablet.client.get(f"/t/media/instructions/{name}").status_code == 403


# ------------------------------------------------------------------ the author's preview


def test_a_supervisor_previews_every_step_as_the_worker_sees_it(floor, signed_in):
    client = signed_in("supervisor")
    version = floor.version
    editor = client.get(f"/instructions/versions/{version.id}").get_data(as_text=True)
    assert f"/instructions/versions/{version.id}/preview/1" in editor
    for number, step in enumerate(version.steps, start=1):
        page = client.get(f"/instructions/versions/{version.id}/preview/{number}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert f"Krok {number} z 5" in html
        assert step.caption in html
        assert f"/instructions/photos/{step.photo}" in html
        assert "Nic nie jest zapisywane" in html
        assert 'method="post"' not in html  # nothing can be sent from a preview
        assert 'name="csrf_token"' not in html  # so no token ends up in an address
    measure = client.get(f"/instructions/versions/{version.id}/preview/3").get_data(as_text=True)
    assert "Dobra liczba: od 90 do 110" in measure
    assert client.get(f"/instructions/versions/{version.id}/preview/9").status_code == 404



# ------------------------------------------------------------------ what the review found


def test_a_supervisor_signed_in_on_the_tablet_is_signed_out_by_the_worker_screens(
        floor, client, make_user):
    make_user("ola", "hasło opiekunki", role="supervisor")
    client.sign_in("ola", "hasło opiekunki")
    assert client.get("/board").status_code == 200
    tablet = Tablet(client, floor.token)
    assert tablet.get("/t/").status_code == 200
    # A worker going "back" from the tablet cannot reach the supervisor's pages.
    assert tablet.client.get("/board").status_code == 302


def test_the_next_worker_signing_in_ends_the_session_of_the_one_before(floor, tablet, manager,
                                                                       db_session):
    from shopfloor.stations.services import set_expected_workers
    from shopfloor.workers.services import WorkerData, save_worker

    ola = save_worker(WorkerData(first_name="Ola"), manager)
    set_expected_workers(floor.station, [floor.worker.id, ola.id], manager)
    assert tablet.sign_in(ola).headers["Location"] == "/t/work"
    db_session.refresh(floor.session)
    assert floor.session.ended_at is not None
    assert "Ola" in text(tablet.get("/t/work"))


@pytest.mark.parametrize("kind", ["measure", "scan", "check"])
def test_done_alone_cannot_skip_a_step_that_needs_an_answer(floor, tablet, db_session, kind):
    from sqlalchemy import select

    from shopfloor.floor.models import StepEvent

    page = f"/t/work/step/{screen_of(floor, kind)}"
    response = tablet.post(page, {"action": "done", "client_id": tap()}, page=page)
    assert response.status_code == 422
    assert db_session.scalar(select(StepEvent).where(StepEvent.kind == "done")) is None


def test_a_page_opened_for_other_work_records_nothing(floor, tablet, manager, make_batch,
                                                      db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import StepEvent
    from shopfloor.production.services import move_batch
    from shopfloor.stations.services import assign_batch

    old_page = text(tablet.get("/t/work/step/1"))
    hidden = dict(re.findall(r'name="(batch_id|step_ids)" value="([^"]*)"', old_page))
    other = make_batch(product=floor.batch.product, releasable=True)
    move_batch(other, "released", manager)
    move_batch(other, "in_progress", manager)
    assign_batch(floor.station, other, manager)  # the supervisor gives the table new work

    response = tablet.client.post("/t/work/step/1", data={
        **hidden, "action": "done", "client_id": tap(), "csrf_token": csrf_from(old_page)})
    assert response.headers["Location"] == "/t/work"
    count = tablet.client.post(
        "/t/events", data=json.dumps({"client_id": tap(), "kind": "count", "value": 1,
                                      "step_id": floor.steps["count"].id,
                                      "batch_id": floor.batch.id}),
        content_type="application/json", headers={"X-CSRFToken": csrf_from(old_page)})
    assert count.status_code == 409
    assert count.json["reload"] == "/t/work"
    assert db_session.scalar(select(StepEvent).where(StepEvent.kind != "help")) is None
    db_session.refresh(other)
    assert other.good_quantity == 0


def test_help_follows_the_worker_to_another_table(floor, tablet, manager, db_session):
    from sqlalchemy import select

    from shopfloor.floor.models import HelpCall
    from shopfloor.floor.services import call_help
    from shopfloor.stations.services import enrol_station, set_expected_workers
    from shopfloor.stations.signin import finish_sign_in

    call_help(floor.session, floor.batch, None, tap())
    second, _token = enrol_station("Stół 2", "soap", manager)
    set_expected_workers(second, [floor.worker.id], manager)
    moved = finish_sign_in(second, floor.worker.id, floor.worker.code)
    call, created = call_help(moved, None, None, tap())
    assert created and call.station_id == second.id
    calls = db_session.scalars(select(HelpCall).order_by(HelpCall.id)).all()
    # The call at the first table is closed; the supervisor goes to the second one.
    assert [(c.station_id, c.closed_at is None) for c in calls] == [
        (floor.station.id, False), (second.id, True)]


def test_a_revoked_station_can_send_nothing(floor, tablet, manager, db_session):
    from sqlalchemy import func, select

    from shopfloor.floor.models import HelpCall, StepEvent
    from shopfloor.stations.services import revoke_station

    page = text(tablet.get(f"/t/work/step/{screen_of(floor, 'count')}"))
    token = csrf_from(page)
    revoke_station(floor.station, manager, "Tablet zgubiony")
    headers = {"X-CSRFToken": token}
    count = tablet.client.post("/t/events", data=json.dumps({
        "client_id": tap(), "kind": "count", "value": 1, "step_id": floor.steps["count"].id,
        "batch_id": floor.batch.id}), content_type="application/json", headers=headers)
    assert count.status_code == 403
    assert tablet.client.post("/t/help", data=json.dumps({"client_id": tap()}),
                              content_type="application/json",
                              headers=headers).status_code == 403
    assert tablet.client.get("/t/help.json").status_code == 403
    assert db_session.scalar(select(func.count()).select_from(StepEvent)) == 0
    assert db_session.scalar(select(func.count()).select_from(HelpCall)) == 0


def test_an_error_on_the_tablet_is_an_easy_page_with_a_way_on(floor, tablet):
    response = tablet.client.get("/t/work/step/99")
    assert response.status_code == 404
    page = text(response)
    assert "Coś poszło nie tak." in page and 'href="/t/work"' in page
    assert "site-header" not in page  # not the office's error page


def test_work_given_before_its_instruction_was_published_gets_it_when_published(
        floor, tablet, manager, make_product, make_batch, db_session):
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        create_instruction,
        publish_version,
        set_materials_and_tools,
        set_step_photo,
    )
    from shopfloor.production.services import move_batch
    from shopfloor.stations.services import assign_batch

    product = make_product(line="soap", code="MYD-ROZ")
    batch = make_batch(product=product, releasable=True)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    assign_batch(floor.station, batch, manager)
    assert "nie ma jeszcze kroków" in text(tablet.get("/t/work"))

    instruction = create_instruction("Mydło różane", manager, product_id=product.id)
    draft = instruction.versions[0]
    set_materials_and_tools(draft, ["Baza"], ["Forma"], manager)
    step = add_step(draft, StepData("do", "Weź formę.", "Forma", "take"), manager)
    set_step_photo(step, floor_photo(), manager)
    publish_version(draft, manager)
    db_session.refresh(batch)
    assert batch.instruction_version_id == draft.id
    assert 'href="/t/work/start"' in text(tablet.get("/t/work"))


def test_the_tablet_camera_frame_is_read_on_the_server_for_the_station_only(floor, tablet):
    import io

    from tests.scanning.test_resolve_scan import qr_png

    token = csrf_from(text(tablet.get(f"/t/sign-in/{floor.worker.id}")))
    frame = qr_png(f"http://127.0.0.1:5000/s/{floor.worker.code}")
    response = tablet.client.post("/t/frame", data={"frame": (io.BytesIO(frame), "f.png")},
                                  headers={"X-CSRFToken": token})
    assert response.json == {"found": True,
                             "text": f"http://127.0.0.1:5000/s/{floor.worker.code}"}
    tablet.client.delete_cookie(STATION_COOKIE)
    refused = tablet.client.post("/t/frame", data={"frame": (io.BytesIO(frame), "f.png")},
                                 headers={"X-CSRFToken": token})
    assert refused.status_code == 403


def test_a_step_film_shows_a_watch_button_and_streams_to_the_station(floor, tablet, db_session,
                                                                     tmp_path):
    from shopfloor.instructions.services import VIDEO_AREA
    from shopfloor.video import save_video
    from tests.instructions.test_video import film

    step = floor.steps["do"]
    step.video = save_video(film(tmp_path, 1), VIDEO_AREA)
    db_session.commit()
    page = text(tablet.get(f"/t/work/step/{screen_of(floor, 'do')}"))
    assert f'src="/t/media/instructions/{step.video}"' in page
    assert 'preload="none"' in page  # the step page stays light: the film loads on Watch
    assert "Obejrzyj" in page
    whole = tablet.client.get(f"/t/media/instructions/{step.video}")
    assert whole.status_code == 200 and whole.mimetype == "video/mp4"
    part = tablet.client.get(f"/t/media/instructions/{step.video}",
                             headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100  # a tablet can seek
    assert part.data == whole.data[:100]
