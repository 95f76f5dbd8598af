"""Notifications: the inbox in each person's language, single alerts, and e-mail through the
outbox to a real SMTP server (aiosmtpd) that is sometimes down."""

from __future__ import annotations

import contextlib
import socket
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shopfloor.config import ConfigError, Settings, load_settings
from shopfloor.database import utcnow
from shopfloor.notifications import services
from shopfloor.notifications.models import MailStatus, Notification, OutboxEmail

POLISH_TEXT = "Zamówienie ZAM-7 może się spóźnić. Łódź, żółć, gęś."


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every message it accepts; it refuses nobody@ addresses."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


@pytest.fixture
def mail_settings(app, monkeypatch):
    """Point Shopfloor's SMTP settings at a port: mail_settings(port, max_attempts=...)
    (keyword arguments are smtp.* keys)."""
    original: Settings = app.config["SHOPFLOOR"]

    def configure(port: int, **extra):
        values = {**original.values, "smtp.host": "127.0.0.1", "smtp.port": port,
                  "smtp.security": "none", "smtp.timeout_seconds": 5,
                  "smtp.sender": "alerty@spoldzielnia.example",
                  **{f"smtp.{key}": value for key, value in extra.items()}}
        monkeypatch.setitem(app.config, "SHOPFLOOR", replace(original, values=values))

    return configure


@pytest.fixture
def smtp_server(mail_settings):
    """A real SMTP server on a free port, with Shopfloor configured to use it."""
    servers = []

    def start(port: int | None = None, **extra):
        handler = Collector()
        port = port or free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        mail_settings(port, **extra)
        return controller, handler

    yield start
    for controller in servers:
        with contextlib.suppress(AssertionError):  # already stopped by the test
            controller.stop()


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# --------------------------------------------------------------------------- the inbox


def test_each_person_reads_the_notice_in_their_own_language(make_user, db_session):
    ola = make_user(username="ola", role="supervisor", language="pl")
    john = make_user(username="john", role="manager", language="en")
    plain = make_user(username="basia", role="manager")  # no choice: the default, Polish

    created = services.notify([ola, john, plain], "test", "order-saved:1",
                              _l("%(name)s saved.", name="ZAM-1"), _l("Orders"),
                              link="/orders/1")
    db_session.commit()

    assert created == 3
    by_user = {n.user_id: n for n in db_session.scalars(select(Notification))}
    assert (by_user[ola.id].subject, by_user[ola.id].body) == ("Zapisano: ZAM-1.", "Zamówienia")
    assert (by_user[john.id].subject, by_user[john.id].body) == ("ZAM-1 saved.", "Orders")
    assert by_user[plain.id].subject == "Zapisano: ZAM-1."


def test_the_same_alert_raised_twice_reaches_each_person_once(make_user, db_session,
                                                               mail_settings):
    mail_settings(free_port())
    boss = make_user(username="boss2", role="manager", language="en")
    boss.email = "boss@example.com"
    db_session.commit()

    first = services.notify([boss], "deadline", "order-risk:7:late:2026-12-01",
                            _l("Overdue"), email=True)
    db_session.commit()
    second = services.notify([boss], "deadline", "order-risk:7:late:2026-12-01",
                             _l("Overdue"), email=True)
    db_session.commit()

    assert (first, second) == (1, 0)
    assert db_session.scalar(select(func.count(Notification.id))) == 1
    assert db_session.scalar(select(func.count(OutboxEmail.id))) == 1


def test_a_racing_duplicate_is_skipped_without_spoiling_the_callers_transaction(
        make_user, db_session):
    ola = make_user(username="ola", role="supervisor")
    services.notify([ola], "test", "same-key", _l("Overdue"))
    db_session.commit()

    # Another process inserted the same key after our check: the unique index answers.
    values = {"user_id": ola.id, "kind": "test", "dedupe_key": "same-key", "subject": "x",
              "body": "", "link": "", "created_at": utcnow()}
    assert services._insert_once(values) is False
    assert services.notify([ola], "test", "other-key", _l("Orders")) == 1
    db_session.commit()

    assert sorted(db_session.scalars(select(Notification.dedupe_key))) == [
        "other-key", "same-key"]


def test_a_person_sees_and_marks_only_their_own_notices(make_user, db_session, signed_in):
    client = signed_in("supervisor", username="ola", language="en")
    ola = db_session.scalar(select(services.User).where(services.User.username == "ola"))
    piotr = make_user(username="piotr", role="manager", language="en")
    services.notify([ola], "test", "k1", "Batch 12 is ready for checking")
    services.notify([piotr], "test", "k2", "Partner order ZAM-9 is late")
    db_session.commit()
    piotrs = db_session.scalar(select(Notification).where(Notification.user_id == piotr.id))

    assert [n.subject for n in services.inbox(ola)] == ["Batch 12 is ready for checking"]
    page = client.get("/inbox").get_data(as_text=True)
    assert "Batch 12 is ready for checking" in page and "ZAM-9" not in page
    assert client.get(f"/inbox/{piotrs.id}").status_code == 404
    assert services.mark_read(ola, [piotrs.id]) == 0
    assert services.unread_count(piotr) == 1


def test_header_counts_unread_notices_and_reading_them_clears_it(db_session, signed_in):
    client = signed_in("manager", username="marta", language="en")
    marta = db_session.scalar(select(services.User).where(services.User.username == "marta"))
    services.notify([marta], "test", "a", "Order ZAM-1 is at risk", link="/orders/")
    services.notify([marta], "test", "b", "Order ZAM-2 is late", "Due yesterday.")
    db_session.commit()

    home = client.get("/").get_data(as_text=True)
    assert 'href="/inbox"' in home and "(2)" in home and "2 unread notifications" in home

    inbox = client.get("/inbox").get_data(as_text=True)
    assert inbox.index("Order ZAM-2 is late") < inbox.index("Order ZAM-1 is at risk")
    assert inbox.count("inbox-unread") == 2
    first = db_session.scalar(select(Notification).where(Notification.dedupe_key == "a"))
    followed = client.get(f"/inbox/{first.id}")
    assert followed.status_code == 302 and followed.headers["Location"] == "/orders/"
    assert "1 unread notification" in client.get("/").get_data(as_text=True)

    response = client.submit("/inbox/read", {}, page="/inbox")
    assert response.status_code == 302
    assert "1 notification marked read." in client.get("/inbox").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "unread notification" not in home and 'href="/inbox"' in home
    assert services.unread_count(marta) == 0


def test_mark_all_read_needs_the_forms_csrf_token(signed_in):
    client = signed_in("manager", username="marta", language="en")
    assert client.client.post("/inbox/read").status_code == 400


# --------------------------------------------------------------------------- the outbox


def test_queued_mail_reaches_a_real_smtp_server_in_utf8(smtp_server, db_session):
    _controller, received = smtp_server()
    services.queue_email("ola@example.com", "Opóźnienie: ZAM-7", POLISH_TEXT)
    services.queue_email("piotr@example.com", "Order ZAM-8 is late", "Due on 1 December.")
    db_session.commit()

    summary = services.send_outbox(utcnow() + timedelta(seconds=1))

    assert summary.startswith("Sent 2 e-mail(s), 0 failed")
    got = {tuple(rcpt): message for rcpt, message in received.messages}
    polish = got[("ola@example.com",)]
    assert polish["Subject"] == "Opóźnienie: ZAM-7"
    assert polish["To"] == "ola@example.com"
    assert polish["From"] == "alerty@spoldzielnia.example"
    assert _text(polish).strip() == POLISH_TEXT
    assert got[("piotr@example.com",)]["Subject"] == "Order ZAM-8 is late"
    statuses = set(db_session.scalars(select(OutboxEmail.status)))
    assert statuses == {MailStatus.SENT.value}


def test_mail_waits_while_the_server_is_down_and_is_sent_once_later(smtp_server, db_session):
    controller, _received = smtp_server()
    controller.stop()
    services.queue_email("ola@example.com", "Zamówienie ZAM-7", POLISH_TEXT)
    db_session.commit()
    down_at = utcnow() + timedelta(seconds=1)

    summary = services.send_outbox(down_at)

    assert "unreachable" in summary
    mail = db_session.scalar(select(OutboxEmail))
    assert mail.status == MailStatus.PENDING.value
    assert mail.attempts == 1
    assert mail.next_attempt_at > down_at
    assert mail.last_error

    _controller, received = smtp_server()  # the server is back
    assert services.send_outbox(down_at + timedelta(seconds=30)) == "No e-mail due."
    later = mail.next_attempt_at + timedelta(seconds=1)
    assert services.send_outbox(later).startswith("Sent 1 e-mail(s)")
    assert services.send_outbox(later + timedelta(hours=1)) == "No e-mail due."

    assert [rcpt for rcpt, _message in received.messages] == [["ola@example.com"]]
    db_session.refresh(mail)
    assert (mail.status, mail.attempts) == (MailStatus.SENT.value, 2)


def test_a_refused_recipient_does_not_stop_the_others(smtp_server, db_session):
    _controller, received = smtp_server()
    services.queue_email("nobody@example.com", "Lost", "No such person.")
    services.queue_email("ola@example.com", "Found", "Hello.")
    db_session.commit()

    summary = services.send_outbox(utcnow() + timedelta(seconds=1))

    assert summary.startswith("Sent 1 e-mail(s), 1 failed")
    assert [rcpt for rcpt, _message in received.messages] == [["ola@example.com"]]
    refused = db_session.scalar(select(OutboxEmail).where(
        OutboxEmail.recipient == "nobody@example.com"))
    # "No such mailbox" will not change by waiting: failed at once, for the manager to see.
    assert refused.status == MailStatus.FAILED.value
    assert "550" in refused.last_error


def test_after_the_last_attempt_mail_is_failed_shown_and_can_be_retried(
        mail_settings, db_session, signed_in, smtp_server):
    mail_settings(free_port(), max_attempts=2)  # nothing listens there
    services.queue_email("ola@example.com", "Order ZAM-7 is late", "Due today.")
    db_session.commit()
    mail = db_session.scalar(select(OutboxEmail))

    services.send_outbox(utcnow() + timedelta(seconds=1))
    services.send_outbox(mail.next_attempt_at + timedelta(seconds=1))

    db_session.refresh(mail)
    assert (mail.status, mail.attempts) == (MailStatus.FAILED.value, 2)
    assert db_session.scalar(select(func.count(OutboxEmail.id))) == 1  # nothing deleted

    client = signed_in("manager", username="marta", language="en")
    page = client.get("/outbox").get_data(as_text=True)
    assert "ola@example.com" in page and "Failed" in page and "Retry now" in page
    assert "ConnectionRefusedError" in page

    response = client.submit(f"/outbox/{mail.id}/retry", {}, page="/outbox")
    assert response.status_code == 302
    db_session.refresh(mail)
    assert (mail.status, mail.attempts) == (MailStatus.PENDING.value, 0)

    _controller, received = smtp_server()
    assert services.send_outbox(utcnow() + timedelta(seconds=1)).startswith("Sent 1")
    assert received.messages[0][1]["Subject"] == "Order ZAM-7 is late"


def test_only_managers_open_the_outbox(signed_in):
    client = signed_in("supervisor", username="ola")
    assert client.get("/outbox").status_code == 403
    assert client.get("/inbox").status_code == 200


def test_alert_e_mail_goes_to_people_with_an_address_in_their_language(
        make_user, db_session, smtp_server):
    _controller, received = smtp_server()
    ola = make_user(username="ola", role="manager", language="pl")
    john = make_user(username="john", role="manager", language="en")
    quiet = make_user(username="quiet", role="manager")
    ola.email, john.email = "ola@example.com", "john@example.com"
    db_session.commit()

    services.notify([ola, john, quiet], "deadline", "order-risk:1",
                    _l("%(name)s saved.", name="ZAM-1"), email=True,
                    link="http://localhost/orders/1")  # a job's url_for outside a request
    db_session.commit()
    services.send_outbox(utcnow() + timedelta(seconds=1))

    got = {rcpt[0]: message for rcpt, message in received.messages}
    assert set(got) == {"ola@example.com", "john@example.com"}
    assert got["ola@example.com"]["Subject"] == "Zapisano: ZAM-1."
    assert got["john@example.com"]["Subject"] == "ZAM-1 saved."
    assert "http://127.0.0.1:5000/orders/1" in _text(got["john@example.com"])
    assert set(db_session.scalars(select(Notification.link))) == {"/orders/1"}


def test_without_an_smtp_server_nothing_is_queued_or_lost(make_user, db_session):
    boss = make_user(username="boss2", role="manager")
    boss.email = "boss@example.com"
    db_session.commit()
    services.notify([boss], "deadline", "k", _l("Overdue"), email=True)
    services.queue_email("ola@example.com", "Hello", "Text")
    db_session.commit()

    summary = services.send_outbox(utcnow() + timedelta(seconds=1))

    assert "smtp.host is empty" in summary
    assert list(db_session.scalars(select(OutboxEmail.recipient))) == ["ola@example.com"]
    assert services.unread_count(boss) == 1


@pytest.mark.parametrize("environ, message", [
    ({"SHOPFLOOR_SMTP_SECURITY": "tls"}, "smtp.security .* must be one of"),
    ({"SHOPFLOOR_SMTP_MAX_ATTEMPTS": "0"}, "smtp.max_attempts must be at least 1"),
    ({"SHOPFLOOR_SMTP_PORT": "70000"}, "smtp.port must be from 1 to 65535"),
])
def test_bad_mail_settings_stop_start_up(tmp_path, environ, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, environ=environ)
