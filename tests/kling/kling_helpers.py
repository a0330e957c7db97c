"""Helpers shared by the Kling tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from cmforge.generate import fingerprint
from cmforge.generate.base import ASPECTS, GenerationJob
from cmforge.generate.kling import (
    Journal,
    KlingClient,
    KlingProvider,
    PollPolicy,
    RetryPolicy,
    Simulator,
)
from cmforge.recipe.model import Generate

FAST_RETRY = RetryPolicy(attempts=4, base=0.005, cap=0.02)
FAST_POLL = PollPolicy().scaled(0.01)  # first poll after 0.05 s, then every 0.05-0.1 s
LATENCY = 0.3  # seconds per simulated std 5 s clip


def client_for(sim: Simulator, **kwargs: object) -> KlingClient:
    options: dict = {"retry": FAST_RETRY, **kwargs}
    return KlingClient(sim.access_key, sim.secret_key, sim.base_url, **options)


def client_for_url(base_url: str, access_key: str, secret_key: str) -> KlingClient:
    return KlingClient(access_key, secret_key, base_url, retry=FAST_RETRY)


def provider_for(client: KlingClient, folder: Path, **kwargs: object) -> KlingProvider:
    options: dict = {"poll": FAST_POLL, **kwargs}
    return KlingProvider(client, Journal(folder / "kling-journal.jsonl"), **options)


SHARED = ("provider", "image", "image_tail", "prompt", "negative_prompt", "length", "aspect_ratio")


def generate_record(**overrides: object) -> Generate:
    """A [generate] table as the recipe builds it; Kling's own keys go to its options."""
    fields: dict = {
        "provider": "kling",
        "image": None,
        "image_tail": None,
        "prompt": "a red sneaker turning on a white table",
        "negative_prompt": "blur",
        "length": 5,
        "aspect_ratio": "9:16",
    }
    options: dict = {"cfg_scale": 0.5, "mode": "std", "model": "kling-v1-6"}
    for key, value in overrides.items():
        (fields if key in SHARED else options)[key] = value
    return Generate(**fields, options=options)


def job_of(gen: Generate, dest: Path, scene: str = "scenes[2]") -> GenerationJob:
    """A job as jobs_for makes it (fingerprint over the request and image hashes)."""
    aspect = gen.aspect_ratio or "16:9"
    fp = fingerprint(gen, "kling", aspect)
    return GenerationJob(scene, gen, fp, dest, ASPECTS[aspect], provider="kling")


class SimClock:
    """A simulator clock the test drives: it stands still until ``run`` (then it goes on
    with the wall clock), and ``advance`` moves it on at once. Its reading starts a minute
    ahead of the wall clock, so the tokens clients mint (valid from 5 s before they are
    made) stay valid however long it stands still."""

    def __init__(self) -> None:
        self._reading = time.time() + 60
        self._since: float | None = None  # when it started to run (monotonic)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            if self._since is None:
                return self._reading
            return self._reading + time.monotonic() - self._since

    def run(self) -> None:
        with self._lock:
            if self._since is None:
                self._since = time.monotonic()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._reading += seconds


class Statuses(list):
    """An on_status callback that keeps what it was told."""

    def __call__(self, message: str) -> None:
        self.append(message)
