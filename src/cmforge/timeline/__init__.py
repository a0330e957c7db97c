"""The resolved timeline: every scene on whole frames of the output's clock (pure)."""

from .model import Placed, TimedItem, Timeline
from .resolve import resolve_timeline

__all__ = ["Placed", "TimedItem", "Timeline", "resolve_timeline"]
