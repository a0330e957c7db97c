"""A local Kling API on loopback (kling-api.md section 10): the server, its account state, its
checks and its result clips. `cmforge kling simulate` runs `main`; tests use `Simulator`."""

from __future__ import annotations

from .server import Simulator, main

__all__ = ["Simulator", "main"]
