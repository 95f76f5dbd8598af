"""The JSON API (flask-smorest, OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from shopfloor.auth.access import PUBLIC, require_role


class ShopfloorApi(Api):
    """flask-smorest's Api without its app-wide HTTP error handler: shopfloor.errors already
    answers JSON under /api/ and HTML everywhere else."""

    def _register_error_handlers(self):
        pass


api = ShopfloorApi()


def init_api(app: Flask) -> None:
    """Bind the API and register its blueprints."""
    from shopfloor.api.orders import blp as orders
    from shopfloor.api.scans import blp as scans

    app.config.setdefault("API_TITLE", "Shopfloor API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app)
    api.register_blueprint(scans)
    api.register_blueprint(orders)
    # The OpenAPI document describes the API to partners' developers: anyone may read it.
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = require_role(PUBLIC)(view)
