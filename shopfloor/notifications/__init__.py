"""Notifications to staff: the in-app inbox and e-mail through an outbox."""
