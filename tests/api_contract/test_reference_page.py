"""The API reference page at /api/v1/docs: open to anyone like the OpenAPI document, built
from it (every operation and schema the document has), with the facts a partner's developer
needs from this installation's configuration, headings in the reader's language, and nothing
loaded from elsewhere."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def page(app, monkeypatch):
    """The page as an anonymous English reader gets it, with a known base URL and limit."""
    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(settings, values={
        **settings.values, "public_base_url": "https://shopfloor.example.org",
        "api.rate_limit_per_minute": 77}))
    response = app.test_client().get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text_of(page_html: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def test_anyone_may_read_it_like_the_openapi_document(app):
    client = app.test_client()
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_it_lists_every_operation_of_the_document_with_its_answers(app, page):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    text = text_of(page)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                assert f"{method.upper()} {path}" in text
                if operation.get("summary"):
                    assert operation["summary"] in text
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name.lower()}"' in page
    assert 'href="/api/v1/openapi.json"' in page


def test_types_fields_and_links_come_from_the_schemas(page):
    text = text_of(page)
    # The order detail's 200 answer shows OrderDetail's fields; its lines link to OrderLine.
    assert "expected_on string (date) or null Projected completion" in text
    assert 'array of <a href="#schema-orderline">OrderLine</a>' in page
    assert "quantity string (decimal)" in text
    assert "X-Pagination" in text and "Retry-After" in text
    assert "page_size query integer at least 1; at most 100; default: 10" in text


def test_the_introduction_uses_this_installations_settings(page):
    text = text_of(page)
    assert "https://shopfloor.example.org/api/v1" in text
    assert "Authorization: Bearer sft_..." in text
    assert "may make 77 requests a minute" in text
    assert "429 Too Many Requests" in text and "If-None-Match" in text
    assert "Idempotency-Key" in text
    for header in ("Shopfloor-Signature", "Shopfloor-Event", "Shopfloor-Event-Id",
                   "Shopfloor-Delivery"):
        assert header in text
    for event in ("order.status_changed", "order.at_risk", "shipment.created",
                  "return_item.needs_decision", "recall.issued"):
        assert event in text
    assert "def verify_shopfloor_signature(" in page
    assert "status within 10 seconds" in text  # webhooks.timeout_seconds


def test_headings_follow_the_readers_language_the_reference_stays_english(app, page):
    polish = app.test_client().get("/api/v1/docs", headers={"Accept-Language": "pl"})
    polish = polish.get_data(as_text=True)
    assert '<html lang="pl">' in polish
    # Table headings go through the catalogue ("Name" is already translated there) ...
    assert '<th scope="col">Nazwa</th>' in polish and '<th scope="col">Name</th>' in page
    # ... while the reference itself is English, marked as such for screen readers.
    assert '<section class="panel" aria-labelledby="getting-started">' in polish
    assert '<div lang="en">' in polish and "Authorization: Bearer sft_..." in polish


def test_nothing_is_loaded_from_another_site_and_no_script_runs(page):
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "office.css" in page
