"""State changes of the harness line: harness types, crimp set-ups, serial numbers, the 100 %
electrical test with its rework loop, and packing (shared/domain.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shopfloor.audit.services import apply_edits, check_version, commit, write_audit
from shopfloor.catalog.models import Product
from shopfloor.database import utcnow
from shopfloor.errors import DomainError
from shopfloor.extensions import db
from shopfloor.harness import rules
from shopfloor.harness.models import (
    IPC_CLASSES,
    SETUP_REASONS,
    CrimpSetup,
    ElectricalTest,
    HarnessType,
    HarnessUnit,
)
from shopfloor.materials.models import LotStatus
from shopfloor.production.models import Batch
from shopfloor.production.status import BatchStatus

SETUP_STATUSES = frozenset({BatchStatus.RELEASED, BatchStatus.IN_PROGRESS})
PROBLEM_MESSAGES = {
    "cavity twice": _l("Connector %(what)s lists a cavity number twice."),
    "wire twice": _l("Wire %(what)s is in the list twice."),
    "colour": _l("Wire %(what)s: give an IEC 60757 colour code such as RD, BK or GN/YE."),
    "gauge": _l("Wire %(what)s: the gauge must be one of AWG 26, 24, 22, 20, 18, 16, 14, 12."),
    "length": _l("Wire %(what)s: the length must be more than 0 and the tolerance 0 or more."),
    "connector": _l("Wire %(what)s goes to a connector that is not listed."),
    "cavity": _l("Wire %(what)s goes to a cavity the connector does not have."),
    "occupied": _l("Wire %(what)s goes to a cavity another wire already uses."),
}


def harness_type_of(product_id: int) -> HarnessType | None:
    """The harness type of a product, if it has one."""
    return db.session.scalar(select(HarnessType).where(HarnessType.product_id == product_id))


@dataclass
class HarnessTypeData:
    """A harness type as submitted: ``connectors`` rows ``{name, part, layout}`` (layout as
    text), ``wires`` rows as on the form (all text)."""

    product_id: int | None
    part_number: str
    drawing_number: str
    drawing_revision: str
    ipc_class: str | None
    connectors: list[dict] = field(default_factory=list)
    wires: list[dict] = field(default_factory=list)


def _number(text, row: int, integer: bool = False):
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(_l("Wire row %(n)s: enter numbers for cavities, gauge, length and "
                             "tolerance.", n=row), field="wires") from None
    if integer:
        if value != value.to_integral_value():
            raise DomainError(_l("Wire row %(n)s: cavities and gauges are whole numbers.",
                                 n=row), field="wires")
        return int(value)
    return f"{value.normalize():f}"


def _clean_connectors(rows: list[dict]) -> list[dict]:
    connectors = []
    for n, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip().upper()
        if not name and not (row.get("layout") or "").strip():
            continue
        try:
            layout = rules.parse_layout(row.get("layout") or "")
        except ValueError as exc:
            raise DomainError(_l("Connector row %(n)s: “%(cell)s” is not a cavity number; "
                                 "write the numbers as moulded, a dash for no cavity.", n=n,
                                 cell=str(exc)), field="connectors") from None
        if not name or not rules.cavities(layout):
            raise DomainError(_l("Connector row %(n)s: give its name and its cavities.", n=n),
                              field="connectors")
        connectors.append({"name": name, "part": (row.get("part") or "").strip(),
                           "layout": layout})
    return connectors


def _clean_wires(rows: list[dict]) -> list[dict]:
    wires = []
    for n, row in enumerate(rows, start=1):
        if not any((row.get(k) or "").strip() for k in row):
            continue
        wires.append({
            "wire": (row.get("wire") or "").strip().upper(),
            "from": (row.get("from") or "").strip().upper(),
            "from_cavity": _number(row.get("from_cavity"), n, True),
            "to": (row.get("to") or "").strip().upper(),
            "to_cavity": _number(row.get("to_cavity"), n, True),
            "colour": (row.get("colour") or "").strip().upper(),
            "gauge_awg": _number(row.get("gauge_awg"), n, True),
            "length_mm": _number(row.get("length_mm"), n),
            "tolerance_mm": _number(row.get("tolerance_mm") or "0", n)})
        if not wires[-1]["wire"]:
            raise DomainError(_l("Wire row %(n)s: give the wire its number as on its label.",
                                 n=n), field="wires")
    return wires


def save_harness_type(data: HarnessTypeData, user, harness_type: HarnessType | None = None,
                      expected_version: int | str | None = None) -> HarnessType:
    """Create or change a product's harness type; the wire list must fit the connectors."""
    if harness_type is not None:
        check_version(harness_type, expected_version)
    product = db.session.get(Product, data.product_id) if data.product_id else None
    if product is None or product.line != "harness":
        raise DomainError(_l("Choose a wire-harness product from the list."), field="product_id")
    existing = harness_type_of(product.id)
    if existing is not None and existing is not harness_type:
        raise DomainError(_l("This product already has its harness type."), field="product_id")
    for name, value in (("part_number", data.part_number),
                        ("drawing_number", data.drawing_number),
                        ("drawing_revision", data.drawing_revision)):
        if not (value or "").strip():
            raise DomainError(_l("Fill this in."), field=name)
    if data.ipc_class not in (None, "", *IPC_CLASSES):
        raise DomainError(_l("Choose the class from the list."), field="ipc_class")
    connectors, wires = _clean_connectors(data.connectors), _clean_wires(data.wires)
    problems = rules.wire_list_problems(connectors, wires)
    if problems:
        key, what = problems[0]
        raise DomainError(PROBLEM_MESSAGES[key] % {"what": what},
                          field="connectors" if key == "cavity twice" else "wires")
    values = {"product_id": product.id, "part_number": data.part_number.strip(),
              "drawing_number": data.drawing_number.strip().upper(),
              "drawing_revision": data.drawing_revision.strip().upper(),
              "ipc_class": data.ipc_class or None, "connectors": connectors, "wires": wires}
    if harness_type is None:
        harness_type = HarnessType(**values)
        db.session.add(harness_type)
        write_audit(harness_type, "created", user)
    else:
        apply_edits(harness_type, values, user)
    commit([harness_type])
    return harness_type


# ----------------------------------------------------------------- crimp set-ups


@dataclass
class SetupData:
    """A crimp set-up as measured."""

    reason: str
    tool_id: str
    gauge_awg: int | None
    height_min_mm: Decimal | None
    height_max_mm: Decimal | None
    height_mm: Decimal | None
    pulls_n: list[Decimal]
    wire_lot_code: str = ""
    terminal_lot_code: str = ""


def _lot(text: str, field_name: str):
    from shopfloor.production.services import find_lot

    if not (text or "").strip():
        return None
    try:
        lot = find_lot(text)
    except DomainError as exc:
        raise DomainError(exc.message, field=field_name) from None
    if lot.status != LotStatus.APPROVED:
        raise DomainError(_l("Lot %(code)s is not approved.", code=lot.code), field=field_name)
    return lot


def latest_setup(batch: Batch) -> CrimpSetup | None:
    """The set-up in force on a batch: the last one recorded."""
    return db.session.scalar(select(CrimpSetup).where(CrimpSetup.batch_id == batch.id)
                             .order_by(CrimpSetup.id.desc()).limit(1))


def record_setup(batch: Batch, data: SetupData, user) -> CrimpSetup:
    """Record a crimp set-up check; kept whether it passes or not (a failed one stops
    production until a passing one follows)."""
    if batch.line != "harness" or batch.status not in SETUP_STATUSES:
        raise DomainError(_l("Crimp set-ups are recorded on a released harness batch."),
                          field="reason")
    if data.reason not in SETUP_REASONS:
        raise DomainError(_l("Choose why the set-up is checked."), field="reason")
    if not (data.tool_id or "").strip():
        raise DomainError(_l("Enter the crimp tool's number."), field="tool_id")
    if data.gauge_awg is None or rules.minimum_pull(data.gauge_awg) is None:
        raise DomainError(_l("Choose the wire gauge (AWG 26 to 12)."), field="gauge_awg")
    for name in ("height_min_mm", "height_max_mm", "height_mm"):
        value = getattr(data, name)
        if value is None or value <= 0:
            raise DomainError(_l("Enter the crimp height in mm."), field=name)
    if data.height_min_mm > data.height_max_mm:
        raise DomainError(_l("The lowest height of the spec must not be above the highest."),
                          field="height_max_mm")
    if any(p is None or p <= 0 for p in data.pulls_n):
        raise DomainError(_l("Enter each pull force in newtons."), field="pulls_n")
    wire_lot = _lot(data.wire_lot_code, "wire_lot_code")
    terminal_lot = _lot(data.terminal_lot_code, "terminal_lot_code")
    verdict = rules.judge_setup(data.height_mm, data.height_min_mm, data.height_max_mm,
                                data.pulls_n, data.gauge_awg)
    setup = CrimpSetup(batch_id=batch.id, reason=data.reason, tool_id=data.tool_id.strip(),
                       wire_lot_id=wire_lot.id if wire_lot else None,
                       terminal_lot_id=terminal_lot.id if terminal_lot else None,
                       gauge_awg=data.gauge_awg, height_min_mm=data.height_min_mm,
                       height_max_mm=data.height_max_mm, height_mm=data.height_mm,
                       pulls_n=[f"{Decimal(p).normalize():f}" for p in data.pulls_n],
                       passed=verdict.passed, user_id=getattr(user, "id", None))
    db.session.add(setup)
    write_audit(batch, "edited", user, changes={"crimp_setup": (
        None, f"{setup.reason} {setup.tool_id}: {'pass' if setup.passed else 'fail'}")})
    commit([batch])
    return setup


# ----------------------------------------------------------------- serials and tests


def _next_serial(drawing_number: str) -> str:
    prefix = f"{drawing_number}-"
    taken = db.session.scalars(select(HarnessUnit.serial).where(
        HarnessUnit.serial.like(f"{prefix}%"))).all()
    numbers = [int(s[len(prefix):]) for s in taken if s[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"


MAX_UNITS_AT_ONCE = 500


def register_units(batch: Batch, count: int, user) -> list[HarnessUnit]:
    """Give the next ``count`` harnesses of a batch in progress their serial numbers (one
    label each), under the crimp set-up in force, which must have passed."""
    from shopfloor.lines.harness import setup_refusal

    if batch.status != BatchStatus.IN_PROGRESS:
        raise DomainError(_l("Serial numbers are given while the batch is in progress."),
                          field="serial")
    if not 1 <= count <= MAX_UNITS_AT_ONCE:
        raise DomainError(_l("Give from 1 to %(n)s serial numbers at a time.",
                             n=MAX_UNITS_AT_ONCE), field="count")
    refusal = setup_refusal(batch)
    if refusal:
        raise DomainError(refusal, field="serial")
    drawing = (batch.record or {}).get("drawing_number") or batch.product.code
    first = int(_next_serial(drawing).rsplit("-", 1)[1])
    setup = latest_setup(batch)
    units = [HarnessUnit(batch_id=batch.id, serial=f"{drawing}-{first + i:05d}",
                         setup_id=setup.id) for i in range(count)]
    db.session.add_all(units)
    write_audit(batch, "edited", user, changes={"serials": (
        None, units[0].serial if count == 1 else f"{units[0].serial}..{units[-1].serial}")})
    commit([batch])
    return units


def find_unit(batch: Batch, text: str) -> HarnessUnit:
    """A harness of this batch by its serial number as typed or scanned."""
    serial = (text or "").strip().upper()
    unit = db.session.scalar(select(HarnessUnit).where(HarnessUnit.batch_id == batch.id,
                                                       HarnessUnit.serial == serial))
    if unit is None:
        raise DomainError(_l("Serial number %(serial)s is not in this batch.", serial=serial),
                          field="serial")
    return unit


def _check_program(batch: Batch, program_version: str) -> None:
    revision = (batch.record or {}).get("drawing_revision", "")
    try:
        matches = rules.program_matches(program_version, revision)
    except rules.BadProgramVersion:
        raise DomainError(_l("Write the program version as the drawing revision, a dot and "
                             "its number, for example C.3."), field="program_version") from None
    if not matches:
        raise DomainError(_l("Program %(program)s was written for revision %(written)s; the "
                             "drawing is at revision %(revision)s.", program=program_version,
                             written=rules.program_revision(program_version),
                             revision=revision), field="program_version")


def _add_test(unit: HarnessUnit, passed: bool, failing_nets: str, tester_id: str,
              program_version: str, user, rework: str) -> ElectricalTest:
    if unit.status == "packed":
        raise DomainError(_l("Harness %(serial)s is packed already.", serial=unit.serial),
                          field="serial")
    if not passed and not (failing_nets or "").strip():
        raise DomainError(_l("Name the failing nets the tester shows."), field="failing_nets")
    previous = unit.tests[-1] if unit.tests else None
    if previous is not None and not previous.passed:
        if not (rework or "").strip():
            raise DomainError(_l("Harness %(serial)s failed its last test: say what was "
                                 "reworked before testing it again.", serial=unit.serial),
                              field="rework")
        previous.rework = rework.strip()
    test = ElectricalTest(passed=passed, failing_nets="" if passed else failing_nets.strip(),
                          tester_id=tester_id.strip(), program_version=program_version.strip(),
                          user_id=getattr(user, "id", None))
    unit.tests.append(test)
    unit.status = "passed" if passed else "failed"
    return test


def record_test(unit: HarnessUnit, passed: bool, failing_nets: str, tester_id: str,
                program_version: str, user, rework: str = "") -> ElectricalTest:
    """Record one electrical test of a harness. The tester program must be the one written
    for the batch's drawing revision; a failed test names its failing nets; a harness that
    failed is tested again only after its rework is described."""
    batch = db.session.get(Batch, unit.batch_id)
    if not (tester_id or "").strip():
        raise DomainError(_l("Enter the tester's number."), field="tester_id")
    _check_program(batch, program_version)
    test = _add_test(unit, passed, failing_nets, tester_id, program_version, user, rework)
    write_audit(batch, "edited", user, changes={"electrical_test": (
        None, f"{unit.serial}: {'pass' if passed else 'fail ' + test.failing_nets}")})
    commit([batch])
    return test


def import_test_log(batch: Batch, log: str, tester_id: str, program_version: str,
                    user) -> int:
    """Record a tester's log, one harness per line: ``SERIAL;PASS`` or
    ``SERIAL;FAIL;failing nets`` (``;``, tab or comma between). All or nothing: a line that
    cannot be read, an unknown serial or a retest without rework refuses the whole log."""
    if not (tester_id or "").strip():
        raise DomainError(_l("Enter the tester's number."), field="tester_id")
    _check_program(batch, program_version)
    units = {u.serial: u for u in units_of(batch)}
    recorded = 0
    try:
        for number, line in enumerate((log or "").splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in line.replace("\t", ";").replace(",", ";").split(";")]
            serial, result = cells[0].upper(), (cells[1].upper() if len(cells) > 1 else "")
            if serial not in units or result not in ("PASS", "FAIL"):
                raise DomainError(_l("Line %(n)s of the log: write the serial number, then PASS "
                                     "or FAIL (and the failing nets).", n=number), field="log")
            _add_test(units[serial], result == "PASS", ";".join(cells[2:]), tester_id,
                      program_version, user, "")
            recorded += 1
    except DomainError:
        db.session.rollback()
        raise
    if not recorded:
        raise DomainError(_l("The log has no results."), field="log")
    write_audit(batch, "edited", user, changes={"electrical_tests": (None, str(recorded))})
    commit([batch])
    return recorded


def pack_unit(batch: Batch, serial_text: str, user) -> HarnessUnit:
    """Pack a harness (scan its serial at the packing table): only one whose last electrical
    test passed."""
    unit = find_unit(batch, serial_text)
    if unit.status == "packed":
        raise DomainError(_l("Harness %(serial)s is packed already.", serial=unit.serial),
                          field="serial")
    if unit.status != "passed":
        raise DomainError(_l("Harness %(serial)s has no passed electrical test: it cannot be "
                             "packed.", serial=unit.serial), field="serial")
    unit.status = "packed"
    unit.packed_at = utcnow()
    write_audit(batch, "edited", user, changes={"packed": (None, unit.serial)})
    commit([batch])
    return unit


def units_of(batch: Batch) -> list[HarnessUnit]:
    """The harnesses of a batch, by serial."""
    return list(db.session.scalars(select(HarnessUnit).where(HarnessUnit.batch_id == batch.id)
                                   .order_by(HarnessUnit.serial)))


def unit_counts(batch: Batch) -> dict[str, int]:
    """How many harnesses of the batch are in each status."""
    rows = db.session.execute(select(HarnessUnit.status, func.count()).where(
        HarnessUnit.batch_id == batch.id).group_by(HarnessUnit.status))
    return dict(rows.all())
