"""/api/v1/returned-items: a partner's system reads its returned items and answers the
decision; another firm's token gets 404; a retried answer with its Idempotency-Key gets the
first answer back."""

from __future__ import annotations

import pytest

from shopfloor.auth.tokens import create_token
from tests.api.conftest import api  # noqa: F401 (fixture)
from tests.returns.conftest import defect_photo


@pytest.fixture
def tokens(returns, manager):
    from shopfloor.returns.services import add_photo, ask_partner

    item = returns.items[0]
    add_photo(item, defect_photo(), manager, caption="Rozdarty zamek")
    ask_partner(item, "Zamek rozdarty. Naprawa 25 zł czy spisać?", manager)
    return type("Tokens", (), {
        "write": create_token(returns.orderer, "ERP", "write").secret,
        "read": create_token(returns.orderer, "BI", "read").secret,
        "viewer": create_token(returns.viewer, "BI", "read").secret,
        "other": create_token(returns.tekstil_user, "ERP", "write").secret,
        "staff": create_token(manager, "Office", "write").secret,
        "item": item})


def test_a_partner_lists_its_items_waiting_first_and_reads_one(returns, tokens, api):  # noqa: F811
    listing = api.get("/api/v1/returned-items/", tokens.read)
    assert listing.status_code == 200
    assert [i["rma"] for i in listing.json] == ["MW-RMA-40001", "MW-RMA-40002"]
    waiting = api.get("/api/v1/returned-items/?status=awaiting_decision", tokens.read).json
    assert [i["id"] for i in waiting] == [tokens.item.id]
    [first] = waiting
    assert first["answers"] == ["repair", "write_off"] and first["disposition"] is None
    assert first["question"].startswith("Zamek rozdarty")
    assert (first["defect_code"], first["defect_severity"], first["defect_zone"]) == (
        "M04", "major", "A")
    second = next(i for i in listing.json if i["rma"] == "MW-RMA-40002")
    assert (second["defect_code"], second["defect_severity"], second["defect_zone"]) == (
        None, None, None)
    assert first["batch_code"] == returns.batch.code and first["order_id"] == returns.order.id
    detail = api.get(first["url"], tokens.read)
    assert detail.status_code == 200 and detail.json == first
    assert api.get(first["url"], tokens.read,
                   **{"If-None-Match": detail.headers["ETag"]}).status_code == 304
    photo = api.get(first["photos"][0]["url"], tokens.read)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert first["photos"][0]["caption"] == "Rozdarty zamek"


def test_the_answer_is_taken_once_and_a_retry_with_its_key_gets_the_same_answer(
        returns, tokens, api, db_session):  # noqa: F811
    url = f"/api/v1/returned-items/{tokens.item.id}/decision"
    body = {"answer": "write_off", "note": "Nie opłaca się."}
    answered = api.post(url, tokens.write, body, key="decision-1")
    assert answered.status_code == 200
    assert (answered.json["status"], answered.json["disposition"]) == ("decided", "write_off")
    assert answered.json["answers"] == []
    replay = api.post(url, tokens.write, body, key="decision-1")
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == answered.json
    second = api.post(url, tokens.write, {"answer": "repair"}, key="decision-2")
    assert second.status_code == 409 and "error" in second.json
    db_session.expire_all()
    assert tokens.item.disposition == "write_off"


@pytest.mark.parametrize(("who", "status"), [("read", 403), ("viewer", 403), ("staff", 403)])
def test_who_may_not_answer_is_told_so(returns, tokens, api, who, status,  # noqa: F811
                                       db_session):
    url = f"/api/v1/returned-items/{tokens.item.id}/decision"
    refused = api.post(url, getattr(tokens, who), {"answer": "repair"})
    assert refused.status_code == status and refused.json["error"]["message"]
    db_session.expire_all()
    assert tokens.item.status == "awaiting_decision"


def test_a_wrong_answer_is_named_by_its_field(tokens, api):  # noqa: F811
    refused = api.post(f"/api/v1/returned-items/{tokens.item.id}/decision", tokens.write,
                       {"answer": "burn"})
    assert refused.status_code == 422
    assert "answer" in refused.json["error"]["errors"]["json"]


def test_another_firm_finds_nothing_by_any_id(returns, tokens, api, db_session):  # noqa: F811
    item = tokens.item
    photo = item.photos[0].name
    for path in (f"/api/v1/returned-items/{item.id}",
                 f"/api/v1/returned-items/{item.id}/photos/{photo}",
                 f"/api/v1/returned-items/{returns.items[1].id}"):
        assert api.get(path, tokens.other).status_code == 404, path
    assert api.post(f"/api/v1/returned-items/{item.id}/decision", tokens.other,
                    {"answer": "repair"}).status_code == 404
    listing = api.get("/api/v1/returned-items/", tokens.other).json
    assert [i["rma"] for i in listing] == ["TX-RMA-1"]
    assert api.get(f"/api/v1/returned-items/?order_id={returns.order.id}",
                   tokens.other).json == []
    staff = api.get("/api/v1/returned-items/", tokens.staff).json
    assert len(staff) == 3
    db_session.expire_all()
    assert item.status == "awaiting_decision"
