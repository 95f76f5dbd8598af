"""The sign-in attempt limit as a pure rule."""

from datetime import UTC, datetime, timedelta

from shopfloor.auth.throttle import locked_until

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def minutes_ago(*minutes):
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_fewer_failures_than_the_limit_do_not_lock():
    assert locked_until(minutes_ago(1, 2, 3, 4), 5, WINDOW, NOW) is None


def test_reaching_the_limit_locks_until_the_oldest_counted_failure_leaves_the_window():
    failures = minutes_ago(1, 2, 3, 4, 10)
    assert locked_until(failures, 5, WINDOW, NOW) == NOW + timedelta(minutes=5)


def test_failures_older_than_the_window_do_not_count():
    assert locked_until(minutes_ago(1, 2, 3, 4, 16, 20), 5, WINDOW, NOW) is None


def test_more_failures_than_the_limit_lock_until_the_limit_th_latest_leaves():
    failures = minutes_ago(1, 2, 3, 4, 6, 9, 12)
    assert locked_until(failures, 5, WINDOW, NOW) == NOW + timedelta(minutes=9)


def test_a_limit_of_zero_turns_the_check_off():
    assert locked_until(minutes_ago(1, 2, 3), 0, WINDOW, NOW) is None
