"""Webhook signatures and the address rules, without the app."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from shopfloor.webhooks.addresses import (
    UrlProblem,
    allowed_hosts,
    check_target,
    is_public,
    parse_url,
)
from shopfloor.webhooks.signing import parse_header, sign, verify

SECRET = "whsec_" + "a" * 64
BODY = b'{"data":{"order":"ZK-7"},"id":"e1","type":"order.at_risk"}'
SENT = 1_764_236_400  # 2025-11-27 09:40:00 UTC


def test_the_header_is_the_time_and_the_hmac_of_time_dot_body():
    expected = hmac.new(SECRET.encode(), b"1764236400." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, SENT, BODY) == f"t=1764236400,v1={expected}"


def test_a_fresh_signature_of_the_same_body_is_accepted():
    header = sign(SECRET, SENT, BODY)
    assert verify(SECRET, header, BODY, SENT + 10)
    assert verify(SECRET, header, BODY, datetime.fromtimestamp(SENT + 299, UTC))


@pytest.mark.parametrize("change", ["secret", "body", "time"])
def test_a_changed_secret_body_or_time_is_refused(change):
    header = sign(SECRET, SENT, BODY)
    if change == "secret":
        assert not verify("whsec_other", header, BODY, SENT)
    elif change == "body":
        assert not verify(SECRET, header, BODY.replace(b"ZK-7", b"ZK-8"), SENT)
    else:
        forged = header.replace(f"t={SENT}", f"t={SENT + 60}")
        assert not verify(SECRET, forged, BODY, SENT + 60)


def test_an_old_or_future_signature_is_refused_as_a_possible_replay():
    header = sign(SECRET, SENT, BODY)
    assert not verify(SECRET, header, BODY, SENT + 301)
    assert not verify(SECRET, header, BODY, SENT - 301)
    assert verify(SECRET, header, BODY, SENT + 3600, tolerance_seconds=3600)


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=00", f"t={SENT}", "nonsense",
                                    f"t={SENT},v1=żółw"])
def test_a_malformed_header_is_refused_without_an_error(header):
    assert not verify(SECRET, header, BODY, SENT)


def test_one_matching_v1_among_several_is_enough_and_unknown_parts_are_ignored():
    good = sign(SECRET, SENT, BODY)
    header = f"t={SENT},v0=xyz,v1={'0' * 64},{good.split(',')[1]}"
    assert parse_header(header) == (SENT, ["0" * 64, good.split("v1=")[1]])
    assert verify(SECRET, header, BODY, SENT)


@pytest.mark.parametrize("address", [
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0",  # noqa: S104
    "100.64.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1", "::"])
def test_private_local_multicast_and_reserved_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111"])
def test_ordinary_internet_addresses_are_public(address):
    assert is_public(address)


@pytest.mark.parametrize(("url", "code"), [
    ("http://example.com/hooks", "scheme"), ("ftp://example.com/", "scheme"),
    ("example.com/hooks", "malformed"), ("https://", "malformed"),
    ("https://exa mple.com/", "malformed"), ("https://example.com:99999/", "malformed"),
    ("https://user:pw@example.com/", "credentials"),
    ("https://example.com/" + "a" * 500, "too_long")])
def test_addresses_other_than_plain_https_urls_are_refused(url, code):
    with pytest.raises(UrlProblem) as problem:
        parse_url(url)
    assert problem.value.code == code


def test_the_url_gives_host_port_and_path_with_query():
    assert parse_url(" https://ERP.Example.com/in?key=1 ") == ("erp.example.com", 443, "/in?key=1")
    assert parse_url("https://[::1]:8443") == ("::1", 8443, "/")
    assert parse_url("https://łódź.example/") == ("xn--d-uga0v4h.example", 443, "/")


def test_a_literal_private_address_is_refused_unless_allowed():
    with pytest.raises(UrlProblem) as problem:
        check_target("https://10.0.0.5/hooks", frozenset())
    assert (problem.value.code, problem.value.address) == ("private", "10.0.0.5")
    target = check_target("https://10.0.0.5:8443/hooks", allowed_hosts(" 10.0.0.5 , erp.lan"))
    assert (target.host, target.port, target.path, target.addresses) == (
        "10.0.0.5", 8443, "/hooks", ("10.0.0.5",))


def test_the_allowed_hosts_setting_is_a_comma_separated_list():
    assert allowed_hosts("") == frozenset()
    assert allowed_hosts("ERP.lan., [::1], 10.0.0.5,") == {"erp.lan", "::1", "10.0.0.5"}
