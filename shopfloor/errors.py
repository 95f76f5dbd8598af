"""Domain errors raised by services, and the HTML and JSON error handlers."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule of the business refused a change; ``message`` says what to do, ``field`` where."""

    status_code = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """Somebody else changed the record first; the person must reload and try again."""

    status_code = 409


def wants_json() -> bool:
    """API paths and health checks answer JSON; everything else HTML."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def _error_titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("The request could not be handled"),
              _("Something in the request was not right. Go back and try again.")),
        401: (_("Sign in first"), _("You need to sign in to open this page.")),
        403: (_("No access"), _("Your account may not open this page. "
                                "Ask the manager if you need it.")),
        404: (_("Page not found"), _("There is no page at this address. "
                                     "Check the address or go to the start page.")),
        405: (_("Not allowed"), _("This page cannot be used this way.")),
        409: (_("Changed by someone else"), _("Reload the page and try again.")),
        413: (_("File too large"), _("The file is larger than allowed. Choose a smaller one.")),
        422: (_("Check what you sent"), _("Some values were not accepted. Correct them and "
                                          "send again.")),
        429: (_("Too many requests"), _("Wait a minute and try again.")),
        500: (_("Something went wrong"), _("The error was recorded. Try again in a moment; "
                                           "if it happens again, tell the manager.")),
    }


def flat_errors(errors: dict) -> dict:
    """Refused input by location, each field named by its full path, e.g. {"json":
    {"lines.0.product_code": [...]}}: one name a client can show, whatever the nesting
    (webargs nests list rows under their index)."""
    flat: dict = {}
    for location, fields in errors.items():
        if not isinstance(fields, dict):
            flat[str(location)] = fields
            continue
        named: dict = {}
        pending = [("", fields)]
        while pending:
            prefix, node = pending.pop()
            for key, value in node.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(value, dict):
                    pending.append((name, value))
                else:
                    named[name] = value
        flat[str(location)] = named
    return flat


def _respond(code: int, detail: str | None = None, errors: dict | None = None):
    title, default_detail = _error_titles().get(code, (str(code), ""))
    message = detail or default_detail
    if wants_json():
        body = {"code": code, "title": title, "message": message}
        if errors:
            body["errors"] = flat_errors(errors)
        return jsonify(error=body), code
    if request.blueprint == "tablet":
        # A worker's tablet gets an easy-to-read page with one big way back, never the
        # office page's long text; on a known station, with Help in its usual place.
        if getattr(g, "station", None) is not None:
            from shopfloor.tablet.views import render_station_page

            try:
                return render_station_page("error.html", code, code=code)
            except Exception:  # noqa: BLE001 - the page without Help is still an answer
                current_app.logger.exception("The station's error page failed")
        return render_template("tablet/error.html", code=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    """Answer errors with a page in the person's language, or JSON under /api/."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        app.logger.info("CSRF refused: %s", exc.description)
        return _respond(400, _("The form expired or was sent from another page. "
                               "Go back, reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        # A description given to abort() is the message; werkzeug's stock text is not.
        custom = exc.description if exc.description != type(exc).description else None
        messages = (getattr(exc, "data", None) or {}).get("messages")
        response, code = _respond(exc.code, custom, messages)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response = make_response(response, code)
            response.headers["Retry-After"] = str(retry_after)
            return response
        return response, code

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if wants_json():
            body = {"code": exc.status_code, "message": str(exc.message)}
            if exc.field:
                body["field"] = exc.field
            return jsonify(error=body), exc.status_code
        return _respond(exc.status_code, str(exc.message))
