"""The garment 14-day complaint clock: managers and supervisors hear about a returned item on
day 10 (not day 9) and again on day 14, once each however often the job runs; finished
batches are left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from shopfloor.notifications.models import Notification
from shopfloor.scheduling.jobs import JOBS, run_job
from tests.conftest import TODAY

RECEIVED = TODAY - timedelta(days=20)  # 7 November 2026; day 10 is 17 November


def on_day(day: int, hour_utc: int = 9) -> datetime:
    """A moment on day ``day`` of the clock (local date RECEIVED + day)."""
    local = RECEIVED + timedelta(days=day)
    return datetime(local.year, local.month, local.day, hour_utc, 0, tzinfo=UTC)


def item(rma: str, received=RECEIVED, sku: str = "KURTKA-M", reason: str = "defect") -> dict:
    return {"rma": rma, "sku": sku, "reason": reason,
            "received_on": received.isoformat() if received else None}


@pytest.fixture
def garments(make_product, make_batch):
    """make_garment_batch(items): a garments batch (planned) listing returned items."""
    product = make_product(line="garments", code="ZWROT-KURTKA")

    def build(*items):
        return make_batch(product=product, quantity=str(max(1, len(items))),
                          record={"items": list(items)})

    return build


@pytest.fixture
def staff(make_user, manager):
    """The manager (Polish), an English supervisor, a disabled supervisor."""
    ola = make_user(username="ola", role="supervisor", language="en")
    make_user(username="piotr", role="supervisor", active=False)
    return manager, ola


def _notes(db_session) -> list[Notification]:
    db_session.expire_all()
    return list(db_session.scalars(select(Notification).order_by(Notification.id)))


def _run(day: int, hour_utc: int = 9):
    run = run_job("complaint_clock", now=on_day(day, hour_utc))
    assert run.outcome == "ok", run.error
    return run


def test_day_9_is_quiet_and_day_10_warns_managers_and_supervisors_once(
        db_session, garments, staff):
    manager, ola = staff
    batch = garments(item("RMA-1001"))
    _run(9)
    assert _notes(db_session) == []
    _run(10)
    _run(10, hour_utc=15)
    _run(11)  # still the same stage: nothing new
    notes = _notes(db_session)
    assert sorted(n.user_id for n in notes) == sorted([manager.id, ola.id])
    english = next(n for n in notes if n.user_id == ola.id)
    assert english.subject == "RMA RMA-1001: 4 days left to answer (due Nov 21, 2026)"
    assert "KURTKA-M" in english.body and "art. 7a" in english.body
    assert english.link == f"/batches/{batch.id}"
    assert english.kind == "complaint_clock"


def test_the_day_starts_at_local_midnight(db_session, garments, staff):
    garments(item("RMA-1002"))
    # 23:30 UTC on day 9 is 00:30 in Warsaw on day 10.
    _run(9, hour_utc=0)
    assert _notes(db_session) == []
    late_evening = on_day(9).replace(hour=23, minute=30)
    assert run_job("complaint_clock", now=late_evening).outcome == "ok"
    assert len(_notes(db_session)) == 2


def test_day_14_brings_a_second_stronger_alert_once(db_session, garments, staff):
    _manager, ola = staff
    garments(item("RMA-1003"))
    _run(10)
    _run(13)
    _run(14)
    _run(14, hour_utc=16)
    _run(20)
    mine = [n for n in _notes(db_session) if n.user_id == ola.id]
    assert [n.subject for n in mine] == [
        "RMA RMA-1003: 4 days left to answer (due Nov 21, 2026)",
        "RMA RMA-1003: the 14 days are up, today (Nov 21, 2026) is the last day to answer"]
    assert len({n.dedupe_key for n in mine}) == 2


def test_an_item_first_seen_after_day_14_gets_only_the_last_alert(db_session, garments, staff):
    _manager, ola = staff
    garments(item("RMA-1004", received=RECEIVED - timedelta(days=5)))
    _run(12)  # day 17 of this item
    [note] = [n for n in _notes(db_session) if n.user_id == ola.id]
    assert note.subject == ("RMA RMA-1004: the 14 days are over (the last day was "
                            "Nov 16, 2026)")


def test_a_complaint_date_starts_the_clock_before_the_parcel_came(db_session, garments,
                                                                  staff):
    _manager, ola = staff
    # Received on day 0 of RECEIVED, but the consumer complained 4 days before that.
    garments({**item("RMA-1006"), "complaint_on": (RECEIVED - timedelta(days=4)).isoformat()})
    _run(5)  # day 9 from the complaint
    assert _notes(db_session) == []
    _run(6)  # day 10 from the complaint, only day 6 from receipt
    [note] = [n for n in _notes(db_session) if n.user_id == ola.id]
    assert note.subject == "RMA RMA-1006: 4 days left to answer (due Nov 17, 2026)"
    assert "complained on Nov 3, 2026" in note.body
    _run(10)  # day 14 from the complaint
    assert [n.subject for n in _notes(db_session) if n.user_id == ola.id][-1] == (
        "RMA RMA-1006: the 14 days are up, today (Nov 17, 2026) is the last day to answer")


def test_a_withdrawal_names_the_refund_rule(db_session, garments, staff):
    _manager, ola = staff
    garments(item("RMA-1005", reason="changed_mind"))
    _run(12)
    [note] = [n for n in _notes(db_session) if n.user_id == ola.id]
    assert note.subject == "RMA RMA-1005: 2 days left to answer (due Nov 21, 2026)"
    assert "art. 32" in note.body and "art. 7a" not in note.body


def test_each_item_of_a_batch_has_its_own_clock(db_session, garments, staff):
    _manager, ola = staff
    garments(item("RMA-1006", sku="A"), item("RMA-1007", sku="B",
                                              received=RECEIVED + timedelta(days=3)),
             item("RMA-1008", sku="C", received=None))
    _run(10)
    assert [n.subject.split(":")[0] for n in _notes(db_session) if n.user_id == ola.id] == [
        "RMA RMA-1006"]
    _run(13)
    assert [n.subject.split(":")[0] for n in _notes(db_session) if n.user_id == ola.id] == [
        "RMA RMA-1006", "RMA RMA-1007"]


def test_finished_batches_are_ignored_and_held_ones_are_not(db_session, garments, staff,
                                                            manager):
    from shopfloor.production.services import move_batch

    scrapped = garments(item("RMA-2001"))
    move_batch(scrapped, "scrapped", manager, reason="parcel lost")
    done = garments(item("RMA-2002"))
    done.status = "done"  # handled and signed off (the QC path has its own tests)
    held = garments(item("RMA-2003"))
    move_batch(held, "on_hold", manager, reason="waiting for the customer")
    db_session.commit()
    run = _run(12)
    subjects = {n.subject.split(":")[0] for n in _notes(db_session)}
    assert subjects == {"RMA RMA-2003"}
    assert run.summary


def test_the_clock_runs_every_hour(app):
    schedule = JOBS["complaint_clock"].schedule(app.config["SHOPFLOOR"])
    assert (schedule.trigger, dict(schedule.fields)) == ("interval", {"minutes": 60})
