"""A local BFL FLUX API on loopback (image-apis.md section 7): the server and its account.
`cmforge flux simulate` (cli/flux.py) and the tests run it."""

from __future__ import annotations

from .server import Simulator
from .state import FAULTS, SimConfig

__all__ = ["FAULTS", "SimConfig", "Simulator"]
