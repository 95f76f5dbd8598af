"""Soap recipes: cosmetic ingredients, locked versions, INCI lists and their rules."""
