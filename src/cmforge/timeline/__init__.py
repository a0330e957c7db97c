"""The resolved timeline: every scene on whole frames of the output's clock (pure)."""

from .model import Placed, Timeline, TimedItem
from .resolve import resolve_timeline

__all__ = ["Placed", "Timeline", "TimedItem", "resolve_timeline"]
