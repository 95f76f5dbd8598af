"""The API reference page's content built from an OpenAPI document: operations grouped by
tag, parameters and headers resolved from $ref, bodies with their fields, types in words that
link to the schemas they name, and the webhook verification example that really verifies."""

from __future__ import annotations

import hashlib
import hmac
import time

from shopfloor.api.reference import VERIFY_SNIPPET
from shopfloor.api.reference_model import build_reference, type_text

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Shopfloor API", "version": "v1", "description": "For partners."},
    "tags": [{"name": "api_scans", "description": "Resolve scans"},
             {"name": "api_orders", "description": "Orders and their lines"}],
    "paths": {
        "/api/v1/orders/{order_id}": {
            "parameters": [{"in": "path", "name": "order_id", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}],
            "get": {
                "tags": ["api_orders"], "summary": "One order.",
                "parameters": [{"$ref": "#/components/parameters/IF_NONE_MATCH"}],
                "responses": {
                    "404": {"description": "Not yours",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"}}}},
                    "200": {"description": "OK",
                            "headers": {"ETag": {"$ref": "#/components/headers/ETAG"}},
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Order"}}}},
                    "default": {"$ref": "#/components/responses/DEFAULT_ERROR"},
                },
            },
        },
        "/api/v1/orders/": {
            "get": {
                "tags": ["api_orders"], "summary": "List orders.",
                "parameters": [{"in": "query", "name": "status", "description": "Only these",
                                "schema": {"type": "string", "enum": ["draft", "shipped"]}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {
                    "schema": {"type": "array",
                               "items": {"$ref": "#/components/schemas/Order"}}}}}},
            },
            "post": {
                "tags": ["api_orders"], "summary": "Request an order.",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/OrderRequest"}}}},
                "responses": {"201": {"description": "Created"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Order": {"type": "object", "required": ["code"], "properties": {
                "code": {"type": "string", "description": "The order's code"},
                "earliest_due": {"type": ["string", "null"], "format": "date"},
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}}},
            "Line": {"type": "object", "properties": {
                "quantity": {"type": "string", "format": "decimal"}}},
            "OrderRequest": {"type": "object", "required": ["lines"], "properties": {
                "partner_reference": {"type": "string", "maxLength": 80, "default": ""},
                "lines": {"type": "array", "minItems": 1,
                          "items": {"$ref": "#/components/schemas/Line"}}}},
            "Error": {"type": "object", "properties": {
                "error": {"$ref": "#/components/schemas/ErrorDetail"}}},
            "ErrorDetail": {"type": "object", "properties": {"code": {"type": "integer"}}},
        },
        "parameters": {"IF_NONE_MATCH": {"in": "header", "name": "If-None-Match",
                                         "description": "Tag to check against",
                                         "schema": {"type": "string"}}},
        "headers": {"ETAG": {"description": "Tag for the returned entry",
                             "schema": {"type": "string"}}},
        "responses": {"DEFAULT_ERROR": {"description": "Default error response",
                                        "content": {"application/json": {"schema": {
                                            "$ref": "#/components/schemas/Error"}}}}},
    },
}


def test_operations_are_grouped_by_tag_in_the_documents_order():
    ref = build_reference(SPEC)
    assert [g.title for g in ref.groups] == ["Orders"]  # a tag without operations is left out
    orders = ref.groups[0]
    assert orders.description == "Orders and their lines"
    assert [(op.method, op.path) for op in orders.operations] == [
        ("GET", "/api/v1/orders/{order_id}"), ("GET", "/api/v1/orders/"),
        ("POST", "/api/v1/orders/")]
    assert len({op.anchor for op in orders.operations}) == 3


def test_path_and_referenced_parameters_are_listed_path_first():
    detail = build_reference(SPEC).groups[0].operations[0]
    assert [(p.location, p.name, str(p.type), p.required) for p in detail.parameters] == [
        ("path", "order_id", "integer", True), ("header", "If-None-Match", "string", False)]
    assert detail.parameters[0].notes == ("at least 1",)
    assert detail.parameters[1].description == "Tag to check against"


def test_answers_are_in_status_order_with_fields_of_success_bodies_only():
    detail = build_reference(SPEC).groups[0].operations[0]
    assert [a.status for a in detail.answers] == ["200", "404", "default"]
    ok, not_found, default = detail.answers
    assert [f.name for f in ok.body.table.fields] == ["code", "earliest_due", "lines"]
    assert ok.headers[0].name == "ETag" and ok.headers[0].description.startswith("Tag")
    assert str(not_found.body.type) == "Error" and not_found.body.table is None
    assert default.description == "Default error response"  # resolved from components


def test_types_read_as_words_and_link_to_the_schemas_they_name():
    fields = {f.name: f for f in build_reference(SPEC).groups[0].operations[0]
              .answers[0].body.table.fields}
    assert str(fields["earliest_due"].type) == "string (date) or null"
    assert str(fields["lines"].type) == "array of Line"
    assert fields["lines"].type.refs == ["Line"]
    assert fields["code"].required and fields["code"].description == "The order's code"
    assert str(type_text({"type": "object", "additionalProperties": {"type": "integer"}})) \
        == "object of integer"
    assert str(type_text({"oneOf": [{"type": "integer"}, {"type": "string"}]})) \
        == "integer or string"


def test_a_request_body_shows_its_fields_and_constraints():
    post = build_reference(SPEC).groups[0].operations[2]
    assert post.body_required and post.request_body.media_type == "application/json"
    fields = {f.name: f for f in post.request_body.table.fields}
    assert fields["partner_reference"].notes == ("at most 80 characters",)
    assert fields["lines"].required and fields["lines"].notes == ("at least 1 items",)
    listing = build_reference(SPEC).groups[0].operations[1]
    assert str(listing.answers[0].body.type) == "array of Order"
    assert listing.answers[0].body.table.name == "Order"  # the items' table
    assert listing.parameters[0].notes == ("one of: draft, shipped",)


def test_every_component_schema_gets_its_own_table():
    ref = build_reference(SPEC)
    assert [s.name for s in ref.schemas] == ["Order", "Line", "OrderRequest", "Error",
                                             "ErrorDetail"]
    assert ref.schemas[1].anchor == "schema-line"
    assert (ref.title, ref.version, ref.description) == ("Shopfloor API", "v1", "For partners.")


def _verifier():
    namespace: dict = {}
    exec(compile(VERIFY_SNIPPET, "snippet", "exec"), namespace)  # noqa: S102 - our own text
    return namespace["verify_shopfloor_signature"]


def test_the_documented_verification_snippet_accepts_a_real_signature_only():
    from shopfloor.webhooks.signing import sign

    verify = _verifier()
    secret, body, now = "whsec_test", b'{"id": "1", "type": "order.at_risk"}', int(time.time())
    header = sign(secret, now, body)
    # The scheme as documented: hex HMAC-SHA256 of "<t>." + body.
    expected = hmac.new(secret.encode(), f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    assert header == f"t={now},v1={expected}"
    assert verify(secret, header, body)
    assert not verify(secret, header, body + b" ")
    assert not verify("another secret", header, body)
    assert not verify(secret, sign(secret, now - 3600, body), body)  # a replay
    assert not verify(secret, "t=abc,v1=ż", body)
    assert not verify(secret, "", body)
