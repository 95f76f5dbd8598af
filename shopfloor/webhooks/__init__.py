"""Webhooks: partners' HTTPS endpoints told of changes to their orders, signed, from an outbox."""
