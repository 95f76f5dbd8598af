"""Capacity planning: forecasts of order completion, and the daily plan."""
