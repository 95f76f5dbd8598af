"""Cross-cutting pieces: installation metadata, health, the home page."""
