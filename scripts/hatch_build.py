"""Hatchling build hook: compile gettext catalogues so both languages work after install,
and carry the repository-root templates/ and static/ inside the package of a wheel."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):
    """Turn every shopfloor/translations/<lang>/LC_MESSAGES/*.po into a .mo beside it."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        """Compile the catalogues and add the .mo files to the build."""
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po_path in sorted((root / "shopfloor" / "translations").glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            build_data.setdefault("artifacts", []).append(str(mo_path.relative_to(root)))
        if version != "editable":
            # An editable install reads them from the checkout (see shopfloor/paths.py).
            force_include = build_data.setdefault("force_include", {})
            force_include[str(root / "templates")] = "shopfloor/templates"
            force_include[str(root / "static")] = "shopfloor/static"
