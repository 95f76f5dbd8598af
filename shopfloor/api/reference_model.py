"""The API reference page's content, built from the OpenAPI document (a plain dict): operations
grouped by tag, their parameters, bodies and answers, and every schema as a table of fields.

Pure functions, no Flask: ``build_reference(api.spec.to_dict())``. References (``$ref``) are
resolved here; a type that names a schema keeps its name, so the page links to that schema's
own table instead of repeating it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCHEMA_PREFIX = "#/components/schemas/"
METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
JSON = "application/json"
LOCATION_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


@dataclass(frozen=True)
class TypeText:
    """A type as words, in pieces; a piece with ``ref`` names a schema with its own table."""

    parts: tuple[tuple[str, str | None], ...]

    def __str__(self) -> str:
        return "".join(text for text, _ref in self.parts)

    @property
    def refs(self) -> list[str]:
        """The schemas this type names."""
        return [ref for _text, ref in self.parts if ref]


@dataclass(frozen=True)
class Field:
    """One field of a schema, or one parameter or header."""

    name: str
    type: TypeText
    required: bool = False
    description: str = ""
    notes: tuple[str, ...] = ()
    location: str = ""  # for parameters: path, query, header


@dataclass(frozen=True)
class SchemaTable:
    """A schema's fields, with an anchor other types link to."""

    name: str
    anchor: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Body:
    """A request or answer body: its media type, its type, and the table of its top schema."""

    media_type: str
    type: TypeText
    table: SchemaTable | None


@dataclass(frozen=True)
class Answer:
    """One documented answer of an operation."""

    status: str
    description: str
    body: Body | None
    headers: tuple[Field, ...]

    @property
    def is_success(self) -> bool:
        """A 2xx answer (its fields are shown in full)."""
        return self.status.startswith("2")


@dataclass(frozen=True)
class Operation:
    """One method on one path."""

    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    request_body: Body | None
    body_required: bool
    answers: tuple[Answer, ...]


@dataclass
class Group:
    """The operations of one tag."""

    name: str
    title: str
    description: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    """Everything the reference page shows, in order."""

    title: str
    version: str
    description: str
    groups: tuple[Group, ...]
    schemas: tuple[SchemaTable, ...]


def slug(text: str) -> str:
    """An id-safe form of a path or name: letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def schema_anchor(name: str) -> str:
    """The id of a schema's table on the page."""
    return f"schema-{slug(name)}"


def tag_title(name: str) -> str:
    """A readable title for a tag such as ``api_orders`` (``Orders``)."""
    words = name.removeprefix("api_").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def _ref_name(ref: str) -> str | None:
    return ref[len(SCHEMA_PREFIX):] if ref.startswith(SCHEMA_PREFIX) else None


def resolve(spec: dict, node):
    """Follow ``$ref`` (to any part of the document) until a plain object."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) \
                if isinstance(target, dict) else {}
        node = target
    return node if isinstance(node, dict) else {}


def type_text(schema) -> TypeText:
    """A schema's type in words: "string (date)", "array of OrderLine", "integer or null"."""
    return TypeText(tuple(_type_parts(schema or {})))


def _type_parts(schema: dict) -> list[tuple[str, str | None]]:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return [(name, name)] if name else [(schema["$ref"].rsplit("/", 1)[-1], None)]
    for key, joiner in (("oneOf", " or "), ("anyOf", " or "), ("allOf", " and ")):
        if schema.get(key):
            parts: list[tuple[str, str | None]] = []
            for index, option in enumerate(schema[key]):
                if index:
                    parts.append((joiner, None))
                parts += _type_parts(option)
            return parts
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    nullable = "null" in types or schema.get("nullable") is True
    types = [t for t in types if t != "null"]
    parts = []
    for index, kind in enumerate(types or ["any"]):
        if index:
            parts.append((" or ", None))
        if kind == "array":
            parts.append(("array of ", None))
            parts += _type_parts(schema.get("items") or {})
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict) \
                and schema["additionalProperties"] and not schema.get("properties"):
            parts.append(("object of ", None))
            parts += _type_parts(schema["additionalProperties"])
        else:
            parts.append((f"{kind} ({schema['format']})" if schema.get("format") else kind,
                          None))
    if nullable:
        parts.append((" or null", None))
    return parts


def _notes(schema: dict) -> tuple[str, ...]:
    """Constraints a client must respect, as short English phrases."""
    notes = []
    enum = [v for v in schema.get("enum") or [] if v is not None]
    if enum:
        notes.append("one of: " + ", ".join(str(v) for v in enum))
    for key, phrase in (("minLength", "at least {} characters"),
                        ("maxLength", "at most {} characters"), ("minimum", "at least {}"),
                        ("maximum", "at most {}"), ("minItems", "at least {} items"),
                        ("maxItems", "at most {} items"), ("pattern", "matches {}")):
        if key in schema:
            notes.append(phrase.format(schema[key]))
    if "default" in schema and schema["default"] not in ("", None):
        notes.append(f"default: {schema['default']}")
    if schema.get("readOnly"):
        notes.append("read only")
    return tuple(notes)


def _fields_of(spec: dict, schema: dict) -> tuple[Field, ...]:
    required = set(schema.get("required") or [])
    fields = []
    for name, prop in (schema.get("properties") or {}).items():
        plain = resolve(spec, prop) if "$ref" in prop and not _ref_name(prop["$ref"]) else prop
        fields.append(Field(name=name, type=type_text(plain), required=name in required,
                            description=plain.get("description", ""), notes=_notes(plain)))
    return tuple(fields)


def schema_table(spec: dict, name: str) -> SchemaTable:
    """The table of one component schema."""
    schema = (spec.get("components", {}).get("schemas", {})).get(name, {})
    return SchemaTable(name=name, anchor=schema_anchor(name),
                       description=schema.get("description", ""),
                       fields=_fields_of(spec, schema))


def _top_table(spec: dict, schema: dict) -> SchemaTable | None:
    """The table shown with a body: its schema's, or its items' for an array."""
    target = schema.get("items", {}) if schema.get("type") == "array" else schema
    name = _ref_name(target.get("$ref", ""))
    if name:
        return schema_table(spec, name)
    if target.get("properties"):
        return SchemaTable(name="", anchor="", description=target.get("description", ""),
                           fields=_fields_of(spec, target))
    return None


def _body(spec: dict, content: dict, with_table: bool) -> Body | None:
    if not content:
        return None
    media_type = JSON if JSON in content else next(iter(content))
    schema = content[media_type].get("schema") or {}
    return Body(media_type=media_type, type=type_text(schema),
                table=_top_table(spec, schema) if with_table else None)


def _parameter(spec: dict, raw: dict) -> Field:
    param = resolve(spec, raw)
    schema = param.get("schema") or {}
    return Field(name=param.get("name", ""), type=type_text(schema),
                 required=bool(param.get("required")),
                 description=param.get("description", "") or schema.get("description", ""),
                 notes=_notes(schema), location=param.get("in", ""))


def _status_key(status: str) -> tuple[int, str]:
    return (999, status) if not status.isdigit() else (int(status), status)


def _answer(spec: dict, status: str, raw: dict) -> Answer:
    response = resolve(spec, raw)
    headers = []
    for name, header in (response.get("headers") or {}).items():
        header = resolve(spec, header)
        headers.append(Field(name=name, type=type_text(header.get("schema") or {}),
                             description=header.get("description", "")))
    return Answer(status=status, description=response.get("description", ""),
                  body=_body(spec, response.get("content") or {}, status.startswith("2")),
                  headers=tuple(headers))


def _operation(spec: dict, path: str, method: str, item: dict, raw: dict) -> Operation:
    params: dict[tuple[str, str], Field] = {}
    for source in (item.get("parameters") or [], raw.get("parameters") or []):
        for param in source:
            parsed = _parameter(spec, param)
            params[(parsed.location, parsed.name)] = parsed  # the operation's own wins
    body = resolve(spec, raw.get("requestBody") or {})
    return Operation(
        method=method.upper(), path=path, anchor=f"op-{method}-{slug(path)}",
        summary=raw.get("summary", ""), description=raw.get("description", ""),
        parameters=tuple(sorted(params.values(),
                                key=lambda p: LOCATION_ORDER.get(p.location, 9))),
        request_body=_body(spec, body.get("content") or {}, True),
        body_required=bool(body.get("required")),
        answers=tuple(_answer(spec, str(status), response) for status, response in
                      sorted((raw.get("responses") or {}).items(),
                             key=lambda pair: _status_key(str(pair[0])))))


def build_reference(spec: dict) -> Reference:
    """The page's content: operations grouped by tag (in the document's tag order), then
    every component schema as a table."""
    tags = {t["name"]: t for t in spec.get("tags") or [] if "name" in t}
    groups: dict[str, Group] = {}

    def group(name: str) -> Group:
        if name not in groups:
            tag = tags.get(name, {})
            groups[name] = Group(name=name, title=tag_title(name),
                                 description=tag.get("description", ""),
                                 anchor=f"tag-{slug(name)}")
        return groups[name]

    for name in tags:
        group(name)
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                raw = item[method]
                group((raw.get("tags") or ["other"])[0]).operations.append(
                    _operation(spec, path, method, item, raw))
    info = spec.get("info") or {}
    schemas = tuple(schema_table(spec, name)
                    for name in (spec.get("components", {}).get("schemas") or {}))
    return Reference(title=info.get("title", "API"), version=info.get("version", ""),
                     description=info.get("description", ""),
                     groups=tuple(g for g in groups.values() if g.operations),
                     schemas=schemas)
