"""Stations: shared tablets enrolled by a supervisor, and workers signing in on them.

Workers have no password account: they tap their own photo, then scan their own badge or
pick their own photo again from a small grid (accessibility.md A10, WCAG 3.3.8).
"""
