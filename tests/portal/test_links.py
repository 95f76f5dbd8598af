"""Status link tokens: what they carry, how long they last, and what they refuse."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from itsdangerous import URLSafeTimedSerializer

from shopfloor.config import ConfigError, load_settings
from shopfloor.portal import links
from shopfloor.portal.links import (
    StatusLinkExpired,
    StatusLinkRefused,
    issue_status_link,
    read_status_link,
    status_url,
)

MADE = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
ORDER = SimpleNamespace(id=41, partner_id=7)


@pytest.fixture
def settings(app, monkeypatch):
    """set(**values): change configuration keys for one test."""

    def change(**values):
        original = app.config["SHOPFLOOR"]
        monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
            original, values={**original.values, **values}))

    return change


def test_a_link_names_its_order_and_partner_and_lasts_the_configured_days():
    token, link = issue_status_link(ORDER, MADE)
    assert (link.order_id, link.partner_id) == (41, 7)
    assert link.expires_at == MADE + timedelta(days=30)
    read = read_status_link(token, MADE + timedelta(days=29, hours=23))
    assert read == link


def test_a_link_expires_after_its_lifetime():
    token, _link = issue_status_link(ORDER, MADE)
    with pytest.raises(StatusLinkExpired):
        read_status_link(token, MADE + timedelta(days=30))


def test_a_shorter_lifetime_also_ends_older_links_sooner(settings):
    token, _link = issue_status_link(ORDER, MADE)
    settings(**{"portal.status_link_days": 1})
    with pytest.raises(StatusLinkExpired):
        read_status_link(token, MADE + timedelta(days=2))


def test_a_changed_character_or_another_kind_of_token_is_refused(app):
    token, _link = issue_status_link(ORDER, MADE)
    payload, stamp, signature = token.split(".")
    flipped = ("B" if signature[0] != "B" else "C") + signature[1:]
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="another").dumps(
        {"o": 41, "p": 7})
    other_key = URLSafeTimedSerializer("x" * 40, salt=links.SALT).dumps({"o": 41, "p": 7})
    for bad in (f"{payload}.{stamp}.{flipped}", other_salt, other_key, "", "x.y.z"):
        with pytest.raises(StatusLinkRefused) as refused:
            read_status_link(bad, MADE)
        assert refused.type is StatusLinkRefused, bad


def test_a_signed_value_that_is_not_a_status_link_is_refused():
    for value in ("41", {"o": "41", "p": 7}, {"o": 41}, [41, 7]):
        token = links._serializer(MADE).dumps(value)
        with pytest.raises(StatusLinkRefused):
            read_status_link(token, MADE)


def test_a_link_from_the_future_is_refused():
    token, _link = issue_status_link(ORDER, MADE + timedelta(hours=1))
    with pytest.raises(StatusLinkRefused):
        read_status_link(token, MADE)


def test_the_address_starts_with_the_public_base_url(settings):
    settings(public_base_url="https://shopfloor.example.org")
    assert status_url("abc.def.ghi") == "https://shopfloor.example.org/status/abc.def.ghi"


@pytest.mark.parametrize("days", [0, 366])
def test_the_lifetime_must_be_from_1_to_365_days(tmp_path, days):
    with pytest.raises(ConfigError, match="portal.status_link_days"):
        load_settings(tmp_path, {"portal": {"status_link_days": days}}, environ={})
