"""Catalogue: the products and services made for partners, and the materials used."""
