"""Demo shop floor: one published picture instruction per line, four workers with drawn
avatars, and two enrolled stations with their workers and a batch to work on.

Everything goes through the services as a supervisor would do it (so the audit trail is
real), and whatever already exists is left alone, so a second load changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from shopfloor.catalog.models import Product
from shopfloor.core.demo.catalog import PRODUCTS_BY_CODE
from shopfloor.core.demo.pictures import draw_avatar, draw_scene
from shopfloor.core.demo.records import Numbering, release_record
from shopfloor.extensions import db
from shopfloor.instructions.models import Instruction, VersionStatus
from shopfloor.instructions.services import (
    StepData,
    add_step,
    create_instruction,
    publish_version,
    published_version,
    set_materials_and_tools,
    set_step_photo,
)
from shopfloor.production.models import Batch
from shopfloor.production.services import move_batch, plan_batch, update_batch_record
from shopfloor.stations.models import Station
from shopfloor.stations.services import (
    ASSIGNABLE,
    assign_batch,
    enrol_station,
    expected_workers,
    set_expected_workers,
)
from shopfloor.timeutil import local_today
from shopfloor.workers.capacity import availability_of, set_availability, set_skills, skill_levels
from shopfloor.workers.models import Worker
from shopfloor.workers.services import WorkerData, save_worker, set_worker_photo


@dataclass(frozen=True)
class DemoStep:
    """One step: its kind, easy-to-read caption, picture (a drawing scene) and settings."""

    kind: str
    pictogram: str  # a key of shopfloor.pictograms
    caption: str
    alt: str
    picture: str
    target: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    good: str = ""  # check steps: the scenes of a good and of a flawed result
    bad: str = ""


@dataclass(frozen=True)
class DemoInstruction:
    """A published instruction for one demo product."""

    product: str
    title: str
    materials: tuple[str, ...]
    tools: tuple[str, ...]
    steps: tuple[DemoStep, ...]


INSTRUCTIONS = (
    DemoInstruction(
        "MYD-LAW-30H", "Mydełka hotelowe lawendowe 30 g",
        ("Baza mydlana przezroczysta", "Olejek lawendowy", "Folia do pakowania"),
        ("Płyta grzejna i garnek", "Termometr", "Miarka do olejku", "Forma z logo hotelu",
         "Minutnik"),
        (DemoStep("scan", "scan", "Zeskanuj etykietę bazy mydlanej.",
                  "Skaner i etykieta na worku z bazą mydlaną", "soap-scan",
                  settings={"scan": "lot"}),
         # One pot takes 1 kg of base; the fragrance is 1.8 % of the soap (recipe R-LAW-30H).
         DemoStep("measure", "scale", "Połóż bazę na wadze. Ma być 1000 gramów.",
                  "Garnek z kostkami bazy na wadze kuchennej", "soap-weigh-base",
                  settings={"measure": "weight", "min": 980, "max": 1020, "unit": "g"}),
         DemoStep("do", "hot", "Włóż bazę do garnka. Włącz płytę.",
                  "Ręka wkłada kostki bazy do garnka na płycie grzejnej", "soap-melt"),
         # Clear base melts at 49-60 °C; above 63 °C it suffers (shared/domain.md §1).
         DemoStep("measure", "thermometer", "Zmierz, jak ciepła jest baza. Wpisz liczbę.",
                  "Termometr w garnku z roztopioną bazą", "soap-temp",
                  settings={"measure": "temperature", "stage": "melt", "min": 49, "max": 63,
                            "unit": "°C"}),
         DemoStep("measure", "scale", "Odmierz olejek na wadze. Ma być 18 gramów.",
                  "Buteleczka olejku na wadze kuchennej", "soap-weigh-oil",
                  settings={"measure": "weight", "min": "17.5", "max": "18.5", "unit": "g"}),
         DemoStep("do", "pour", "Wlej olejek do garnka. Zamieszaj powoli.",
                  "Olejek kapie do garnka z bazą", "soap-oil"),
         # Pour at 60-63 °C.
         DemoStep("measure", "thermometer", "Zmierz jeszcze raz. Wpisz liczbę.",
                  "Termometr w garnku z roztopioną bazą", "soap-temp",
                  settings={"measure": "temperature", "stage": "pour", "min": 60, "max": 63,
                            "unit": "°C"}),
         DemoStep("do", "pour", "Wlej bazę do formy.",
                  "Baza spływa z garnka do formy z logo", "soap-pour"),
         # Small bars set in about an hour (domain.md: 1-3 h).
         DemoStep("timer", "wait", "Poczekaj godzinę, aż mydło stwardnieje.",
                  "Pełna forma i minutnik na jedną godzinę", "soap-wait",
                  settings={"minutes": 60}),
         DemoStep("check", "look", "Wyjmij mydła z formy. Czy nie mają bąbelków?",
                  "Mydła wyjęte z formy", "soap-check", good="soap-good", bad="soap-bad"),
         DemoStep("count", "count", "Zapakuj mydełko w folię. Dotknij plus.",
                  "Rolka folii i stos zapakowanych mydełek", "soap-wrap", target=24))),
    DemoInstruction(
        "WI-W214", "Wiązka W-214 do pralki",
        ("Przewód czarny 0,5 mm²", "Konektory płaskie 6,3 mm", "Obudowa złącza 4-pin"),
        ("Ściągacz izolacji", "Szczypce do konektorów", "Tester"),
        (DemoStep("scan", "scan", "Zeskanuj etykietę szpuli przewodu.",
                  "Skaner i etykieta na szpuli z czarnym przewodem", "harness-scan",
                  settings={"scan": "lot"}),
         DemoStep("do", "wire", "Zdejmij izolację z końca przewodu.",
                  "Przewód z gołym miedzianym końcem i ściągacz izolacji", "harness-strip"),
         DemoStep("do", "tool", "Załóż konektor na koniec drutu. Ściśnij go szczypcami.",
                  "Szczypce zaciskają konektor na przewodzie", "harness-crimp"),
         DemoStep("check", "look", "Obejrzyj zacisk. Czy miedź jest w środku?",
                  "Konektor zaciśnięty na przewodzie, z bliska", "harness-look",
                  good="harness-crimp-good", bad="harness-crimp-bad"),
         # The connector's face beside the photo; a scanned wire label lights its cavity.
         DemoStep("do", "plug", "Wsuń konektor do obudowy. Ma kliknąć.",
                  "Obudowa złącza z trzema przewodami, ręka wsuwa czwarty", "harness-insert",
                  settings={"figure": "X1"}),
         DemoStep("count", "electricity",
                  "Włóż wiązkę do testera. Gdy świeci zielone, dotknij plus.",
                  "Tester z zieloną lampką obok wiązki", "harness-test", target=10))),
    DemoInstruction(
        "ZW-KURTKA", "Zwrot – kurtka robocza",
        ("Nici szare", "Metka z kodem", "Worek foliowy z klapą"), ("Igła", "Nożyczki"),
        (DemoStep("check", "look", "Obejrzyj szwy kurtki. Czy są całe?",
                  "Rozłożona kurtka robocza", "garment-check",
                  good="garment-seam-good", bad="garment-seam-bad"),
         DemoStep("do", "sew", "Zszyj rozprute miejsce szarą nicią.",
                  "Igła z szarą nicią nad rozprutym szwem", "garment-sew"),
         DemoStep("do", "fold", "Złóż kurtkę jak na obrazku.", "Złożona kurtka robocza",
                  "garment-fold"),
         DemoStep("do", "label", "Przyczep metkę do kurtki.",
                  "Złożona kurtka z przyczepioną metką", "garment-tag"),
         DemoStep("count", "put_away", "Włóż kurtkę do worka. Dotknij plus.",
                  "Złożona kurtka w przezroczystym worku", "garment-bag", target=10))),
    DemoInstruction(
        "ZES-3MYD", "Zestaw prezentowy 3×mydło",
        ("Pudełko z 3 przegródkami", "Wypełniacz z papieru", "3 mydła", "Bilecik od hotelu",
         "Etykieta zestawu"), ("Waga", "Skaner"),
        (DemoStep("scan", "scan", "Zeskanuj etykietę pudełek.",
                  "Skaner i etykieta na stosie płaskich pudełek", "kit-scan",
                  settings={"scan": "lot"}),
         DemoStep("do", "box", "Włóż wypełniacz do pudełka.",
                  "Otwarte pudełko z papierowym wypełniaczem", "kit-filler"),
         DemoStep("do", "soap", "Włóż trzy mydła do pudełka. Dołóż bilecik.",
                  "Ręka wkłada mydła do pudełka, obok bilecik", "kit-fill"),
         # 3 bars of at least 100 g, the box, the filler and the card.
         DemoStep("measure", "scale", "Połóż zestaw na wadze. Wpisz liczbę z wagi.",
                  "Zamknięte pudełko na wadze", "kit-weigh",
                  settings={"measure": "weight", "min": 370, "max": 400, "unit": "g"}),
         DemoStep("check", "label", "Przyklej etykietę na pudełko. Czy jest prosto?",
                  "Pudełko z naklejoną etykietą", "kit-label",
                  good="kit-label-good", bad="kit-label-bad"),
         DemoStep("count", "put_away", "Odłóż zestaw do kartonu. Dotknij plus.",
                  "Duży karton z zestawami", "kit-carton", target=12))),
)
INSTRUCTION_TITLES = frozenset(i.title for i in INSTRUCTIONS)


@dataclass(frozen=True)
class DemoWorker:
    """A fictional worker: first name, sign-in method, skills and how the avatar looks
    (background, skin, hair colour, hair style, shirt, glasses)."""

    name: str
    sign_in: str
    skills: tuple[str, ...]
    avatar: tuple[str, str, str, str, str, bool]


# Four workers with photos: the picture sign-in needs a grid of at least 4 (GRID_MIN).
# Nothing about health or disability: the working-time rule stays the default.
WORKERS = (
    DemoWorker("Kasia", "picture", ("soap", "copack"),
               ("#f4c430", "#f1c27d", "#6b3e26", "long", "#d7263d", False)),
    DemoWorker("Bartek", "badge", ("harness",),
               ("#5fb3d9", "#c68642", "#1f1f1f", "short", "#1b998b", True)),
    DemoWorker("Ola", "picture", ("soap", "garments"),
               ("#9fd8a4", "#ffdbac", "#d2691e", "bun", "#6b4c9a", False)),
    DemoWorker("Witek", "badge", ("harness", "copack"),
               ("#f29e9e", "#8d5524", "#2b1a10", "curly", "#2e5eaa", False)),
)
WORKER_NAMES = frozenset(w.name for w in WORKERS)
# Skills-matrix levels and the working week (Monday to Friday, 6 h a day) for the forecast,
# the capacity page and the plan of the day.
LEVELS = {
    "Kasia": {"soap": "independent", "copack": "with_help"},
    "Bartek": {"harness": "independent"},
    "Ola": {"soap": "can_teach", "garments": "independent"},
    "Witek": {"harness": "can_teach", "copack": "independent"},
}
WORK_WEEK = dict.fromkeys(range(5), (time(8), time(14)))

# station name, line, the workers expected there
STATIONS = (
    ("Stół mydlarski", "soap", ("Kasia", "Ola")),
    ("Stół wiązek", "harness", ("Bartek", "Witek")),
)
STATION_NAMES = frozenset(name for name, _, _ in STATIONS)
FALLBACK_QUANTITY = 48  # a batch made when no batch of the line is there to work on


def _ensure_instruction(demo: DemoInstruction, user) -> int:
    """Create, fill in and publish one instruction; resumes a draft a stopped run left."""
    instruction = db.session.scalar(select(Instruction).where(Instruction.title == demo.title))
    created = 0
    if instruction is None:
        product_id = db.session.scalar(select(Product.id).where(Product.code == demo.product))
        instruction = create_instruction(demo.title, user, product_id=product_id,
                                         line=PRODUCTS_BY_CODE[demo.product].line)
        created += 1
    version = instruction.versions[-1]
    if version.status != VersionStatus.DRAFT:
        return created
    if not version.materials and not version.tools:
        set_materials_and_tools(version, list(demo.materials), list(demo.tools), user)
    for position, step_data in enumerate(demo.steps, start=1):
        if position <= len(version.steps):
            step = version.steps[position - 1]
        else:
            step = add_step(version, StepData(
                kind=step_data.kind, caption=step_data.caption, photo_alt=step_data.alt,
                pictogram=step_data.pictogram,
                target_quantity=Decimal(step_data.target) if step_data.target else None,
                settings=dict(step_data.settings)), user)
            created += 1
        if not step.photo:
            set_step_photo(step, draw_scene(step_data.picture), user)
        for which, scene in (("good_photo", step_data.good), ("bad_photo", step_data.bad)):
            if scene and not (step.settings or {}).get(which):
                set_step_photo(step, draw_scene(scene), user, which=which)
    publish_version(version, user)
    return created


def _ensure_workers(user) -> tuple[int, dict[str, Worker]]:
    """Create the demo workers that are missing and draw the missing avatars."""
    existing = {w.first_name: w for w in db.session.scalars(
        select(Worker).where(Worker.first_name.in_(WORKER_NAMES)).order_by(Worker.id))}
    created = 0
    for demo in WORKERS:
        worker = existing.get(demo.name)
        if worker is None:
            worker = save_worker(WorkerData(first_name=demo.name, sign_in_method=demo.sign_in,
                                            skills=list(demo.skills)), user)
            existing[demo.name] = worker
            created += 1
        if not worker.photo:
            set_worker_photo(worker, draw_avatar(*demo.avatar), user)
        if not any(availability_of(worker).values()):
            set_availability(worker, WORK_WEEK, user)
        if not skill_levels(worker):
            set_skills(worker, LEVELS[demo.name], user)
    return created, existing


def _batch_to_work_on(line: str, user) -> Batch:
    """A batch of the line to work on: in progress first, then released, preferring a
    product with a published instruction; made and released when there is none."""
    candidates = db.session.scalars(select(Batch).where(
        Batch.line == line, Batch.status.in_(ASSIGNABLE)).order_by(Batch.id)).all()
    if candidates:
        return min(candidates, key=lambda b: (published_version(b.product_id) is None,
                                              b.status != "in_progress", b.id))
    demo = next(i for i in INSTRUCTIONS if PRODUCTS_BY_CODE[i.product].line == line)
    product = db.session.scalar(select(Product).where(Product.code == demo.product))
    batch = plan_batch(product.id, Decimal(FALLBACK_QUANTITY), [], user,
                       notes="Partia do pokazu stanowiska")
    update_batch_record(batch, release_record(line, demo.product, FALLBACK_QUANTITY,
                                              local_today(), Numbering()), user)
    move_batch(batch, "released", user)
    return batch


def _ensure_stations(user, workers: dict[str, Worker]) -> int:
    """Enrol the demo stations that are missing; give each its workers and a batch once."""
    created = 0
    for name, line, names in STATIONS:
        station = db.session.scalar(select(Station).where(Station.name == name))
        if station is None:
            # The device token is not kept: the demo user enrols a browser from the
            # station page (re-enrol), which issues a new one.
            station, _token = enrol_station(name, line, user)
            created += 1
        if not expected_workers(station):
            set_expected_workers(station, [workers[n].id for n in names], user)
        if station.current_batch_id is None and station.active:
            batch = _batch_to_work_on(line, user)
            if batch.status == "released":
                # Work starts at the table, so the tablet's steps can be followed at once
                # (a harness run after its crimp set-up).
                if line == "harness":
                    from shopfloor.core.demo.harness import start_run

                    start_run(batch, user)
                move_batch(batch, "in_progress", user)
            assign_batch(station, batch, user)
    return created


def load_floor(user) -> int:
    """Instructions (published first, so assigned batches follow them), workers, stations;
    returns how many records were created."""
    created = sum(_ensure_instruction(demo, user) for demo in INSTRUCTIONS)
    added, workers = _ensure_workers(user)
    return created + added + _ensure_stations(user, workers)
