"""The inbox and the outbox in a real browser: the header link's accessible name, reading a
notice, and no axe-core violation on either page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_inbox_and_outbox_pass_axe_and_the_header_names_the_unread_count(page, make_user,
                                                                         db_session):
    from flask_babel import lazy_gettext as _l

    from shopfloor.database import utcnow
    from shopfloor.notifications.models import MailStatus
    from shopfloor.notifications.services import notify, queue_email

    marta = make_user(username="marta", role="manager", language="pl")
    notify([marta], "test", "a", _l("%(name)s saved.", name="ZAM-1"), _l("Orders"),
           link="/orders/")
    notify([marta], "test", "b", _l("Overdue"))
    queue_email("ola@example.com", "Zamówienie ZAM-7", "Tekst.")
    failed = queue_email("nobody@example.com", "Zamówienie ZAM-8", "Tekst.")
    failed.status, failed.attempts = MailStatus.FAILED.value, 10
    failed.last_error = "550 5.1.1 No such mailbox"
    failed.next_attempt_at = utcnow() + timedelta(minutes=5)
    db_session.commit()

    page.goto("/sign-in")
    page.get_by_label("Nazwa użytkownika").fill("marta")
    page.get_by_label("Hasło").fill("correct horse battery")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")

    # Sighted people see "(2)"; screen readers hear the count as words instead.
    inbox_link = page.get_by_role(
        "link", name=re.compile(r"^(Powiadomienia|Notifications)\s*: 2 (nieprzeczytane|unread)"))
    assert "(2)" in inbox_link.inner_text()
    inbox_link.click()
    page.wait_for_url("**/inbox")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Zapisano: ZAM-1.").click()
    page.wait_for_url("**/orders/")
    page.goto("/outbox")
    assert page.get_by_text("550 5.1.1 No such mailbox").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="nobody@example.com").click()
    page.wait_for_url("**/outbox")
    assert page.get_by_role("button", name="nobody@example.com").count() == 0  # queued again
    assert axe_violations(page) == []
