"""The transition kinds: one module each, registered here (one line per kind). A kind owns its
recipe keys and defaults, how many frames the two scenes overlap, the video node mixing those
frames and the crossfade of clip sound across them; see recipe/transitions.py."""

from ..recipe.transitions import register_transition
from .cut import Cut
from .dip import Dip
from .xfade import XFade

register_transition(Cut)
register_transition(XFade)
register_transition(Dip)

__all__ = ["Cut", "Dip", "XFade"]
