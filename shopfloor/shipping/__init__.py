"""Shipments to partners and their delivery notes (WZ)."""
