"""Returned garments: items, photos, dispositions and the partner's decisions."""
