"""Stations (shared tablets) and workers signing in on them without memory tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shopfloor.stations.rules import (
    GRID_MAX,
    GRID_MIN,
    BadgeCheck,
    WorkerSignInLimits,
    check_badge,
    code_in_scan,
    picture_grid,
    sign_in_locked_until,
    token_hash,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BASE_URL = "https://shopfloor.example.org"


@pytest.fixture
def st():
    """The stations and sign-in services under one name."""
    from types import SimpleNamespace

    from shopfloor.stations import services, signin

    return SimpleNamespace(**{**vars(services), **vars(signin)})


@pytest.fixture
def supervisor(make_user):
    return make_user(username="coach", role="supervisor", display_name="Ola Opiekun")


@pytest.fixture
def make_worker(db_session, manager):
    """make_worker("Kasia", method="picture", photo=True, active=True)."""
    from shopfloor.workers.services import WorkerData, save_worker

    def build(first_name: str = "Kasia", method: str = "badge", photo: bool = True,
              active: bool = True):
        worker = save_worker(WorkerData(first_name=first_name, sign_in_method=method,
                                        active=active), manager)
        if photo:  # the file itself does not matter to sign-in, only that there is one
            worker.photo = f"{first_name.lower()}.jpg"
            db_session.commit()
        return worker

    return build


@pytest.fixture
def make_station(st, supervisor):
    """make_station("Stół mydlarski 1", workers=[...]) -> (station, token)."""

    def build(name: str = "Stół mydlarski 1", line: str | None = "soap", workers=()):
        station, token = st.enrol_station(name, line, supervisor)
        if workers:
            st.set_expected_workers(station, [w.id for w in workers], supervisor)
        return station, token

    return build


def badge_url(worker) -> str:
    return f"{BASE_URL}/s/{worker.code}"


def refusal(st, call, *args, **kwargs) -> str:
    with pytest.raises(st.WorkerSignInRefused) as caught:
        call(*args, **kwargs)
    return str(caught.value.message)


def attempts(db_session, worker):
    from shopfloor.stations.models import WorkerSignInAttempt

    return list(db_session.scalars(select(WorkerSignInAttempt)
                                   .where(WorkerSignInAttempt.worker_id == worker.id)
                                   .order_by(WorkerSignInAttempt.id)))


# ---------------------------------------------------------------- pure rules


def test_the_picture_grid_holds_the_worker_once_among_distinct_others():
    for size in range(GRID_MIN, GRID_MAX + 1):
        for seed in range(20):
            grid = picture_grid(7, [1, 2, 3, 7, 3, 4, 5, 6, 8, 9], size, Random(seed))
            assert len(grid) == size
            assert grid.count(7) == 1
            assert len(set(grid)) == size
            assert set(grid) <= {1, 2, 3, 4, 5, 6, 7, 8, 9}
    positions = {picture_grid(7, range(1, 10), 6, Random(seed)).index(7) for seed in range(40)}
    assert len(positions) > 3  # shuffled: the worker's own photo is not always first


def test_the_picture_grid_is_shorter_when_there_are_few_others_and_refuses_odd_sizes():
    assert sorted(picture_grid(1, [2, 3], 6, Random(1))) == [1, 2, 3]
    for size in (GRID_MIN - 1, GRID_MAX + 1):
        with pytest.raises(ValueError):
            picture_grid(1, range(2, 20), size, Random(1))


def test_a_scan_is_a_badge_link_or_a_bare_code(app):
    from shopfloor.codes import format_code, new_code

    code = new_code("P")
    for text in (code, format_code(code).lower(), f" {code}\r\n", f"{BASE_URL}/s/{code}",
                 f"{BASE_URL}/s/{code}/", f"/s/{code}"):
        assert code_in_scan(text) == code, text
    misread = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert code_in_scan(misread) is None
    assert code_in_scan(f"{BASE_URL}/s/") is None
    assert code_in_scan("") is None and code_in_scan(None) is None
    assert check_badge(code, code) is BadgeCheck.MATCH
    assert check_badge(new_code("P"), code) is BadgeCheck.OTHER_BADGE
    assert check_badge(new_code("B"), code) is BadgeCheck.NOT_A_BADGE
    assert check_badge(misread, code) is BadgeCheck.UNREADABLE


def test_the_lock_opens_when_the_oldest_counted_failure_leaves_the_window():
    limits = WorkerSignInLimits(per_worker=2, per_station=3, window=timedelta(minutes=15))
    one_min, five_min = timedelta(minutes=1), timedelta(minutes=5)
    assert sign_in_locked_until([NOW - one_min], [], limits, NOW) is None
    assert (sign_in_locked_until([NOW - five_min, NOW - one_min], [], limits, NOW)
            == NOW - five_min + limits.window)
    station_failures = [NOW - five_min, NOW - one_min, NOW]
    assert sign_in_locked_until([], station_failures, limits, NOW) == NOW - five_min + \
        limits.window
    assert sign_in_locked_until([NOW - timedelta(minutes=20)] * 5, [], limits, NOW) is None


def test_worker_messages_are_short_sentences(st):
    messages = [value for name, value in vars(st).items() if name.startswith("MSG_")]
    assert len(messages) >= 10
    for message in messages:
        for sentence in filter(None, re.split(r"[.!?]\s*", str(message))):
            assert len(sentence.split()) <= 10, message


# ---------------------------------------------------------------- stations


def test_enrolling_returns_a_token_that_finds_the_station_and_only_its_hash_is_stored(
        st, supervisor, db_session):
    from shopfloor.audit.services import history
    from shopfloor.stations.models import Station

    station, token = st.enrol_station("  Stół   mydlarski 1 ", "soap", supervisor)
    assert len(token) >= 40
    assert station.name == "Stół mydlarski 1" and station.line == "soap"
    assert station.enrolled_by == supervisor.id and station.active
    db_session.expire_all()
    stored = db_session.get(Station, station.id)
    assert stored.token_hash == token_hash(token) != token
    row = [str(getattr(stored, c.key)) for c in Station.__table__.columns]
    assert not any(token in value for value in row)
    assert st.station_for_token(token).id == station.id
    assert st.station_for_token(token + "x") is None
    assert st.station_for_token("") is None and st.station_for_token(None) is None
    assert [e.action for e in history(station)] == ["created"]


def test_station_names_are_unique_and_lines_come_from_the_list(st, supervisor):
    st.enrol_station("Stół 1", None, supervisor)
    with pytest.raises(st.DomainError) as caught:
        st.enrol_station("Stół 1", "harness", supervisor)
    assert caught.value.field == "name"
    with pytest.raises(st.DomainError) as caught:
        st.enrol_station("Stół 2", "bakery", supervisor)
    assert caught.value.field == "line"
    with pytest.raises(st.DomainError) as caught:
        st.enrol_station("   ", None, supervisor)
    assert caught.value.field == "name"


def test_a_revoked_station_is_not_found_and_its_workers_are_signed_out(
        st, supervisor, make_worker, make_station, db_session):
    from shopfloor.audit.services import history

    kasia = make_worker("Kasia")
    station, token = make_station(workers=[kasia])
    session = st.finish_sign_in(station, kasia.id, badge_url(kasia), NOW)
    with pytest.raises(st.DomainError) as caught:
        st.revoke_station(station, supervisor, "  ")
    assert caught.value.field == "reason"
    assert st.station_for_token(token) is not None

    st.revoke_station(station, supervisor, "Tablet lost", now=NOW + timedelta(hours=1))
    assert st.station_for_token(token) is None
    db_session.expire_all()
    assert session.ended_at == NOW + timedelta(hours=1)
    assert st.open_sessions(station) == []
    entry = history(station)[0]
    assert (entry.from_status, entry.to_status, entry.reason) == ("active", "revoked",
                                                                  "Tablet lost")
    assert "zablokowany" in refusal(st, st.start_sign_in, station, kasia.id)
    with pytest.raises(st.DomainError):
        st.revoke_station(station, supervisor, "again")


def test_re_enrolling_a_revoked_station_gives_a_new_token_and_keeps_its_workers(
        st, supervisor, make_worker, make_station):
    kasia = make_worker("Kasia")
    station, old_token = make_station(workers=[kasia])
    st.revoke_station(station, supervisor, "New tablet")
    new_token = st.reenrol_station(station, supervisor)
    assert st.station_for_token(old_token) is None
    assert st.station_for_token(new_token).id == station.id
    assert [w.id for w in st.expected_workers(station)] == [kasia.id]


def test_a_station_moves_to_another_tablet_and_the_old_one_is_shut_out(
        st, supervisor, make_worker, make_station):
    kasia = make_worker("Kasia")
    station, old_token = make_station(workers=[kasia])
    new_token = st.reenrol_station(station, supervisor)
    assert st.station_for_token(old_token) is None
    assert st.station_for_token(new_token).id == station.id
    assert station.active
    assert [w.id for w in st.expected_workers(station)] == [kasia.id]


def test_last_seen_is_written_at_most_once_a_minute_without_a_new_version(st, make_station,
                                                                           db_session):
    station, token = make_station()
    version = station.version
    st.station_for_token(token, now=NOW)
    st.station_for_token(token, now=NOW + timedelta(seconds=30))
    db_session.expire_all()
    assert station.last_seen_at == NOW and station.version == version
    st.station_for_token(token, now=NOW + timedelta(seconds=61))
    db_session.expire_all()
    assert station.last_seen_at == NOW + timedelta(seconds=61) and station.version == version


def test_the_expected_workers_are_set_from_known_workers_and_audited(
        st, supervisor, make_worker, make_station):
    from shopfloor.audit.services import history

    kasia, tomek, ola = make_worker("Kasia"), make_worker("Tomek"), make_worker("Ola")
    retired = make_worker("Jan", active=False)
    station, _token = make_station(workers=[kasia, tomek, retired])
    assert [w.first_name for w in st.expected_workers(station)] == ["Kasia", "Tomek"]
    st.set_expected_workers(station, [tomek.id, str(ola.id)], supervisor)
    assert [w.first_name for w in st.expected_workers(station)] == ["Ola", "Tomek"]
    before, after = history(station)[0].changes["workers"]
    assert [n.split()[0] for n in before] == ["Jan", "Kasia", "Tomek"]
    assert [n.split()[0] for n in after] == ["Ola", "Tomek"]
    with pytest.raises(st.DomainError) as caught:
        st.set_expected_workers(station, [tomek.id, 999_999], supervisor)
    assert caught.value.field == "workers"


# ---------------------------------------------------------------- badge sign-in


def test_a_worker_signs_in_by_scanning_the_badge_link_or_the_bare_code(
        st, make_worker, make_station, db_session):
    from shopfloor.codes import format_code

    kasia, tomek = make_worker("Kasia"), make_worker("Tomek")
    station, _token = make_station(workers=[kasia, tomek])
    challenge = st.start_sign_in(station, kasia.id, now=NOW)
    assert (challenge.worker_id, challenge.method, challenge.grid) == (kasia.id, "badge", [])

    session = st.finish_sign_in(station, kasia.id, badge_url(kasia), NOW)
    assert (session.station_id, session.worker_id, session.started_at) == (station.id,
                                                                           kasia.id, NOW)
    assert session.ended_at is None
    other = st.finish_sign_in(station, tomek.id, format_code(tomek.code).lower(), NOW)
    # A shared table: both are signed in on the same station.
    assert [s.id for s in st.open_sessions(station)] == [session.id, other.id]
    assert [a.succeeded for a in attempts(db_session, kasia)] == [True]


def test_a_wrong_badge_fails_and_counts_but_a_misread_does_not(
        st, make_worker, make_station, db_session):
    from shopfloor.codes import new_code

    kasia, tomek = make_worker("Kasia"), make_worker("Tomek")
    station, _token = make_station(workers=[kasia, tomek])

    message = refusal(st, st.finish_sign_in, station, kasia.id, badge_url(tomek), NOW)
    assert message == "To nie jest twój identyfikator. Spróbuj jeszcze raz."
    assert [(a.succeeded, a.station_id) for a in attempts(db_session, kasia)] == [
        (False, station.id)]

    misread = kasia.code[:-1] + ("2" if kasia.code[-1] != "2" else "3")
    assert "nie odczytał kodu" in refusal(st, st.finish_sign_in, station, kasia.id, misread, NOW)
    assert "To nie jest identyfikator" in refusal(st, st.finish_sign_in, station, kasia.id,
                                    new_code("B"), NOW)
    assert len(attempts(db_session, kasia)) == 1
    assert st.open_sessions(station) == []


def test_five_failures_lock_the_worker_until_a_supervisor_unlocks(
        st, supervisor, make_worker, make_station, db_session):
    from shopfloor.audit.services import history

    kasia, tomek = make_worker("Kasia"), make_worker("Tomek")
    station, _token = make_station(workers=[kasia, tomek])
    messages = [refusal(st, st.finish_sign_in, station, kasia.id, tomek.code,
                        NOW + timedelta(minutes=i)) for i in range(5)]
    assert messages[:4] == ["To nie jest twój identyfikator. Spróbuj jeszcze raz."] * 4
    assert messages[4] == "Za dużo prób. Zawołaj opiekuna."

    later = NOW + timedelta(minutes=6)
    with pytest.raises(st.WorkerSignInRefused) as caught:
        st.finish_sign_in(station, kasia.id, kasia.code, later)  # even the right badge
    assert caught.value.locked and "Zawołaj opiekuna" in str(caught.value.message)
    assert caught.value.retry_at == NOW + timedelta(minutes=15)
    assert "Zawołaj opiekuna" in refusal(st, st.start_sign_in, station, kasia.id, now=later)
    assert len(attempts(db_session, kasia)) == 5  # refused while locked: not even tried
    # Another worker at the same table is not locked.
    assert st.finish_sign_in(station, tomek.id, tomek.code, later).worker_id == tomek.id

    assert st.unlock_worker(kasia, supervisor, now=later) == 5
    assert history(kasia)[0].changes == {"sign_in_lock": ["locked", "unlocked"]}
    assert st.worker_locked_until(kasia, station, later) is None
    assert st.finish_sign_in(station, kasia.id, kasia.code, later).worker_id == kasia.id
    assert [a.cleared_at is not None for a in attempts(db_session, kasia)] == [True] * 5 + [
        False]


def test_old_failures_and_failures_before_a_success_do_not_count(
        st, make_worker, make_station):
    kasia, tomek = make_worker("Kasia"), make_worker("Tomek")
    station, _token = make_station(workers=[kasia, tomek])
    for i in range(4):
        refusal(st, st.finish_sign_in, station, kasia.id, tomek.code, NOW + timedelta(seconds=i))
    st.finish_sign_in(station, kasia.id, kasia.code, NOW + timedelta(minutes=1))
    for i in range(4):
        message = refusal(st, st.finish_sign_in, station, kasia.id, tomek.code,
                          NOW + timedelta(minutes=2, seconds=i))
        assert "Spróbuj jeszcze raz" in message
    # 20 minutes on, the four recent failures have left the 15-minute window.
    assert "Spróbuj jeszcze raz" in refusal(st, st.finish_sign_in, station, kasia.id, tomek.code,
                                  NOW + timedelta(minutes=22))


def test_many_failures_on_one_station_lock_the_station_until_unlocked(
        st, supervisor, make_worker, make_station):
    limits = WorkerSignInLimits(per_worker=5, per_station=3)
    kasia, tomek, ola = make_worker("Kasia"), make_worker("Tomek"), make_worker("Ola")
    station, _token = make_station(workers=[kasia, tomek, ola])
    other_station, _ = make_station("Stół 2", workers=[ola])
    for worker in (kasia, tomek, kasia):
        refusal(st, st.finish_sign_in, station, worker.id, ola.code, NOW, limits=limits)
    assert "Zawołaj opiekuna" in refusal(st, st.start_sign_in, station, ola.id, now=NOW,
                                            limits=limits)
    assert st.start_sign_in(other_station, ola.id, now=NOW, limits=limits).method == "badge"
    assert st.unlock_station(station, supervisor, now=NOW) == 3
    assert st.finish_sign_in(station, ola.id, ola.code, NOW, limits=limits).worker_id == ola.id


# ---------------------------------------------------------------- picture sign-in


def test_a_worker_signs_in_by_picking_the_own_photo_from_a_grid(
        st, make_worker, make_station, db_session):
    kasia = make_worker("Kasia", method="picture")
    others = [make_worker(name) for name in ("Tomek", "Ola", "Jan", "Ewa", "Piotr", "Ala")]
    make_worker("Bez Zdjęcia", photo=False)
    make_worker("Dawny", active=False)
    station, _token = make_station(workers=[kasia])

    challenge = st.start_sign_in(station, kasia.id, now=NOW, rng=Random(3))
    assert challenge.method == "picture" and len(challenge.grid) == 6
    assert challenge.grid.count(kasia.id) == 1 and len(set(challenge.grid)) == 6
    assert set(challenge.grid) - {kasia.id} <= {w.id for w in others}
    assert len(st.start_sign_in(station, kasia.id, now=NOW, grid_size=4).grid) == 4

    wrong = next(i for i in challenge.grid if i != kasia.id)
    assert refusal(st, st.finish_sign_in, station, kasia.id, str(wrong), NOW) == \
        "To nie jest twoje zdjęcie. Spróbuj jeszcze raz."
    assert [a.succeeded for a in attempts(db_session, kasia)] == [False]
    session = st.finish_sign_in(station, kasia.id, str(kasia.id), NOW)
    assert session.worker_id == kasia.id and session.ended_at is None


def test_picture_sign_in_needs_the_own_photo_and_enough_others(st, make_worker, make_station):
    kasia = make_worker("Kasia", method="picture")
    tomek = make_worker("Tomek", method="picture", photo=False)
    make_worker("Ola")
    station, _token = make_station(workers=[kasia, tomek])
    assert "Brakuje twojego zdjęcia" in refusal(st, st.start_sign_in, station, tomek.id, now=NOW)
    assert "za mało zdjęć" in refusal(st, st.start_sign_in, station, kasia.id, now=NOW)


# ---------------------------------------------------------------- who may sign in


def test_an_inactive_worker_or_one_not_expected_here_is_refused(
        st, make_worker, make_station, db_session):
    kasia, tomek = make_worker("Kasia"), make_worker("Tomek")
    retired = make_worker("Jan", active=False)
    station, _token = make_station(workers=[kasia, retired])
    assert refusal(st, st.start_sign_in, station, tomek.id, now=NOW) == \
        "Nie ma cię na liście tego tabletu. Zawołaj opiekuna."
    assert "liście" in refusal(st, st.finish_sign_in, station, tomek.id, tomek.code, NOW)
    assert refusal(st, st.start_sign_in, station, retired.id, now=NOW) == \
        "Teraz nie możesz się zalogować. Zawołaj opiekuna."
    assert "nie możesz się zalogować" in refusal(st, st.finish_sign_in, station, retired.id,
                                       retired.code, NOW)
    assert "liście" in refusal(st, st.start_sign_in, station, 999_999, now=NOW)
    assert "liście" in refusal(st, st.start_sign_in, station, "not a number", now=NOW)
    assert attempts(db_session, tomek) == [] and attempts(db_session, retired) == []


# ---------------------------------------------------------------- sessions


def test_signing_in_elsewhere_ends_the_previous_session(st, make_worker, make_station,
                                                        db_session):
    kasia = make_worker("Kasia")
    first, _ = make_station("Stół 1", workers=[kasia])
    second, _ = make_station("Stół 2", workers=[kasia])
    session = st.finish_sign_in(first, kasia.id, kasia.code, NOW)
    again = st.finish_sign_in(first, kasia.id, kasia.code, NOW + timedelta(minutes=1))
    assert again.id == session.id  # already signed in here: the same session goes on

    moved = st.finish_sign_in(second, kasia.id, kasia.code, NOW + timedelta(hours=1))
    db_session.expire_all()
    assert session.ended_at == NOW + timedelta(hours=1)
    assert st.open_sessions(first) == []
    assert [s.id for s in st.open_sessions(second)] == [moved.id]

    st.sign_out_worker(moved, NOW + timedelta(hours=2))
    st.sign_out_worker(moved, NOW + timedelta(hours=3))  # a second tap changes nothing
    db_session.expire_all()
    assert moved.ended_at == NOW + timedelta(hours=2)
    assert st.open_sessions(second) == []


def test_the_database_allows_one_open_session_per_worker(st, make_worker, make_station,
                                                         db_session):
    from shopfloor.stations.models import WorkerSession

    kasia = make_worker("Kasia")
    first, _ = make_station("Stół 1", workers=[kasia])
    second, _ = make_station("Stół 2", workers=[kasia])
    db_session.add_all([WorkerSession(station_id=first.id, worker_id=kasia.id, started_at=NOW,
                                      ended_at=NOW + timedelta(hours=1)),
                        WorkerSession(station_id=first.id, worker_id=kasia.id, started_at=NOW)])
    db_session.commit()
    db_session.add(WorkerSession(station_id=second.id, worker_id=kasia.id, started_at=NOW))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_the_station_page_shows_a_locked_station_and_a_supervisor_unlocks_it(
        st, make_worker, make_station, signed_in):
    workers = [make_worker(name) for name in ("Kasia", "Tomek", "Ola", "Jan", "Ewa", "Piotr",
                                              "Ala")]
    station, _token = make_station(workers=workers)
    for n, worker in enumerate(workers):  # 21 wrong badges, 3 a worker: the station locks
        for _ in range(3):
            refusal(st, st.finish_sign_in, station, worker.id, workers[n - 1].code)
    assert st.station_locked_until(station) is not None
    assert "Zawołaj opiekuna" in refusal(st, st.start_sign_in, station, workers[0].id)

    client = signed_in("supervisor")
    page = client.get(f"/stations/{station.id}").get_data(as_text=True)
    assert "Odblokuj stanowisko" in page
    assert "Zablokowani po zbyt wielu próbach" not in page  # no worker is locked by their own
    response = client.submit(f"/stations/{station.id}/unlock", {},
                             page=f"/stations/{station.id}")
    assert response.status_code == 302
    assert st.station_locked_until(station) is None
    assert "Odblokuj stanowisko" not in client.get(f"/stations/{station.id}").get_data(
        as_text=True)
    assert st.start_sign_in(station, workers[0].id).method == "badge"
