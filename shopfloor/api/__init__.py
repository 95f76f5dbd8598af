"""The JSON API (flask-smorest, OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from shopfloor.api.spec import ErrorSchema, complete_spec, spec_options
from shopfloor.auth.access import PUBLIC, require_role


class ShopfloorApi(Api):
    """flask-smorest's Api without its app-wide HTTP error handler: shopfloor.errors already
    answers JSON under /api/ and HTML everywhere else."""

    # The error body shopfloor.errors really writes, for the document.
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass

    def _register_pagination_header(self):
        from shopfloor.api.common import register_pagination_header

        register_pagination_header(self.spec)


api = ShopfloorApi()


def init_api(app: Flask) -> None:
    """Bind the API and register its blueprints."""
    from shopfloor.api.batches import blp as batches
    from shopfloor.api.order_lines import blp as order_lines
    from shopfloor.api.order_requests import blp as order_requests
    from shopfloor.api.orders import blp as orders
    from shopfloor.api.returned_items import blp as returned_items
    from shopfloor.api.scans import blp as scans
    from shopfloor.api.shipments import blp as shipments

    app.config.setdefault("API_TITLE", "Shopfloor API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app, spec_kwargs=spec_options(app.config["SHOPFLOOR"]["public_base_url"]))
    from shopfloor.api.common import refuse_nul_characters

    app.before_request(refuse_nul_characters)
    complete_spec(api)
    api.register_blueprint(scans)
    api.register_blueprint(orders)
    api.register_blueprint(order_requests)
    api.register_blueprint(order_lines)
    api.register_blueprint(batches)
    api.register_blueprint(shipments)
    api.register_blueprint(returned_items)
    from shopfloor.api.reference import bp as reference

    app.register_blueprint(reference)
    # The OpenAPI document describes the API to partners' developers: anyone may read it.
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = require_role(PUBLIC)(view)
