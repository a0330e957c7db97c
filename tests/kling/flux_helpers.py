"""Helpers shared by the FLUX tests: a still's job, a provider with fast polls."""

from __future__ import annotations

from pathlib import Path

from cmforge.generate.base import GenerationJob
from cmforge.generate.flux.client import FluxClient
from cmforge.generate.flux.journal import Journal
from cmforge.generate.flux.provider import FluxProvider, PollPolicy
from cmforge.generate.flux.sim import Simulator
from cmforge.generate.jobs import still_jobs
from cmforge.recipe.model import Generate, Still

FAST_POLL = PollPolicy(scale=0.1)  # 0.05 s polls against a simulator that answers at once


def still_job(
    sim: Simulator,
    folder: Path,
    prompt: str = "a red sneaker on a white table",
    path: str = "gen/still.png",
    key: str = "stills[0]",
    aspect: str | None = "9:16",
    **options: object,
) -> GenerationJob:
    gen = Generate("flux", None, None, prompt, "", 0, aspect, options=dict(options))
    [job] = still_jobs(Still(key, folder / path, gen), (180, 320), sim.env())
    return job


def provider(
    sim: Simulator, folder: Path, *, timeout: float = 10.0, **kwargs: object
) -> FluxProvider:
    client = FluxClient(sim.api_key, sim.base_url, timeout=timeout, sleep=_fast_sleep)
    opts: dict = {"poll": FAST_POLL, **kwargs}
    return FluxProvider(client, Journal.for_recipe(folder), **opts)


def _fast_sleep(seconds: float) -> None:
    import time

    time.sleep(min(seconds, 0.05))


def events(folder: Path) -> list[str]:
    return [e["event"] for e in Journal.for_recipe(folder).events()]


class Said(list):
    """Collects what the provider says."""

    def __call__(self, message: str) -> None:
        self.append(message)
