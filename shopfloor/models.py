"""Imports every area's models so the metadata (and Alembic) sees all tables."""

from shopfloor.auth.models import SignInAttempt, User  # noqa: F401
from shopfloor.core.models import InstallationFact  # noqa: F401
from shopfloor.partners.models import Partner, PartnerLine  # noqa: F401
