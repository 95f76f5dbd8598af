"""What the OpenAPI document says beyond the blueprints' own decorators: the error body every
error answer really has, the errors every operation can answer (401, 403, 429 and, where they
apply, 400 and 404), the bearer-token security scheme, and decimals as the strings Flask
sends. Kept in one place so a new blueprint is documented the same way without repeating it.
"""

from __future__ import annotations

from apispec import BasePlugin
from marshmallow import Schema, fields

ERROR_REF = {"$ref": "#/components/schemas/Error"}
SECURITY_SCHEME = "bearerAuth"
RETRY_AFTER = {"description": "Seconds to wait before the next request",
               "schema": {"type": "integer"}}
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


class ErrorDetailSchema(Schema):
    """What went wrong (documentation only: ``shopfloor.errors`` writes the body)."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    title = fields.String(metadata={"description": "A short name of the error"})
    message = fields.String(required=True,
                            metadata={"description": "What happened and what to do about it"})
    errors = fields.Dict(metadata={
        "description": "Input that was refused, by location (json, query, headers) and "
                       "field name, each with its messages"})
    field = fields.String(metadata={"description": "The field a business rule refused"})


class ErrorSchema(Schema):
    """Every error answer: one ``error`` object (named ``Error`` in the document)."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def _error(description: str, **extra) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": dict(ERROR_REF)}}, **extra}


def common_errors(path: str, operation: dict) -> dict[str, dict]:
    """The error answers any operation on ``path`` can give, by status code."""
    errors = {
        "401": _error("No valid token: send Authorization: Bearer <token>"),
        "403": _error("The token's account may not do this, or the token may only read"),
        "429": _error("Too many requests this minute for this token",
                      headers={"Retry-After": dict(RETRY_AFTER)}),
    }
    if "{" in path:
        errors["404"] = _error("Not found (or not one of yours)")
    if "requestBody" in operation:
        errors["400"] = _error("The body is not valid JSON")
    return errors


class ErrorResponsesPlugin(BasePlugin):
    """apispec plugin: every operation documents its error answers with the Error body."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Add the common error answers and give bare error answers the Error body."""
        for method, operation in (operations or {}).items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for code, response in list(responses.items()):
                if (str(code)[0] in "45" and isinstance(response, dict)
                        and "content" not in response and "$ref" not in response):
                    response["content"] = {"application/json": {"schema": dict(ERROR_REF)}}
            present = {str(code) for code in responses}
            for code, response in common_errors(path or "", operation).items():
                if code not in present:
                    responses[code] = response


DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


def decimal_as_string(self, field, ret=None, **kwargs) -> dict:
    """apispec attribute function: a Decimal field is a string of digits in the JSON (Flask
    writes Decimal as text, so no precision is lost), e.g. "12.500"."""
    if not isinstance(field, fields.Decimal):
        return {}
    current = (ret or {}).get("type")
    kind = (["string" if t == "number" else t for t in current]
            if isinstance(current, list) else "string")
    return {"type": kind, "format": "decimal", "pattern": DECIMAL_PATTERN}


def spec_options(public_base_url: str) -> dict:
    """APISpec options: the server, the security requirement and the plugin."""
    return {
        "extra_plugins": [ErrorResponsesPlugin()],
        "servers": [{"url": public_base_url}],
        "security": [{SECURITY_SCHEME: []}],
        "info": {"description": "Orders, batches and shipments of the cooperative for its "
                                "partners' systems. The reference page is at /api/v1/docs."},
    }


def complete_spec(api) -> None:
    """After init_app, before any blueprint: the security scheme and the decimal mapping."""
    api.spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer",
        "description": "An API token (sft_...) created on the API tokens page"})
    api.ma_plugin.converter.add_attribute_function(decimal_as_string)
