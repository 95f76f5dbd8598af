"""The steps of create_app: configuration, extensions, blueprints, hooks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from shopfloor import config as config_module
from shopfloor.extensions import babel, csrf, db, login_manager, migrate
from shopfloor.paths import MIGRATIONS_DIR, TRANSLATIONS_DIR


class RequestAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def configure_app(app: Flask, overrides: dict[str, Any]) -> None:
    """Resolve settings and translate them into Flask and extension configuration."""
    instance_path = Path(app.instance_path)
    settings = config_module.load_settings(instance_path, overrides)
    app.config["SHOPFLOOR"] = settings
    app.config.update(
        SECRET_KEY=config_module.secret_key(settings, instance_path),
        SQLALCHEMY_DATABASE_URI=config_module.database_url(settings, instance_path),
        # The most any request may send; _upload_limit narrows it to uploads.max_bytes for
        # every view but the step forms, which may carry a film.
        MAX_CONTENT_LENGTH=max(settings["uploads.max_bytes"], settings["uploads.max_video_bytes"])
        + FORM_HEADROOM,
        SESSION_COOKIE_NAME="shopfloor_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["public_base_url"].startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["security.session_hours"]),
        WTF_CSRF_TIME_LIMIT=settings["security.session_hours"] * 3600,
        # auth.bearer.csrf_unless_bearer checks CSRF on every request but token API calls.
        WTF_CSRF_CHECK_DEFAULT=False,
        BABEL_DEFAULT_LOCALE=settings["default_language"],
        BABEL_DEFAULT_TIMEZONE=settings["time_zone"],
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR),
        PREFERRED_URL_SCHEME="https" if settings["public_base_url"].startswith("https") else "http",
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        instance_path.mkdir(parents=True, exist_ok=True)
    if settings["security.proxy_hops"]:
        hops = settings["security.proxy_hops"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = RequestAwareSessionInterface()


# The views whose forms may carry a step's film (uploads.max_video_bytes).
VIDEO_ENDPOINTS = frozenset({"instructions.step_add", "instructions.step_update"})
# Room for a form's other fields, so that a file a little over its limit still reaches the
# service, which refuses it with a message next to its field (not a bare 413 page).
FORM_HEADROOM = 1024 * 1024


def _upload_limit() -> None:
    """The largest body this request may send: a film only where a step is edited."""
    settings = current_app.config["SHOPFLOOR"]
    largest = settings["uploads.max_bytes"]
    if request.endpoint in VIDEO_ENDPOINTS:
        largest = max(largest, settings["uploads.max_video_bytes"])
    request.max_content_length = largest + FORM_HEADROOM


def _select_locale() -> str:
    """The user's chosen language, else the one picked on the sign-in page, else the browser's."""
    from shopfloor.config import LANGUAGES

    if not has_request_context():
        return current_app.config["SHOPFLOOR"]["default_language"]
    if current_user and current_user.is_authenticated and current_user.language:
        return current_user.language
    if session.get("language") in LANGUAGES:
        return session["language"]
    # Accept-Language is sorted by preference; "pl-PL" counts as "pl".
    for value, _quality in request.accept_languages:
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    return current_app.config["SHOPFLOOR"]["default_language"]


def register_parts(app: Flask) -> None:
    """Bind extensions, blueprints, error handlers, hooks and CLI commands."""
    from shopfloor import models  # noqa: F401 - registers every model with the metadata
    from shopfloor.api import init_api
    from shopfloor.auth.access import guard_undeclared_views
    from shopfloor.auth.services import load_user_from_session
    from shopfloor.cli import register_commands
    from shopfloor.core.filters import register_filters
    from shopfloor.core.views import security_headers, template_globals
    from shopfloor.database import configure_sqlite
    from shopfloor.errors import register_error_handlers

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    from shopfloor.auth.bearer import (
        authenticate_request,
        csrf_unless_bearer,
        load_user_from_request,
    )

    app.before_request(_upload_limit)  # first: before anything reads the body
    app.before_request(authenticate_request)
    app.before_request(csrf_unless_bearer)
    babel.init_app(app, locale_selector=_select_locale,
                   timezone_selector=lambda: app.config["SHOPFLOOR"]["time_zone"])

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(load_user_from_request)
    login_manager.unauthorized_handler(_unauthorized)

    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    from shopfloor.planning.stale import install as watch_forecast_inputs

    watch_forecast_inputs()
    register_filters(app)
    init_api(app)
    register_error_handlers(app)
    app.before_request(guard_undeclared_views)
    app.after_request(security_headers)
    app.context_processor(template_globals)
    register_commands(app)


def _blueprints() -> list:
    """Every area's blueprint, in menu order."""
    from shopfloor.auth.token_views import bp as api_tokens
    from shopfloor.auth.views import bp as auth
    from shopfloor.catalog.views import bp as catalog
    from shopfloor.copack.views import bp as copack
    from shopfloor.core.public import bp as public
    from shopfloor.core.views import bp as core
    from shopfloor.floor.views import bp as floor
    from shopfloor.harness.views import bp as harness
    from shopfloor.instructions.views import bp as instructions
    from shopfloor.labels.views import bp as labels
    from shopfloor.materials.views import bp as materials
    from shopfloor.notifications.views import bp as notifications
    from shopfloor.orders.views import bp as orders
    from shopfloor.partners.views import bp as partners
    from shopfloor.planning.day_views import bp as day_plan
    from shopfloor.planning.views import bp as planning
    from shopfloor.portal.account_views import bp as portal_accounts
    from shopfloor.portal.account_views import welcome_bp as portal_welcome
    from shopfloor.portal.public import bp as portal_public
    from shopfloor.portal.recall_views import bp as portal_recalls
    from shopfloor.portal.request_views import bp as portal_requests
    from shopfloor.portal.returns_views import bp as portal_returns
    from shopfloor.portal.views import bp as portal
    from shopfloor.production.views import bp as production
    from shopfloor.recipes.views import bp as recipes
    from shopfloor.returns.tablet_views import bp as repair_tablet
    from shopfloor.returns.views import bp as returns
    from shopfloor.scanning.views import bp as scanning
    from shopfloor.scheduling.views import bp as scheduling
    from shopfloor.shipping.views import bp as shipping
    from shopfloor.stations.views import bp as stations
    from shopfloor.tablet.views import bp as tablet
    from shopfloor.traceability.views import bp as traceability
    from shopfloor.webhooks.views import bp as webhooks
    from shopfloor.workers.views import bp as workers

    return [core, public, auth, scanning, orders, production, materials, shipping, traceability,
            partners, catalog, labels, workers, instructions, stations, floor, tablet,
            day_plan, planning, scheduling, notifications, portal_accounts, portal_welcome,
            portal, portal_public, portal_requests, portal_returns, portal_recalls, returns,
            repair_tablet, recipes, harness, copack, api_tokens, webhooks]


def _unauthorized():
    """Send people to the sign-in page; API clients get a 401 JSON body."""
    from flask import abort, redirect, url_for

    from shopfloor.errors import wants_json

    if wants_json():
        abort(401)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target))
