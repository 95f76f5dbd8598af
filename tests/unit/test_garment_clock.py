"""The 14-day clock of returned garments as pure date arithmetic, the partner digest's week
key, and the settings of the weekly and clean-up jobs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shopfloor.config import ConfigError, load_settings
from shopfloor.lines.garment_clock import Clock, Stage, items_needing_alerts
from shopfloor.scheduling.partner_digest import week_key

RECEIVED = date(2026, 11, 7)


def clock_on(day: int) -> Clock:
    return Clock(RECEIVED, RECEIVED + timedelta(days=day))


def test_the_day_of_receipt_is_day_0_and_the_last_day_is_day_14():
    assert clock_on(0).day == 0 and clock_on(0).days_left == 14
    assert clock_on(0).due_on == date(2026, 11, 21)
    assert clock_on(14).days_left == 0
    assert clock_on(16).days_left == -2


def test_the_clock_warns_from_day_10_and_says_over_from_day_14():
    assert [clock_on(day).stage for day in (-1, 0, 9, 10, 13, 14, 30)] == [
        None, None, None, Stage.WARNING, Stage.WARNING, Stage.OVER, Stage.OVER]
    assert clock_on(10).days_left == 4


def test_the_clock_counts_calendar_days_across_a_month_and_a_year_end():
    clock = Clock(date(2026, 12, 22), date(2027, 1, 1))
    assert (clock.day, clock.stage, clock.due_on) == (10, Stage.WARNING, date(2027, 1, 5))


def test_items_needing_alerts_reads_a_stored_record():
    record = {"items": [
        {"item_code": "IAB12CD3", "rma": "R1", "sku": "S1", "reason": "defect",
         "received_on": "2026-11-07"},
        {"item_code": "IXY98ZW7", "rma": "R2", "sku": "S2", "reason": "size",
         "received_on": "2026-11-08"},
        {"rma": "R3", "sku": "S3", "reason": "size", "received_on": None},
        {"rma": "R4", "sku": "S4", "reason": "size", "received_on": "not a date"},
    ]}
    [alert] = items_needing_alerts(5, "BXXXXXX7", record, date(2026, 11, 17))
    assert (alert.rma, alert.clock.stage, alert.clock.days_left) == ("R1", Stage.WARNING, 4)
    assert alert.dedupe_key == "garment-clock:5:IAB12CD3:day10"
    later = items_needing_alerts(5, "BXXXXXX7", record, date(2026, 11, 21))
    assert [(a.rma, a.clock.stage) for a in later] == [("R1", Stage.OVER),
                                                      ("R2", Stage.WARNING)]
    assert later[0].dedupe_key == "garment-clock:5:IAB12CD3:day14"
    assert items_needing_alerts(5, "BXXXXXX7", None, date(2026, 11, 21)) == []


def test_an_item_without_our_code_is_keyed_by_rma_and_sku():
    record = {"items": [{"rma": "R9", "sku": "S9", "reason": "defect",
                         "received_on": "2026-11-07"}]}
    [alert] = items_needing_alerts(8, "BXXXXXX7", record, date(2026, 11, 30))
    assert alert.dedupe_key == "garment-clock:8:R9/S9:day14"


@pytest.mark.parametrize(("day", "stage"), [(9, None), (10, Stage.WARNING),
                                            (13, Stage.WARNING), (14, Stage.OVER)])
def test_the_clock_runs_from_the_consumers_complaint_when_the_partner_gives_it(day, stage):
    complained = date(2026, 11, 2)  # five days before the parcel reached us
    record = {"items": [{"item_code": "RAB12CD3", "rma": "R1", "sku": "S1", "reason": "defect",
                         "received_on": "2026-11-07", "complaint_on": "2026-11-02"}]}
    alerts = items_needing_alerts(5, "BXXXXXX7", record, complained + timedelta(days=day))
    assert [a.clock.stage for a in alerts] == ([stage] if stage else [])
    if alerts:
        assert alerts[0].clock.from_complaint and alerts[0].clock.due_on == date(2026, 11, 16)
    # The same day counted from receipt: day 4 to 9, no alert yet.
    without = {"items": [{**record["items"][0], "complaint_on": None}]}
    if day < 14:
        assert items_needing_alerts(5, "BXXXXXX7", without, complained + timedelta(days=day)) \
            == []


def test_an_item_set_aside_is_named_by_its_code_and_sku_or_ean():
    record = {"items": [{"item_code": "RAB12CD3", "rma": "", "sku": "", "ean": "5901234123457",
                         "reason": "defect", "received_on": "2026-11-07"}]}
    [alert] = items_needing_alerts(5, "BXXXXXX7", record, date(2026, 11, 17))
    assert (alert.rma, alert.sku, alert.item_key) == ("", "5901234123457", "RAB12CD3")


def test_the_digest_week_key_follows_iso_weeks_across_the_year_end():
    assert week_key(3, date(2026, 11, 30)) == "partner-digest:3:2026-W49"
    assert week_key(3, date(2026, 12, 6)) == "partner-digest:3:2026-W49"  # Sunday
    # Thursday 31 December 2026 and Friday 1 January 2027 are the same ISO week.
    assert week_key(3, date(2026, 12, 31)) == week_key(3, date(2027, 1, 1)) \
        == "partner-digest:3:2026-W53"
    assert week_key(3, date(2027, 1, 4)) == "partner-digest:3:2027-W01"


def test_the_new_scheduler_settings_have_defaults_and_are_checked(tmp_path):
    settings = load_settings(tmp_path, environ={})
    assert (settings["scheduler.partner_digest_weekday"], settings["scheduler.partner_digest_hour"],
            settings["scheduler.keep_runs_days"]) == ("monday", 8, 90)
    env = load_settings(tmp_path, environ={"SHOPFLOOR_SCHEDULER_PARTNER_DIGEST_WEEKDAY": "friday"})
    assert env["scheduler.partner_digest_weekday"] == "friday"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("partner_digest_weekday", "Monday", "must be one of monday, tuesday"),
    ("partner_digest_weekday", "1", "must be one of monday"),
    ("partner_digest_hour", "24", "partner_digest_hour must be an hour from 0 to 23"),
    ("keep_runs_days", "0", "keep_runs_days must be at least 1"),
])
def test_bad_scheduler_settings_stop_start_up_with_a_message(tmp_path, key, value, message):
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path, environ={f"SHOPFLOOR_SCHEDULER_{key.upper()}": value})
    assert message in str(error.value)
