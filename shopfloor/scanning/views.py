"""The supervisors' scan screen, camera frames, and the /s/<CODE> links printed in QR codes."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from flask_login import current_user

from shopfloor.auth.access import require_role
from shopfloor.core.roles import STAFF
from shopfloor.errors import DomainError
from shopfloor.scanning.frames import decode_frame
from shopfloor.scanning.services import resolve_scan

bp = Blueprint("scanning", __name__)


@bp.get("/s/<path:code>")
@require_role(*STAFF)
def scan_link(code: str):
    """A QR code opened by any phone camera: go to the record's page (after sign-in)."""
    result = resolve_scan(f"/s/{code}", current_user._get_current_object(), station="link")
    if result.accepted:
        return redirect(result.url)
    return render_template("scanning/scan.html", result=result), 404


@bp.route("/scan", methods=["GET", "POST"])
@require_role(*STAFF)
def scan():
    """Scan screen: a wedge scanner types into the field and presses Enter by itself."""
    result = None
    if request.method == "POST":
        result = resolve_scan(request.form.get("raw", ""), current_user._get_current_object(),
                              station=request.form.get("station", ""))
    status = 200 if result is None or result.accepted else 422
    return render_template("scanning/scan.html", result=result), status


@bp.post("/scan/frame")
@require_role(*STAFF)
def scan_frame():
    """Decode one camera frame for browsers without BarcodeDetector; the page then submits
    the text like any other scan, so it is resolved and logged once."""
    return decoded_frame_answer()


def decoded_frame_answer():
    """The JSON answer to an uploaded camera frame (``frame``): the text read, if any.

    Shared by the scan screen and the worker tablets' camera."""
    upload = request.files.get("frame")
    try:
        text = decode_frame(upload.read() if upload else b"",
                            current_app.config["SHOPFLOOR"]["uploads.max_bytes"])
    except DomainError as exc:
        return jsonify(found=False, message=str(exc.message)), 422
    return jsonify(found=text is not None, text=text)
