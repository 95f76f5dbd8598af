"""Pieces the API's blueprints share: bounded record ids in paths, paging a query safely,
a timestamp filter every database can hold, a 422 naming the refused fields, and the
pagination header as the document describes it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest, UnprocessableEntity

from shopfloor.extensions import db

# The largest id an INTEGER column holds (PostgreSQL). A path id beyond it, or below 1, does
# not match the route at all: 404, never a query the database cannot run.
MAX_ID = 2**31 - 1
ID = f"int(min=1, max={MAX_ID})"
# Timestamps the filters accept: every database and Python's datetime can hold their UTC form.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def acting_user():
    """The signed-in account behind the request (token owner or session)."""
    return current_user._get_current_object()


class Moment(fields.AwareDateTime):
    """An ISO 8601 moment with a time zone, in UTC; one before 1900 counts as 1900 and one
    after 9000 as 9000 (the same answer for a "since" filter), so that converting it to UTC
    and comparing it in SQL cannot overflow."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_utc = moment.astimezone(UTC)
        except OverflowError:  # year 1 or 9999 shifted past the calendar's end
            return EARLIEST if moment.year < 5000 else LATEST
        return min(max(in_utc, EARLIEST), LATEST)


def page_of(query, pagination_parameters) -> list:
    """One page of ``query``'s rows, the total set on the pagination parameters; a page past
    the end is empty without asking the database for an offset it may not hold."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pagination_parameters.item_count = total
    if pagination_parameters.first_item >= total:
        return []
    return list(db.session.scalars(query.offset(pagination_parameters.first_item)
                                   .limit(pagination_parameters.page_size)))


def _nul_paths(value, prefix: str = ""):
    """The dotted names of the strings (and keys) in a JSON value holding U+0000."""
    if isinstance(value, str):
        if "\x00" in value:
            yield prefix or "_body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if "\x00" in str(key):
                yield name
            else:
                yield from _nul_paths(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{prefix}.{index}" if prefix else str(index))


def refuse_nul_characters() -> None:
    """before_request under /api/: refuse (422, naming the field) text holding U+0000 in
    the query or the JSON body. No field means it, and PostgreSQL cannot store or even
    compare it, so it would otherwise end as a server error wherever it reached SQL."""
    if not request.path.startswith("/api/") or not current_user.is_authenticated:
        return  # others are the views' (401) and the pages' to answer
    message = [_("Remove the control character (U+0000) from this value.")]
    refused: dict[str, dict] = {}
    for name, values in request.args.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            refused.setdefault("query", {})[name] = message
    if request.is_json:
        try:
            paths = list(_nul_paths(request.get_json(silent=True)))
        except RecursionError:  # "[[[[..." thousands deep: no request of ours looks so
            raise BadRequest(_("The JSON body is nested too deeply.")) from None
        if paths:
            refused["json"] = {path: message for path in paths}
    if refused:
        error = UnprocessableEntity(description=_("Some values hold a control character."))
        error.data = {"messages": refused}
        raise error


def unprocessable(message: str, fields_: dict[str, list[str]],
                  location: str = "json") -> NoReturn:
    """Answer 422 with ``message`` and the refused fields by name, in the same shape as a
    body the schema refused ({"errors": {"json": {"lines.0.due_date": [...]}}})."""
    error = UnprocessableEntity(description=str(message))
    error.data = {"messages": {location: fields_}}
    raise error


def register_pagination_header(spec) -> None:
    """Document X-Pagination as what it is: JSON text in a header (flask-smorest declares an
    object, which a checker reading the document expects to find as k,v pairs)."""
    from flask_smorest.pagination import PaginationMetadataSchema

    spec.components.schema("PaginationMetadata", schema=PaginationMetadataSchema)
    spec.components.header("PAGINATION", {
        "description": "Paging as JSON: total, total_pages, first_page, last_page, page, "
                       "previous_page, next_page",
        "schema": {"type": "string", "contentMediaType": "application/json",
                   "contentSchema": {"$ref": "#/components/schemas/PaginationMetadata"}}})
