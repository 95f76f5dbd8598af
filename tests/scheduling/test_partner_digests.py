"""The partners' weekly status e-mail: who gets it, what it says (only the partner's own open
orders), once a week however often the job runs, delivered through the outbox to a real SMTP
server; and the contact form's "receives the weekly status e-mail" checkbox."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shopfloor.codes import format_code
from shopfloor.notifications.models import OutboxEmail
from shopfloor.partners.models import Partner, PartnerContact
from shopfloor.partners.services import ContactData
from shopfloor.scheduling.jobs import JOBS, run_job
from tests.conftest import TODAY
from tests.notifications.test_notifications import (  # noqa: F401 - the SMTP fixtures, reused
    _text,
    free_port,
    mail_settings,
    smtp_server,
)

# Monday 30 November 2026, 08:00 in Warsaw: ISO week 2026-W49.
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
WEEK = "2026-W49"


def _configure(app, monkeypatch, **values):
    """Override settings (dotted keys) on top of whatever is configured now."""
    current = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR",
                        replace(current, values={**current.values, **values}))


@pytest.fixture
def mail_on(app, monkeypatch, mail_settings):  # noqa: F811 - the imported fixture
    """E-mail configured (nothing listens: the mail stays in the outbox), in English when
    asked: mail_on(language="en")."""
    def configure(language: str = "pl"):
        mail_settings(free_port())
        _configure(app, monkeypatch, default_language=language)

    return configure


def _forecast(db_session, line, projected, risk, slack):
    from shopfloor.planning.models import LineForecast

    db_session.add(LineForecast(order_line_id=line.id, remaining_minutes=Decimal("120"),
                                projected_on=projected, slack_days=slack, risk=risk,
                                computed_at=NOW))


@pytest.fixture
def partners(db_session, manager, make_partner, make_product, make_order, make_batch):
    """Łąka (two contacts, only Ewa receives the digest) with two open orders, a draft and a
    cancelled one; Dąb (its own open order, Piotr receives it); a partner without open
    orders and an inactive one, both with a receiving contact."""
    from shopfloor.orders.services import change_order_status

    laka = make_partner(name="Mydlarnia Łąka Sp. z o.o.", contacts=[
        ContactData("Ewa Nowak", "Zakupy", "ewa@laka.example", status_digest=True),
        ContactData("Jan Kowalski", "Magazyn", "jan@laka.example")])
    soap = make_product(line="soap", code="MYD-LAW-100")
    soap.name = "Mydło lawendowe 100 g"
    on_time = make_order(partner=laka, product=soap, quantity="100",
                         due=TODAY + timedelta(days=14), reference="PO-ŁĄKA-7")
    batch = make_batch(order_line=on_time.lines[0], quantity="40")
    batch.status, batch.good_quantity = "done", Decimal(40)  # 40 made
    _forecast(db_session, on_time.lines[0], TODAY + timedelta(days=10), "on_track", 4)
    late = make_order(partner=laka, product=soap, quantity="250",
                      due=TODAY + timedelta(days=5), reference="")
    _forecast(db_session, late.lines[0], TODAY + timedelta(days=9), "late", -4)
    draft = make_order(partner=laka, product=soap, status="draft", reference="PO-DRAFT")
    cancelled = make_order(partner=laka, product=soap, reference="PO-CANCELLED")
    change_order_status(cancelled, "cancelled", manager, reason="partner withdrew")

    dab = make_partner(name="Hotel Pod Starym Dębem", contacts=[
        ContactData("Piotr Dąb", "", "piotr@dab.example", status_digest=True)])
    other = make_order(partner=dab, product=soap, quantity="30", reference="PO-DĄB-1")

    make_partner(name="Bez Zamówień S.A.", contacts=[
        ContactData("Olga Pusta", "", "olga@pusta.example", status_digest=True)])
    gone = make_partner(name="Dawny Partner Sp. z o.o.", contacts=[
        ContactData("Adam Dawny", "", "adam@dawny.example", status_digest=True)])
    make_order(partner=gone, product=soap, reference="PO-GONE")
    gone.active = False
    db_session.commit()
    return SimpleNamespace(laka=laka, dab=dab, on_time=on_time, late=late, draft=draft,
                           cancelled=cancelled, other=other)


def _mails() -> dict[str, OutboxEmail]:
    from shopfloor.extensions import db

    return {mail.recipient: mail for mail in db.session.scalars(select(OutboxEmail))}


def _contact_id(db_session, email: str) -> int:
    return db_session.scalar(select(PartnerContact.id).where(PartnerContact.email == email))


# ------------------------------------------------------------------ who gets what


def test_each_receiving_contact_of_an_active_partner_with_open_orders_gets_one_email(
        app, db_session, partners, mail_on):
    mail_on()
    run = run_job("partner_digests", now=NOW)
    assert run.outcome == "ok", run.error
    mails = _mails()
    # Not Jan (not ticked), not Olga (no open orders), not Adam (partner inactive).
    assert set(mails) == {"ewa@laka.example", "piotr@dab.example"}
    ewa = mails["ewa@laka.example"]
    assert ewa.dedupe_key == f"partner-digest:{_contact_id(db_session, ewa.recipient)}:{WEEK}"
    assert ewa.status == "pending"


def test_the_email_lists_the_partners_open_orders_with_progress_and_says_which_will_be_late(
        app, db_session, partners, mail_on):
    mail_on(language="en")
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    mail = _mails()["ewa@laka.example"]
    on_time, late = format_code(partners.on_time.code), format_code(partners.late.code)
    assert "week 49/2026" in mail.subject
    body = mail.body
    assert f"Order {on_time} (your reference PO-ŁĄKA-7): Confirmed" in body
    assert ("- Mydło lawendowe 100 g: ordered 100 pcs, made 40 pcs, shipped 0 pcs; "
            "due December 11, 2026; expected completion: December 7, 2026.") in body
    assert f"Order {late}: Confirmed" in body  # no reference, no empty brackets
    assert ("This order will be late: it is due December 2, 2026 and we expect to finish it "
            "on December 6, 2026.") in body
    assert ("ordered 250 pcs, made 0 pcs, shipped 0 pcs; due December 2, 2026; expected "
            "completion: December 6, 2026, which is after the due date.") in body
    # The earlier due order first; the on-time one says nothing about being late.
    assert body.index(late) < body.index(on_time)
    assert body.count("will be late") == 1


def test_the_email_never_names_another_partners_orders_nor_closed_or_draft_ones(
        app, db_session, partners, mail_on):
    mail_on(language="en")
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    mails = _mails()
    laka, dab = mails["ewa@laka.example"].body, mails["piotr@dab.example"].body
    other = format_code(partners.other.code)
    assert other not in laka and "PO-DĄB-1" not in laka and "Dębem" not in laka
    for order in (partners.on_time, partners.late):
        assert format_code(order.code) not in dab
    assert "PO-ŁĄKA-7" not in dab and "Łąka" not in dab
    assert f"Order {other} (your reference PO-DĄB-1)" in dab
    for order in (partners.draft, partners.cancelled):
        assert format_code(order.code) not in laka
    assert "PO-DRAFT" not in laka and "PO-CANCELLED" not in laka


def test_a_line_without_a_forecast_position_in_the_horizon_says_so(
        app, db_session, partners, mail_on):
    from shopfloor.planning.models import LineForecast

    row = db_session.get(LineForecast, partners.late.lines[0].id)
    row.projected_on, row.slack_days = None, None
    db_session.delete(db_session.get(LineForecast, partners.on_time.lines[0].id))
    db_session.commit()
    mail_on(language="en")
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    body = _mails()["ewa@laka.example"].body
    assert ("This order will be late: it is due December 2, 2026 and we cannot yet name the "
            "day it will be finished.") in body
    assert "expected completion: not within the planning horizon, which is after" in body
    assert "expected completion not calculated yet" in body  # the on-time order's line


def test_the_email_is_written_in_the_default_language_polish(app, db_session, partners,
                                                            mail_on):
    mail_on()
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    body = _mails()["ewa@laka.example"].body
    # Dates, units and status names as a Polish reader gets them.
    assert "11 grudnia 2026" in body and "100 szt." in body and "Potwierdzone" in body
    assert "December" not in body and "pcs" not in body


# ------------------------------------------------------------------ once a week


def test_a_second_run_in_the_same_week_queues_nothing_and_the_next_week_sends_again(
        app, db_session, partners, mail_on, manager):
    from shopfloor.partners.services import PartnerData, save_partner

    mail_on()
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    # The manager saves Łąka's form mid-week (same people): this week's e-mail stays sent.
    laka = partners.laka
    save_partner(PartnerData(name=laka.name, lines=laka.line_codes, contacts=[
        ContactData("Jan Kowalski", "Magazyn", "jan@laka.example"),
        ContactData("Ewa Nowak", "Zakupy i jakość", "EWA@laka.example", status_digest=True)]),
        manager, laka, expected_version=laka.version)
    again = run_job("partner_digests", now=NOW + timedelta(days=2, hours=5))
    assert again.outcome == "ok"
    assert db_session.scalar(select(func.count(OutboxEmail.id))) == 2
    next_week = run_job("partner_digests", now=NOW + timedelta(days=7))
    assert next_week.outcome == "ok"
    keys = set(db_session.scalars(select(OutboxEmail.dedupe_key)))
    assert len(keys) == 4 and {k.rsplit(":", 1)[1] for k in keys} == {WEEK, "2026-W50"}


def test_nothing_is_queued_while_email_is_off(app, db_session, partners):
    run = run_job("partner_digests", now=NOW)
    assert run.outcome == "ok" and "smtp.host" in run.summary
    assert _mails() == {}


# ------------------------------------------------------------------ delivery


def test_the_digest_is_delivered_by_the_outbox_to_a_real_smtp_server(
        app, db_session, partners, smtp_server):  # noqa: F811 - the imported fixture
    _controller, handler = smtp_server()
    assert run_job("partner_digests", now=NOW).outcome == "ok"
    # The outbox sends what is due by the clock (the mails were queued now, whatever week
    # the digest was for), so it runs at the real time.
    sent = run_job("send_outbox")
    assert sent.outcome == "ok" and "Sent 2 e-mail(s), 0 failed" in sent.summary
    delivered = {tuple(rcpt): message for rcpt, message in handler.messages}
    message = delivered[("ewa@laka.example",)]
    assert "49/2026" in message["Subject"]
    text = _text(message)
    assert format_code(partners.on_time.code) in text and "PO-ŁĄKA-7" in text
    assert "11 grudnia 2026" in text  # Polish survives the trip (UTF-8)
    assert format_code(partners.other.code) not in text
    db_session.expire_all()
    assert {m.status for m in _mails().values()} == {"sent"}


def test_run_job_command_queues_the_digests(app, db_session, partners, mail_on):
    mail_on()
    result = app.test_cli_runner().invoke(args=["run-job", "partner_digests"])
    assert result.exit_code == 0, result.output
    assert set(_mails()) == {"ewa@laka.example", "piotr@dab.example"}


# ------------------------------------------------------------------ schedule


def test_the_digest_runs_weekly_on_the_configured_day_and_hour(app, monkeypatch):
    from flask_babel import force_locale

    _configure(app, monkeypatch, **{"scheduler.partner_digest_weekday": "friday",
                                    "scheduler.partner_digest_hour": 14})
    schedule = JOBS["partner_digests"].schedule(app.config["SHOPFLOOR"])
    assert (schedule.trigger, dict(schedule.fields)) == (
        "cron", {"day_of_week": 4, "hour": 14, "minute": 0})
    with app.test_request_context(), force_locale("en"):
        assert str(schedule.label) == "Every week, Friday at 14:00"


# ------------------------------------------------------------------ the contact form


def _checkbox(page: str, row: int) -> str:
    """The weekly e-mail checkbox's tag of a contact row."""
    return re.search(rf'<input[^>]*id="contacts-{row}-status_digest"[^>]*>', page).group(0)


def _contact_form(**rows) -> dict:
    form = {"name": "Mydlarnia Łąka Sp. z o.o.", "lines": ["soap"], "active": "y"}
    form.update(rows)
    return form


def test_the_weekly_email_checkbox_on_the_contact_form_saves(signed_in, db_session):
    client = signed_in("manager", language="en")
    response = client.submit("/partners/new", _contact_form(**{
        "contacts-0-name": "Ewa Nowak", "contacts-0-email": "ewa@laka.example",
        "contacts-0-status_digest": "y",
        "contacts-1-name": "Jan Kowalski", "contacts-1-email": "jan@laka.example"}))
    assert response.status_code == 302, response.get_data(as_text=True)
    partner = db_session.scalar(select(Partner))
    assert [(c.name, c.status_digest) for c in partner.contacts] == [
        ("Ewa Nowak", True), ("Jan Kowalski", False)]
    ewa_id = partner.contacts[0].id
    detail = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Weekly status e-mail" in detail

    edit = client.get(f"/partners/{partner.id}/edit").get_data(as_text=True)
    assert "checked" in _checkbox(edit, 0) and "checked" not in _checkbox(edit, 1)
    assert 'aria-label="Receives the weekly status e-mail 1"' in _checkbox(edit, 0)

    # Untick Ewa, tick Jan.
    response = client.submit(f"/partners/{partner.id}/edit", _contact_form(**{
        "version": str(partner.version),
        "contacts-0-name": "Ewa Nowak", "contacts-0-email": "ewa@laka.example",
        "contacts-1-name": "Jan Kowalski", "contacts-1-email": "jan@laka.example",
        "contacts-1-status_digest": "y"}))
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    partner = db_session.get(Partner, partner.id)
    assert [(c.name, c.status_digest) for c in partner.contacts] == [
        ("Ewa Nowak", False), ("Jan Kowalski", True)]
    assert partner.contacts[0].id == ewa_id  # the same person keeps their row


def test_ticking_the_weekly_email_for_a_contact_without_an_address_is_refused(
        signed_in, db_session):
    client = signed_in("manager", language="en")
    response = client.submit("/partners/new", _contact_form(**{
        "contacts-0-name": "Ewa Nowak", "contacts-0-phone": "600 100 200",
        "contacts-0-status_digest": "y"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ewa Nowak has no e-mail address for the weekly status e-mail" in page
    assert 'value="600 100 200"' in page  # what was typed stays
    assert db_session.scalar(select(func.count(Partner.id))) == 0
