"""One place that turns label data into a file: PDF sheet, ZPL, PNG or SVG."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shopfloor.errors import DomainError

DEFAULT_GRIDS = {"batch": "a6", "pallet": "a6", "unit": "a6", "garment": "2x7", "badge": "a6"}
PNG_DPIS = (150, 203, 300, 600)
MIMETYPES = {"pdf": "application/pdf", "zpl": "text/plain; charset=utf-8",
             "png": "image/png", "svg": "image/svg+xml"}


def grid_names() -> list[str]:
    """The sheet presets to choose from."""
    from shopfloor.labels.sheets import PRESETS

    return list(PRESETS)


def default_grid(kind: str) -> str:
    """The usual sheet for a kind of label."""
    return DEFAULT_GRIDS.get(kind, "a6")


def svg(label) -> str:
    """One label as SVG, for the preview page."""
    from shopfloor.labels.symbols import render_svg

    return render_svg(label)


def render(labels: list, fmt: str, grid: str = "", dpi: int | None = None) -> tuple[bytes, str]:
    """The file for ``labels`` in ``fmt`` and its MIME type; DomainError for a bad choice."""
    from shopfloor.labels.kinds import LabelTooSmall

    try:
        return _render(labels, fmt, grid, dpi)
    except LabelTooSmall as exc:
        raise DomainError(_l("These labels do not fit: %(why)s", why=str(exc)),
                          field="grid") from None


def _render(labels: list, fmt: str, grid: str, dpi: int | None) -> tuple[bytes, str]:
    from shopfloor.labels.sheets import PRESETS, LabelTooSmall, pdf_sheet
    from shopfloor.labels.symbols import render_png, render_svg
    from shopfloor.labels.zpl import to_zpl

    if not labels:
        raise DomainError(_l("There is nothing to print."), field="codes")
    if fmt == "pdf":
        name = grid or default_grid(_kind(labels[0]))
        if name not in PRESETS:
            raise DomainError(_l("Choose a sheet from the list."), field="grid")
        try:
            return pdf_sheet(labels, PRESETS[name]), MIMETYPES[fmt]
        except LabelTooSmall as exc:
            raise DomainError(_l("These labels do not fit sheet %(grid)s: %(why)s",
                                 grid=name, why=str(exc)), field="grid") from None
    if fmt == "zpl":
        if (dpi or 203) not in (203, 300):
            raise DomainError(_l("Thermal printers here print at 203 or 300 dpi."), field="dpi")
        return to_zpl(labels, dpi=dpi or 203).encode("utf-8"), MIMETYPES[fmt]
    if len(labels) != 1:
        raise DomainError(_l("PNG and SVG hold one label: give one code."), field="codes")
    if dpi is not None and dpi not in PNG_DPIS:
        raise DomainError(_l("Choose a resolution of 150, 203, 300 or 600 dpi."), field="dpi")
    if fmt == "png":
        return render_png(labels[0], dpi=dpi or 300), MIMETYPES[fmt]
    if fmt == "svg":
        return render_svg(labels[0]).encode("utf-8"), MIMETYPES[fmt]
    raise DomainError(_l("Unknown format."), field="format")


def _kind(label) -> str:
    from shopfloor.labels.kinds import LABEL_KINDS

    return next((name for name, cls in LABEL_KINDS.items() if isinstance(label, cls)), "batch")
