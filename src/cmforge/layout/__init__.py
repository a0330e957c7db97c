"""The layout stage: every text block and logo placed on whole pixels inside the safe zone of
every platform the variant targets, clear of each other (place.py has the rules). Between the
timeline and compile: the timeline says when, the layout says where, compile draws."""

from .geometry import Box, Zone
from .measure import MIN_TEXT_PX, Measured, measure, text_style
from .model import Layout, LogoBox, Part, TextBlock
from .place import layout_timeline
from .zones import safe_area, zone_for

__all__ = [
    "MIN_TEXT_PX",
    "Box",
    "Layout",
    "LogoBox",
    "Measured",
    "Part",
    "TextBlock",
    "Zone",
    "layout_timeline",
    "measure",
    "safe_area",
    "text_style",
    "zone_for",
]
