"""Start page, health check, language choice, and hooks shared by every page."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from shopfloor.auth.access import PUBLIC, require_role
from shopfloor.auth.forms import role_name
from shopfloor.auth.models import ROLE_VALUES
from shopfloor.auth.services import MIN_PASSWORD_LENGTH, set_language
from shopfloor.config import LANGUAGES
from shopfloor.core.dashboard import build_dashboard
from shopfloor.core.forms import LANGUAGE_NAMES, LanguageForm
from shopfloor.core.navigation import navigation_for
from shopfloor.database import check_database
from shopfloor.forms_support import safe_next
from shopfloor.lines import all_lines
from shopfloor.orders.status import ORDER_STATUS_NAMES
from shopfloor.production.status import BATCH_STATUS_NAMES
from shopfloor.timeutil import local_today

bp = Blueprint("core", __name__)



@bp.get("/")
@require_role(*ROLE_VALUES)
def home():
    """Start page for staff: overdue and due orders, lots to approve, batches per line.
    A partner's account starts in the portal instead."""
    if current_user.is_partner:
        return redirect(url_for("portal.order_list"))
    today = local_today()
    return render_template("core/home.html", lines=all_lines(), today=today,
                           week_end=today + timedelta(days=7), dashboard=build_dashboard(today))


@bp.get("/healthz")
@require_role(PUBLIC)
def healthz():
    """Liveness and database check for load balancers and monitoring."""
    problem = check_database()
    if problem is None:
        return jsonify(status="ok", database="ok")
    current_app.logger.error("Health check: database failed: %s", problem)
    return jsonify(status="error", database="unreachable"), 503


@bp.post("/language")
@require_role(PUBLIC)
def choose_language():
    """Switch the interface language: stored on the account, or in the session before sign-in."""
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in LANGUAGES:
        if current_user.is_authenticated:
            set_language(current_user._get_current_object(), form.language.data)
        else:
            session["language"] = form.language.data
    return redirect(safe_next(form.next.data, url_for("core.home")))


def template_globals() -> dict:
    """Values every template may use."""
    settings = current_app.config["SHOPFLOOR"]
    role = current_user.role if current_user.is_authenticated else None
    return {
        "cooperative_name": settings["cooperative.name"],
        "navigation": navigation_for(role),
        "current_language": str(get_locale() or settings["default_language"]),
        "language_names": LANGUAGE_NAMES,
        "language_next": request.full_path.rstrip("?"),
        "role_name": role_name,
        "batch_status_names": BATCH_STATUS_NAMES,
        "order_status_names": ORDER_STATUS_NAMES,
        "min_password_length": MIN_PASSWORD_LENGTH,
    }


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response):
    """after_request: no framing, no sniffing, no third-party content."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # is_anonymous needs no database read (is_authenticated would reload the user after a
    # commit has expired it).
    if not current_user.is_anonymous:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
