"""Shopfloor: production and order management for social cooperatives.

``create_app`` is the only entry point; importing the package starts nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    ``config`` overrides the resolved configuration: lowercase keys (dotted or nested,
    as in config.example.toml) are Shopfloor settings; UPPERCASE keys go to Flask as they are.
    """
    from shopfloor.app_setup import configure_app, register_parts
    from shopfloor.paths import STATIC_DIR, TEMPLATES_DIR

    overrides = dict(config or {})
    flask_keys = {k: overrides.pop(k) for k in list(overrides) if k.isupper()}
    instance_path = os.environ.get("SHOPFLOOR_INSTANCE_PATH")
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
    )
    configure_app(app, overrides)
    app.config.update(flask_keys)
    register_parts(app)
    return app
