"""Flat, high-contrast drawings for the demo's step pictures and worker avatars.

No photos exist for the fictional cooperative, so the demo draws its own: plain shapes on a
workbench, thick dark outlines, no text. A scene is data (a tuple of helper calls), so the
pictures stay deterministic and each object is drawn by one small helper.
"""

from shopfloor.core.demo.pictures.avatars import draw_avatar
from shopfloor.core.demo.pictures.scenes import SCENES, draw_scene

__all__ = ["SCENES", "draw_avatar", "draw_scene"]
