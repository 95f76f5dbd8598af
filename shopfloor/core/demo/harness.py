"""Demo harness types (drawing, class, connectors, wire list) and what production records on
a demo harness batch: a crimp set-up before it starts, serial numbers and the tester's log."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.extensions import db
from shopfloor.harness.services import (
    HarnessTypeData,
    SetupData,
    harness_type_of,
    import_test_log,
    record_setup,
    register_units,
    save_harness_type,
)

# product code -> part number, drawing, revision, class, connectors, wires
# connectors: (name, housing part, layout); wires: (wire, from, cavity, to, cavity, colour,
# AWG, length mm, tolerance mm)
TYPES = {
    "WI-W214": ("EW-214-0031", "EW-W214", "C", "2", (
        ("X1", "Obudowa 4-pin ZT-H4P", "1 2\n3 4"), ("X2", "Obudowa 4-pin ZT-H4P", "1 2\n3 4")),
        (("W1", "X1", 1, "X2", 1, "BK", 20, 800, 10), ("W2", "X1", 2, "X2", 2, "BN", 20, 800, 10),
         ("W3", "X1", 3, "X2", 3, "BU", 20, 800, 10),
         ("W4", "X1", 4, "X2", 4, "GN/YE", 20, 800, 10))),
    "WI-W305": ("EW-305-0017", "EW-W305", "B", "2", (
        ("X1", "Obudowa 4-pin ZT-H4P", "1 2\n3 -"), ("X2", "Listwa 3-pin", "1 2 3")),
        (("W1", "X1", 1, "X2", 1, "RD", 18, 700, 10), ("W2", "X1", 2, "X2", 2, "BK", 18, 700, 10),
         ("W3", "X1", 3, "X2", 3, "GN/YE", 18, 700, 10))),
    "WI-K12": ("EW-K12-0004", "EW-K12", "D", "3", (
        ("X1", "Złącze 2-pin", "1 2"), ("X2", "Złącze 2-pin", "1 2")),
        (("W1", "X1", 1, "X2", 1, "BU", 20, 2250, 15),
         ("W2", "X1", 2, "X2", 2, "BN", 20, 2250, 15))),
}
# The crimp set-up each run starts with: tool, AWG, spec and measured height, five pulls.
SETUPS = {"WI-W214": ("KT-0463", 20, "1.45", "1.55", "1.50", ("64", "62.5", "66", "63", "65")),
          "WI-W305": ("KT-0463", 18, "1.60", "1.70", "1.66", ("98", "101", "97.5", "99", "102")),
          "WI-K12": ("KT-0511", 20, "1.45", "1.55", "1.52", ("61", "63", "60.5", "62", "64"))}
TESTER = "TST-CA-02"


def load_harness_types(user) -> int:
    """Create the demo harness types that are missing; return how many."""
    products = {p.code: p for p in db.session.scalars(select(Product))}
    created = 0
    for code, (part, drawing, revision, ipc, connectors, wires) in TYPES.items():
        product = products.get(code)
        if product is None or harness_type_of(product.id) is not None:
            continue
        save_harness_type(HarnessTypeData(
            product_id=product.id, part_number=part, drawing_number=drawing,
            drawing_revision=revision, ipc_class=ipc,
            connectors=[{"name": n, "part": p, "layout": layout} for n, p, layout in connectors],
            wires=[dict(zip(("wire", "from", "from_cavity", "to", "to_cavity", "colour",
                             "gauge_awg", "length_mm", "tolerance_mm"),
                            (str(v) for v in row), strict=True)) for row in wires]), user)
        created += 1
    return created


def start_run(batch, user) -> None:
    """The crimp set-up at the start of the run, with the wire reel and terminals in use."""
    tool, gauge, low, high, height, pulls = SETUPS[batch.product.code]
    lots = {c.lot.material.code: c.lot for c in batch.consumptions}
    wire = next((lot for code, lot in lots.items() if code.startswith("PRZEW")), None)
    terminal = lots.get("KON-63F")
    record_setup(batch, SetupData(
        reason="run", tool_id=tool, gauge_awg=gauge, height_min_mm=Decimal(low),
        height_max_mm=Decimal(high), height_mm=Decimal(height),
        pulls_n=[Decimal(p) for p in pulls], wire_lot_code=wire.code if wire else "",
        terminal_lot_code=terminal.code if terminal else ""), user)


def serials_and_tests(batch, good: int, user) -> None:
    """The good harnesses get serial numbers and pass the tester (one failed first and
    passed after its rework)."""
    from shopfloor.harness.services import find_unit, record_test

    units = register_units(batch, good, user)
    revision = batch.record["drawing_revision"]
    program = f"{revision}.2"
    first, rest = units[0], units[1:]
    record_test(first, False, "X1:3-X2:3 przerwa", TESTER, program, user)
    record_test(find_unit(batch, first.serial), True, "", TESTER, program, user,
                rework="Konektor W3 w X1:3 wsunięty ponownie do zatrzaśnięcia.")
    if rest:
        import_test_log(batch, "\n".join(f"{u.serial};PASS" for u in rest), TESTER, program,
                        user)
