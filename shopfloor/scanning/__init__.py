"""Scanning: one resolver for everything a scanner or camera sends, and the scan log."""
