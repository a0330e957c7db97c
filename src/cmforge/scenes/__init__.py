"""The scene kinds: one module each, registered here (one line per kind). A kind owns its
recipe keys and defaults, its frozen record, the files it reads, its length rule, its compile
step, its plan row and its manifest entry; see recipe/kinds.py."""

from ..recipe.kinds import register_scene
from .clip import Clip
from .endslate import EndSlate
from .image import Image
from .title import Title

register_scene(Title)
register_scene(Clip)
register_scene(Image)
register_scene(EndSlate)

__all__ = ["Clip", "EndSlate", "Image", "Title"]
