"""The portal's partner fixtures, to show that partners reach no recipe page."""

from tests.portal.conftest import make_partner_user, sign_in_as  # noqa: F401
