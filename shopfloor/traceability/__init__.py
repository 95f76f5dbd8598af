"""Traceability: material lot -> batches -> shipments -> partners, both ways, and recalls."""
