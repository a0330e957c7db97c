"""A local Kling API on loopback (kling-api.md section 10): the server, its account state, its
checks and its result clips. `cmforge kling simulate` (cli/kling.py) and the tests run it."""

from __future__ import annotations

from .server import Simulator

__all__ = ["Simulator"]
