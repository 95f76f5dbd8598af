"""Co-packing and kitting (shared/domain.md section 4): a batch builds kits to one version
of the kit's bill of materials (``shopfloor.copack``). Every kit counted, on the tablet or
in the office, uses the partner's components in the same transaction; the partner's
material itself (receipts, scrap, returns, the reconciliation) is kept per order.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from shopfloor.lines import fields as f
from shopfloor.lines.base import Findings, LinePlugin, RecordField


class CopackRecordSchema(Schema):
    bom_id = f.text(max_length=12)


def bom_of(batch):
    """The bill-of-materials version a batch builds to (None until chosen)."""
    from shopfloor.copack.models import KitBom
    from shopfloor.extensions import db

    raw = str((batch.record or {}).get("bom_id") or "")
    return db.session.get(KitBom, int(raw)) if raw.isdigit() else None


class CopackLine(LinePlugin):
    code = "copack"
    name = _l("Co-packing")
    schema = CopackRecordSchema
    ships_on_pallets = True
    fields = (
        RecordField("bom_id", _l("Bill of materials version"), "choice",
                    hint=_l("Kits are built to an active version; each kit counted uses the "
                            "partner's components listed in it.")),
    )

    def field_choices(self, spec, batch):
        from shopfloor.copack.boms import usable_boms

        if spec.name != "bom_id":
            return spec.choices
        return tuple((str(b.id), f"{b.label} · {b.product.code}"
                      + (f" · GTIN {b.kit_gtin}" if b.kit_gtin else ""))
                     for b in usable_boms(batch.product_id))

    def check_for_batch(self, batch, record, findings: Findings) -> None:
        from shopfloor.copack.boms import usable_boms

        raw = str(record.get("bom_id") or "")
        if raw and raw not in {str(b.id) for b in usable_boms(batch.product_id)}:
            findings.error("bom_id", _l("Choose an active bill of materials of this kit."))
        chosen = str((batch.record or {}).get("bom_id") or "")
        if batch.good_quantity and raw != chosen:
            findings.error("bom_id", _l("Kits were built to the version chosen before: it "
                                        "cannot change now."))

    def scan_counts(self, batch, text: str) -> bool:
        """A scan of the kit's own GTIN (EAN-13, GTIN-14 or a GS1 element string with AI
        01) is one kit built."""
        from shopfloor.labels.gs1 import Gs1Error, looks_like_gs1, parse_element_string

        bom = bom_of(batch)
        if bom is None or not bom.kit_gtin:
            return False
        raw = text.strip()
        if looks_like_gs1(raw):
            try:
                gtin = parse_element_string(raw).gtin or ""
            except Gs1Error:
                return False
        else:
            gtin = raw if raw.isdigit() and len(raw) in (8, 12, 13, 14) else ""
        return bool(gtin) and gtin.zfill(14) == bom.kit_gtin

    def output_changed(self, batch, kits: Decimal, user) -> None:
        """Kits built (or taken back): use (or give back) the partner's components."""
        from shopfloor.copack.stock import consume_for_kits

        consume_for_kits(batch, kits, user)

    def batch_panel(self, batch) -> tuple[str, dict] | None:
        from shopfloor.copack.stock import on_hand

        bom = bom_of(batch)
        orders = {a.order_line.order for a in batch.allocations}
        order = next(iter(orders), None)
        return "copack/_batch_panel.html", {
            "bom": bom, "order": order,
            "stock": on_hand(order.id) if order is not None else {}}

    def release_gates(self, batch) -> list[str]:
        from shopfloor.copack.models import BomStatus

        bom = bom_of(batch)
        if bom is None:
            return [str(_l("Choose the kit's bill of materials version before release."))]
        if bom.status != BomStatus.ACTIVE:
            return [str(_l("Only an active bill of materials is released to production."))]
        return []
