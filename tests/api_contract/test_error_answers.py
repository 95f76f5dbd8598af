"""The OpenAPI document is valid OpenAPI 3.1 and documents the errors the API really answers:
every operation lists 401, 403 and 429 (with Retry-After) with the Error body, and the bodies
of real 400, 401, 403, 404, 422 and 429 answers match that Error schema. Decimals are
documented as the strings the API sends, and no text input (a NUL character, which
PostgreSQL cannot store) makes the API fail with a 5xx."""

from __future__ import annotations

import json
from datetime import date, timedelta

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(app):
    """The document as the app serves it."""
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(spec):
    """(path, method, operation) of every operation in the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def error_body_problems(spec, body) -> list[str]:
    """Why ``body`` is not an Error as the document describes it (empty when it is)."""
    validator = jsonschema_rs.validator_for({**ERROR_REF, "components": spec["components"]})
    return [error.message for error in validator.iter_errors(body)]


def test_the_document_is_valid_openapi_3_1_with_valid_schemas(spec):
    OPENAPI_31_VALIDATOR.validate(spec)
    assert spec["openapi"].startswith("3.1")
    for name, schema in spec["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearerAuth": []}]


def test_every_operation_documents_its_errors_with_the_error_body(spec):
    found = list(operations(spec))
    assert {(path, method) for path, method, _op in found} >= {
        ("/api/v1/orders/", "get"), ("/api/v1/orders/{order_id}", "get"),
        ("/api/v1/scans/", "post")}
    for path, method, operation in found:
        responses = operation["responses"]
        for status in ("401", "403", "429") + (("404",) if "{" in path else ()):
            assert status in responses, f"{method.upper()} {path} does not document {status}"
        for status, response in responses.items():
            if status[0] in "45" and "$ref" not in response:
                schema = response["content"]["application/json"]["schema"]
                assert schema == ERROR_REF, f"{method.upper()} {path} {status}"
        assert "Retry-After" in responses["429"]["headers"]


def test_decimals_are_documented_as_the_strings_the_api_sends(spec, app, api_world):
    line = spec["components"]["schemas"]["OrderLine"]["properties"]["quantity"]
    assert line == {"type": "string", "format": "decimal", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
    order = api_world.alfa_orders[0]
    body = app.test_client().get(f"/api/v1/orders/{order.id}", headers={
        "Authorization": f"Bearer {api_world.tokens['alfa_read']}"}).get_json()
    assert body["lines"][0]["quantity"] == "200.000"


def call(app, method, path, token=None, **kwargs):
    """One request with the token (if any) in the Authorization header."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.test_client().open(path, method=method, headers=headers, **kwargs)


def test_real_error_answers_match_the_documented_error_body(app, spec, api_world):
    tokens, beta_order = api_world.tokens, api_world.beta_order
    answers = {
        "no token": (401, call(app, "GET", "/api/v1/orders/")),
        "unknown token": (401, call(app, "GET", "/api/v1/orders/", "sft_" + "x" * 43)),
        "read token writes": (403, call(app, "POST", "/api/v1/scans/", tokens["alfa_read"],
                                        json={"raw": "X"})),
        "partner scans": (403, call(app, "POST", "/api/v1/scans/", tokens["partner"],
                                    json={"raw": "X"})),
        "another firm's order": (404, call(app, "GET", f"/api/v1/orders/{beta_order.id}",
                                           tokens["alfa_read"])),
        "bad filter": (422, call(app, "GET", "/api/v1/orders/?status=lost",
                                 tokens["alfa_read"])),
        "broken JSON": (400, call(app, "POST", "/api/v1/scans/", tokens["staff"],
                                  data="{broken", content_type="application/json")),
    }
    for name, (status, response) in answers.items():
        assert response.status_code == status, (name, response.get_data(as_text=True))
        assert response.mimetype == "application/json", name
        assert error_body_problems(spec, response.get_json()) == [], name
    errors = answers["bad filter"][1].get_json()["error"]["errors"]
    assert "status" in errors["query"]


def test_a_token_over_its_limit_gets_429_with_retry_after(app, spec, api_world, monkeypatch):
    from dataclasses import replace

    settings = app.config["SHOPFLOOR"]
    monkeypatch.setitem(app.config, "SHOPFLOOR", replace(
        settings, values={**settings.values, "api.rate_limit_per_minute": 1}))
    token = api_world.tokens["alfa_read"]
    assert call(app, "GET", "/api/v1/orders/", token).status_code == 200
    refused = call(app, "GET", "/api/v1/orders/", token)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert error_body_problems(spec, refused.get_json()) == []


def schema_of(spec, node):
    """A schema with its $ref followed (component schemas only)."""
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def sample(spec, node, known, name=""):
    """A value the schema accepts, every optional field filled in; ``known`` values by field
    name (a real product code, a due date the service accepts)."""
    node = schema_of(spec, node)
    if name in known:
        return known[name]
    if [v for v in node.get("enum", []) if v is not None]:
        return next(v for v in node["enum"] if v is not None)
    kinds = node.get("type", "string")
    kind = next(k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null")
    if kind == "object":
        return {key: sample(spec, prop, known, key)
                for key, prop in node.get("properties", {}).items()}
    if kind == "array":
        return [sample(spec, node.get("items", {}), known)] * max(1, node.get("minItems", 0))
    if kind in ("integer", "number"):
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    return {"date": known["due_date"], "date-time": "2026-11-27T09:00:00+00:00",
            "decimal": "1"}.get(node.get("format"), "x" * max(1, node.get("minLength", 1)))


def text_paths(body, prefix=()):
    """Where ``body`` holds text: paths of keys and list indexes."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from text_paths(value, (*prefix, key))
    elif isinstance(body, list) and body:
        yield from text_paths(body[0], (*prefix, 0))
    elif isinstance(body, str):
        yield prefix


def with_text(body, path, text):
    """A copy of ``body`` with ``text`` at ``path``."""
    copy = json.loads(json.dumps(body))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text
    return copy


def status_of(app, method, path, token, **kwargs) -> int:
    """The answer's status; 500 when the app raised (the test app lets errors through)."""
    try:
        return call(app, method, path, token, **kwargs).status_code
    except Exception:  # noqa: BLE001 - any failure is what this test looks for
        return 500


def test_a_nul_character_in_any_text_input_is_refused_not_a_server_error(app, spec,
                                                                         api_world):
    # PostgreSQL text cannot hold U+0000: every body field and query parameter that takes
    # text must refuse it (4xx) rather than fail to store or look it up (500).
    known = {"product_code": api_world.soap.code, "quantity": "12.5",
             "due_date": (date.today() + timedelta(days=30)).isoformat()}
    answers = []
    for path, method, operation in operations(spec):
        if "{" in path:
            continue
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = sample(spec, content["application/json"]["schema"], known)
            for where in text_paths(body):
                for who in ("staff", "partner"):
                    answers.append((f"{method.upper()} {path} {where} {who}", status_of(
                        app, method.upper(), path, api_world.tokens[who],
                        json=with_text(body, where, "A\x00B"))))
        for param in operation.get("parameters", []):
            param = param if "$ref" not in param else {}
            if param.get("in") == "query" and param.get("schema", {}).get("type") == "string":
                answers.append((f"{method.upper()} {path}?{param['name']}", status_of(
                    app, method.upper(), f"{path}?{param['name']}=A%00B",
                    api_world.tokens["partner"])))
    assert any("/api/v1/scans/" in name for name, _status in answers)
    failed = [name for name, status in answers if status >= 500]
    assert failed == [], "server errors for NUL in: " + "; ".join(failed)


@pytest.mark.parametrize("body, field", [({"raw": "B7KQ\x004M2X"}, "raw"),
                                         ({"raw": "B7KQ4M2X", "station": "St\x00ół"}, "station")])
def test_a_nul_character_in_a_scan_is_refused_naming_the_field(app, spec, api_world, body,
                                                                field):
    # PostgreSQL text cannot hold U+0000: storing the scan failed with a 500 before.
    response = call(app, "POST", "/api/v1/scans/", api_world.tokens["staff"], json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["errors"]["json"]
    assert error_body_problems(spec, response.get_json()) == []
