"""Notifications: the staff inbox, and the e-mail outbox with retries.

``notify`` stores one inbox message per person, in that person's language, and never twice for
the same ``dedupe_key`` (so a job run again announces a change once). With ``email=True`` it
also queues an e-mail in the outbox, in the same transaction as the change it reports; the
``send_outbox`` job sends it later and retries with growing waits, so an SMTP outage loses
nothing.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from shopfloor.audit.services import write_audit
from shopfloor.auth.models import User
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.notifications.models import MailStatus, Notification, OutboxEmail

ALL: Literal["all"] = "all"
SUBJECT_LENGTH = 200  # Notification.subject and OutboxEmail.subject
LINK_LENGTH = 300
# Waits after the 1st, 2nd, ... failed attempt; the last one repeats. With the default of 10
# attempts a mail is retried for about 21 hours, long enough to outlast a night's outage.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# Mails handled per run: a long backlog is worked off over several runs, each one short.
OUTBOX_BATCH = 200


# --------------------------------------------------------------------------- the inbox


def _render(text, language: str) -> str:
    """A lazy string (or plain text) as the recipient reads it."""
    if text is None:
        return ""
    with force_locale(language):
        return str(text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _local_link(link: str) -> str:
    """Store links as paths on this site: the public address may change, the path does not
    (and a job's url_for may have built the address from a placeholder host)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        link = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return link


def _insert_once(values: dict) -> bool:
    """Insert a notification unless that person already has one with this dedupe key.

    The check before the call catches the usual repeat; this covers two jobs racing. ON
    CONFLICT DO NOTHING is used where the database has it, because a SAVEPOINT on pysqlite
    opened before any other write would, when released, commit the caller's transaction.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        # RETURNING says whether a row went in; psycopg reports no rowcount here (-1).
        table = Notification.__table__
        statement = (module.insert(table).values(**values)
                     .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
                     .returning(table.c.id))
        return db.session.execute(statement).first() is not None
    try:
        with db.session.begin_nested():
            db.session.add(Notification(**values))
    except IntegrityError:
        return False
    return True


def notify(users: Iterable[User], kind: str, dedupe_key: str, subject, body="",
           link: str = "", email: bool = False) -> int:
    """Put a message in each person's inbox, in their language; with ``email`` also queue an
    e-mail to those with an address (when e-mail is configured).

    ``subject`` and ``body`` are lazy_gettext strings, rendered per recipient. A person who
    already has a message with ``dedupe_key`` gets nothing new, so repeated job runs stay
    single. Disabled accounts are skipped. Does not commit: the caller's transaction does.
    Returns how many messages were created.
    """
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("dedupe_key must be 1 to 200 characters")
    settings = current_app.config["SHOPFLOOR"]
    default_language = settings["default_language"]
    link = _shorten(_local_link(link or ""), LINK_LENGTH)
    send_mail = email and bool(settings["smtp.host"])
    created = 0
    for user in users:
        if user is None or not user.active:
            continue
        exists = db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key))
        if exists is not None:
            continue
        language = user.language or default_language
        rendered_subject = _shorten(_render(subject, language).strip(), SUBJECT_LENGTH)
        rendered_body = _render(body, language).strip()
        if not _insert_once({"user_id": user.id, "kind": kind[:40], "dedupe_key": dedupe_key,
                             "subject": rendered_subject, "body": rendered_body, "link": link,
                             "created_at": utcnow()}):
            continue
        created += 1
        if send_mail and user.email:
            queue_email(user.email, rendered_subject,
                        _mail_body(rendered_body or rendered_subject, link, language))
    return created


def _mail_body(body: str, link: str, language: str) -> str:
    if not link:
        return body
    url = current_app.config["SHOPFLOOR"]["public_base_url"] + link
    with force_locale(language):
        return body + "\n\n" + _("Open in Shopfloor: %(url)s", url=url)


def _own(user: User):
    """Every inbox query starts here: a person sees only their own messages."""
    return select(Notification).where(Notification.user_id == user.id)


def inbox(user: User, limit: int = 100) -> list[Notification]:
    """The person's messages, newest first."""
    return list(db.session.scalars(
        _own(user).order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)))


def unread_count(user: User) -> int:
    """How many of the person's messages are not read yet."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user: User, ids: Iterable[int] | Literal["all"], now: datetime | None = None
              ) -> int:
    """Mark some (or ``ALL``) of the person's own messages read; returns how many changed.

    Ids of other people's messages are ignored, not an error: the query is scoped.
    """
    statement = (update(Notification)
                 .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                 .values(read_at=now or utcnow()))
    if ids != ALL:
        wanted = [int(i) for i in ids]
        if not wanted:
            return 0
        statement = statement.where(Notification.id.in_(wanted))
    changed = db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.commit()
    return changed.rowcount


def open_notification(user: User, notification_id: int) -> Notification | None:
    """The person's message with this id, marked read (None if it is not theirs)."""
    notification = db.session.scalar(_own(user).where(Notification.id == notification_id))
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


# --------------------------------------------------------------------------- the outbox


def queue_email(recipient: str, subject: str, body: str,
                dedupe_key: str | None = None) -> OutboxEmail | None:
    """Add an e-mail to the outbox, due now. Does not commit: the caller's transaction does,
    so the mail exists exactly when the change it reports does. With ``dedupe_key`` it goes
    once only: None (nothing queued) when the outbox already has a mail with that key."""
    if dedupe_key and db.session.scalar(select(OutboxEmail.id).filter_by(dedupe_key=dedupe_key)):
        return None
    mail = OutboxEmail(recipient=recipient.strip(), subject=_shorten(subject, SUBJECT_LENGTH),
                       body=body, status=MailStatus.PENDING.value, attempts=0,
                       next_attempt_at=utcnow(), dedupe_key=dedupe_key)
    db.session.add(mail)
    return mail


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[index])


def waiting_mail(limit: int = 200) -> list[OutboxEmail]:
    """Mail not sent yet, for the manager: failed first, then pending by next attempt."""
    failed_first = (OutboxEmail.status == MailStatus.FAILED.value).desc()
    return list(db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.status.in_([MailStatus.PENDING.value, MailStatus.FAILED.value]))
        .order_by(failed_first, OutboxEmail.next_attempt_at, OutboxEmail.id).limit(limit)))


def retry_email(mail_id: int, user: User, now: datetime | None = None) -> OutboxEmail:
    """Send a failed e-mail again at the next outbox run, with a fresh round of attempts."""
    mail = db.session.get(OutboxEmail, mail_id)
    if mail is None:
        raise DomainError(_l("This e-mail is no longer in the outbox."))
    if mail.status != MailStatus.FAILED.value:
        raise DomainError(_l("Only an e-mail that failed can be sent again."))
    mail.status = MailStatus.PENDING.value
    mail.attempts = 0  # the last error stays, so the manager still sees why it failed
    mail.next_attempt_at = now or utcnow()
    write_audit(mail, "status", user, from_status=MailStatus.FAILED.value,
                to_status=MailStatus.PENDING.value)
    db.session.commit()
    return mail


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server (the ``smtp.*`` configuration keys)."""

    host: str
    port: int
    security: str
    username: str
    password: str
    sender: str
    timeout: int
    max_attempts: int

    @classmethod
    def from_config(cls) -> SmtpSettings:
        """Read the ``smtp.*`` keys of the running app."""
        s = current_app.config["SHOPFLOOR"]
        return cls(host=s["smtp.host"], port=s["smtp.port"], security=s["smtp.security"],
                   username=s["smtp.username"], password=s["smtp.password"],
                   sender=s["smtp.sender"], timeout=s["smtp.timeout_seconds"],
                   max_attempts=s["smtp.max_attempts"])


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated SMTP connection (plain, STARTTLS or SSL, as configured)."""
    if smtp.security == "ssl":
        connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        if smtp.security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if smtp.username:
            connection.login(smtp.username, smtp.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _message(mail: OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = rfc2822_date(mail.created_at)
    # Stable per outbox row: if a crash makes us send a mail twice (see send_outbox), mail
    # clients can tell it is the same message.
    domain = sender.rpartition("@")[2] or "shopfloor.invalid"
    message["Message-ID"] = f"<outbox-{mail.id}.{int(mail.created_at.timestamp())}@{domain}>"
    # Quoted-printable works with every server, whether or not it announces 8BITMIME.
    message.set_content(mail.body, charset="utf-8", cte="quoted-printable")
    return message


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {reply.decode(errors='replace')}"
                 for code, reply in exc.recipients.values()]
        return "Recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    return f"{type(exc).__name__}: {exc}".strip()


def _permanent(exc: BaseException) -> bool:
    """A 5xx answer (no such mailbox, refused sender) will not change by retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _record_failure(mail: OutboxEmail, exc: BaseException, now: datetime, max_attempts: int,
                    permanent: bool = False) -> None:
    mail.attempts += 1
    mail.last_error = _describe(exc)[:2000]
    if permanent or mail.attempts >= max_attempts:
        mail.status = MailStatus.FAILED.value
    else:
        mail.next_attempt_at = now + backoff(mail.attempts)


def send_outbox(now: datetime | None = None) -> str:
    """Job: send the e-mails that are due; returns a one-line summary.

    Each mail is committed on its own right after the server accepts it. A failing mail gets
    a later retry (``BACKOFF_MINUTES``) and, after ``smtp.max_attempts`` or a permanent 5xx
    refusal, the status FAILED; nothing is deleted. An unreachable server ends the run with
    every due mail still pending and the error saved on each. At-least-once: if the process
    dies between the server's "250 OK" and our commit, that one mail is sent again next run.
    """
    now = now or utcnow()
    smtp = SmtpSettings.from_config()
    due = list(db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.status == MailStatus.PENDING.value, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(OUTBOX_BATCH)))
    if not smtp.host:
        return f"E-mail is off (smtp.host is empty); {len(due)} due e-mail(s) left waiting."
    if not due:
        return "No e-mail due."
    try:
        connection = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        for mail in due:
            _record_failure(mail, exc, now, smtp.max_attempts)
        db.session.commit()
        current_app.logger.warning("Outbox: SMTP server %s:%s unreachable: %s",
                                   smtp.host, smtp.port, _describe(exc))
        return (f"SMTP server {smtp.host}:{smtp.port} unreachable ({_describe(exc)}); "
                f"{len(due)} e-mail(s) kept for a later attempt.")
    sent = failed = 0
    stopped = ""
    try:
        for mail in due:
            if mail.status != MailStatus.PENDING.value:
                continue  # a manual run (shopfloor run-job) got to it in the meantime
            try:
                connection.send_message(_message(mail, smtp.sender))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError, smtplib.SMTPNotSupportedError,
                    UnicodeError) as exc:
                # This mail's problem: note it and go on with the others.
                _record_failure(mail, exc, now, smtp.max_attempts,
                                permanent=_permanent(exc) or isinstance(exc, UnicodeError))
                failed += 1
                db.session.commit()
                if not _reset(connection):
                    stopped = "; stopped early: the server closed the connection"
                    break
            except (OSError, smtplib.SMTPException) as exc:
                # The connection broke: this mail counts an attempt, the rest wait untouched.
                _record_failure(mail, exc, now, smtp.max_attempts)
                failed += 1
                db.session.commit()
                stopped = f"; stopped early: {_describe(exc)}"
                break
            else:
                mail.status = MailStatus.SENT.value
                mail.sent_at = now
                mail.attempts += 1
                db.session.commit()
                sent += 1
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    left = len(due) - sent - failed
    summary = f"Sent {sent} e-mail(s), {failed} failed"
    if left:
        summary += f", {left} left for the next run"
    return summary + stopped + "."


def _reset(connection: smtplib.SMTP) -> bool:
    """After a refused mail, clear the half-done transaction so the next mail starts clean;
    False when the server has hung up (the run stops, the other mails wait untouched)."""
    try:
        connection.rset()
    except (OSError, smtplib.SMTPException):
        return False
    return True
