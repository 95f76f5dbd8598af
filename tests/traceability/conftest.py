"""The portal's partner fixtures, to read recall notices as a partner."""

from tests.portal.conftest import make_partner_user, sign_in_as  # noqa: F401
