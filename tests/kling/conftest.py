"""Fixtures for the Kling tests: a fast simulator, a client with quick retries, jobs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kling_helpers import LATENCY, client_for, generate_record, job_of, provider_for
from PIL import Image

from cmforge.generate.base import GenerationJob
from cmforge.generate.kling import KlingClient, KlingProvider, Simulator


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulator's result clips, made once per test session."""
    return tmp_path_factory.mktemp("kling-sim-media")


@pytest.fixture
def sim(media_dir: Path) -> Iterator[Simulator]:
    with Simulator(latency=LATENCY, seed=7, media_dir=media_dir) as s:
        yield s


@pytest.fixture
def client(sim: Simulator) -> Iterator[KlingClient]:
    c = client_for(sim)
    yield c
    c.close()


@pytest.fixture
def provider(client: KlingClient, tmp_path: Path) -> KlingProvider:
    return provider_for(client, tmp_path)


@pytest.fixture
def make_job(tmp_path: Path) -> Callable[..., GenerationJob]:
    def make(dest: str = "clips/shot.mp4", scene: str = "scenes[2]", **gen: object):
        return job_of(generate_record(**gen), tmp_path / dest, scene)

    return make


@pytest.fixture
def make_image(tmp_path: Path) -> Callable[..., Path]:
    def make(w: int = 720, h: int = 1280, name: str = "still.png", fmt: str = "PNG") -> Path:
        path = tmp_path / name
        im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
        im.save(path, fmt)
        return path

    return make
