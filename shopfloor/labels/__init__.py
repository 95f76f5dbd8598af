"""Labels: symbols, label kinds, sheets, ZPL, GS1."""
