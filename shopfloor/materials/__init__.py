"""Material lots: what was received, from whom, under which supplier lot, and its status."""
