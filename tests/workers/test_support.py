"""Per-worker support on the tablet: set by a supervisor, kept as history, used by the board."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from shopfloor.workers.models import SupportProfile


def support_form(**overrides) -> dict:
    data = {"captions": "y", "steps_per_screen": "1", "idle_reminder_minutes": "3",
            "idle_alert_minutes": "10"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_support_changes_are_kept_as_history(signed_in, manager, db_session):
    from shopfloor.workers.services import WorkerData, current_support, save_worker

    worker = save_worker(WorkerData(first_name="Kasia"), manager)
    client = signed_in("supervisor", display_name="Tomasz")
    url = f"/workers/{worker.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Wsparcie na tablecie" in page
    assert "Wsparcie w czasie" not in page  # nothing set yet: the defaults apply

    first = client.submit(f"{url}/support", support_form(audio_autoplay="y",
                                                         steps_per_screen="1"), page=url)
    assert first.status_code == 302
    # Later the coach fades support: no voice by itself, two simple steps on a screen.
    client.submit(f"{url}/support", support_form(steps_per_screen="2"), page=url)
    client.submit(f"{url}/support", support_form(steps_per_screen="2"), page=url)  # same again

    rows = db_session.scalars(select(SupportProfile).order_by(SupportProfile.id)).all()
    assert [(r.audio_autoplay, r.steps_per_screen) for r in rows] == [(True, 1), (False, 2)]
    assert current_support(worker.id).steps_per_screen == 2
    page = client.get(url).get_data(as_text=True)
    assert "Wsparcie w czasie" in page
    table = page.split("Wsparcie w czasie")[1].split("</table>")[0]
    assert table.count("<td>Tomasz</td>") == 2


def test_an_alert_before_the_reminder_is_refused_next_to_the_field(signed_in, manager,
                                                                   db_session):
    from shopfloor.workers.services import WorkerData, save_worker

    worker = save_worker(WorkerData(first_name="Kasia"), manager)
    client = signed_in("supervisor")
    url = f"/workers/{worker.id}"
    response = client.submit(f"{url}/support", support_form(idle_reminder_minutes="10",
                                                            idle_alert_minutes="5"), page=url)
    assert response.status_code == 422
    assert "Alarm przychodzi po przypomnieniu" in response.get_data(as_text=True)
    assert db_session.scalar(select(SupportProfile)) is None


def test_the_board_marks_a_worker_idle_after_their_own_alert_time(floor, manager):
    from shopfloor.floor.board import build_board
    from shopfloor.workers.services import SupportData, set_support

    started = floor.session.started_at
    row = build_board(started + timedelta(minutes=8)).stations[0].workers[0]
    assert row.idle is False  # default alert after 10 minutes
    set_support(floor.worker, SupportData(idle_reminder_minutes=2, idle_alert_minutes=5), manager)
    row = build_board(started + timedelta(minutes=8)).stations[0].workers[0]
    assert row.idle is True


def test_waiting_for_a_timer_step_is_not_idle(floor, manager, db_session):
    """After Done on the step before a 30-minute setting time, 20 quiet minutes are fine."""
    import uuid

    from shopfloor.floor.board import build_board
    from shopfloor.floor.services import record_step_event
    from shopfloor.instructions.services import (
        StepData,
        add_step,
        move_step,
        new_draft,
        publish_version,
        set_step_photo,
    )
    from tests.conftest import floor_photo

    draft = new_draft(floor.instruction, manager)
    timer = add_step(draft, StepData("timer", "Poczekaj. Mydło stygnie.", "Forma", "wait",
                                     settings={"minutes": 30}), manager)
    set_step_photo(timer, floor_photo(), manager)
    move_step(timer, 2, manager)
    publish_version(draft, manager)
    floor.batch.instruction_version_id = draft.id
    db_session.commit()
    first = draft.steps[0]
    done = record_step_event(floor.session, floor.batch, first, "done", str(uuid.uuid4()),
                             now=floor.session.started_at).event
    row = build_board(done.received_at + timedelta(minutes=20)).stations[0].workers[0]
    assert row.idle is False
    row = build_board(done.received_at + timedelta(minutes=45)).stations[0].workers[0]
    assert row.idle is True
