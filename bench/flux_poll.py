"""How long the flux still maker waits beyond FLUX's own time: one still at a time against the
FLUX simulator at latency L (create to Ready), real polling (no scaling). Prints, per L, the
wall time of a still minus L (the create, polls, download and save) and the polls made.

    PYTHONPATH=src python bench/flux_poll.py 2 5
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from cmforge.generate.flux.provider import FluxProvider
from cmforge.generate.flux.sim import Simulator
from cmforge.generate.jobs import still_jobs
from cmforge.recipe.model import Generate, Still


def one(latency: float, runs: int = 3) -> None:
    over, polls = [], []
    with Simulator(latency=latency, seed=1) as sim:
        for i in range(runs):
            folder = Path(tempfile.mkdtemp())
            gen = Generate("flux", None, None, f"bench still {i}", "", 0, "9:16")
            [job] = still_jobs(Still("stills[0]", folder / "s.png", gen), (1080, 1920), sim.env())
            flux = FluxProvider.open(folder, sim.env())
            before = sum(sim.state.poll_hosts.values())
            started = time.monotonic()
            flux.generate(job, lambda m: None)
            over.append(time.monotonic() - started - latency)
            polls.append(sum(sim.state.poll_hosts.values()) - before)
    print(
        f"L={latency:g} s: overhead median {statistics.median(over):.2f} s "
        f"(min {min(over):.2f}, max {max(over):.2f}), polls {polls}"
    )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["2", "5"]:
        one(float(arg))
