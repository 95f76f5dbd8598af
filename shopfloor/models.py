"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from shopfloor.api.models import IdempotentRequest  # noqa: F401
from shopfloor.audit.models import AuditEntry  # noqa: F401
from shopfloor.auth.models import SignInAttempt, User  # noqa: F401
from shopfloor.catalog.models import Material, Product  # noqa: F401
from shopfloor.copack.models import (  # noqa: F401
    KitBom,
    KitBomItem,
    MaterialReceipt,
    ReceiptLine,
    ReceiptPhoto,
    StockCount,
    StockMove,
)
from shopfloor.core.models import InstallationFact  # noqa: F401
from shopfloor.floor.models import HelpCall, StepEvent  # noqa: F401
from shopfloor.harness.models import (  # noqa: F401
    CrimpSetup,
    ElectricalTest,
    HarnessType,
    HarnessUnit,
)
from shopfloor.instructions.models import (  # noqa: F401
    Instruction,
    InstructionStep,
    InstructionVersion,
)
from shopfloor.labels.models import Pallet  # noqa: F401
from shopfloor.materials.models import MaterialLot  # noqa: F401
from shopfloor.notifications.models import (  # noqa: F401
    Notification,
    NotificationPreference,
    OutboxEmail,
)
from shopfloor.orders.models import Order, OrderLine  # noqa: F401
from shopfloor.partners.models import Partner, PartnerContact, PartnerLine  # noqa: F401
from shopfloor.planning.models import LineForecast, PlanAssignment  # noqa: F401
from shopfloor.production.models import (  # noqa: F401
    Batch,
    BatchAllocation,
    BatchDeviation,
    BatchReject,
    Consumption,
)
from shopfloor.recipes.models import (  # noqa: F401
    CosmeticIngredient,
    Recipe,
    RecipeItem,
    RecipeVersion,
)
from shopfloor.returns.models import ReturnedItem, ReturnedItemPhoto  # noqa: F401
from shopfloor.scanning.models import ScanEvent  # noqa: F401
from shopfloor.scheduling.models import JobRun, SchedulerLease  # noqa: F401
from shopfloor.shipping.models import DocumentCounter, Shipment, ShipmentLine  # noqa: F401
from shopfloor.stations.models import (  # noqa: F401
    Station,
    StationWorker,
    WorkerSession,
    WorkerSignInAttempt,
)
from shopfloor.traceability.models import Recall, RecallNotice  # noqa: F401
from shopfloor.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: F401
from shopfloor.workers.models import (  # noqa: F401
    Absence,
    SupportProfile,
    TrainingRecord,
    Worker,
    WorkerAvailability,
    WorkerSkill,
)
