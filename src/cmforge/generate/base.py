"""What every provider implements, and how a scene's [generate] becomes a job."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..media.probe import sha256
from ..recipe.model import Generate, Scene

CACHE_DIR = Path(".cmforge") / "cache"


@dataclass(frozen=True)
class GenerationJob:
    """One clip to make: the request, its fingerprint, and where the result goes."""

    scene_key: str
    generate: Generate
    fingerprint: str  # sha256 of everything that determines the result
    dest: Path
    size: tuple[int, int]  # what the provider should deliver (from aspect ratio)
    take: int = 1  # candidates of one request share the fingerprint, not the take

    def request(self) -> dict:
        return self.generate.request()


@dataclass(frozen=True)
class GenerationResult:
    path: Path
    provider: str
    request: dict
    task_id: str = ""
    cost: float = 0.0
    details: dict = field(default_factory=dict)


class Provider(Protocol):
    name: str

    def estimate(self, job: GenerationJob) -> dict:
        """Cost and what will happen, without spending anything."""

    def generate(
        self, job: GenerationJob, on_status: Callable[[str], None], take: int = 1
    ) -> GenerationResult:
        """Make take `take` of the clip at job.dest (atomically); say where it came from."""


ASPECTS = {"9:16": (720, 1280), "16:9": (1280, 720), "1:1": (960, 960)}


def aspect_for(gen: Generate, out_size: tuple[int, int]) -> str:
    if gen.aspect_ratio:
        return gen.aspect_ratio
    w, h = out_size
    return "9:16" if h > w * 1.2 else ("16:9" if w > h * 1.2 else "1:1")


def take_path(dest: Path, take: int, takes: int) -> Path:
    """Where take K of a clip lives: the clip's own path when there is one take, else
    NAME.takeK.mp4 beside it."""
    return dest if takes == 1 else dest.with_name(f"{dest.stem}.take{take}{dest.suffix}")


def jobs_for(scene: Scene, recipe_folder: Path, out_size: tuple[int, int]) -> list[GenerationJob]:
    """Every take of a scene's generated clip; the scene plays take `pick`."""
    gen = scene.generate
    assert gen is not None
    aspect = aspect_for(gen, out_size)
    req = {
        **gen.request(),
        "aspect_ratio": aspect,
        "image": sha256(gen.image) if gen.image and gen.image.is_file() else None,
        "image_tail": sha256(gen.image_tail)
        if gen.image_tail and gen.image_tail.is_file()
        else None,
    }
    fp = hashlib.sha256(json.dumps(req, sort_keys=True).encode()).hexdigest()
    dest = scene.src or (recipe_folder / CACHE_DIR / "clips" / f"{fp[:32]}.mp4")
    return [
        GenerationJob(scene.key, gen, fp, take_path(dest, k, gen.takes), ASPECTS[aspect], k)
        for k in range(1, gen.takes + 1)
    ]


def choose_provider(gen: Generate, recipe_folder: Path) -> tuple[Provider, str]:
    """The provider for a clip and why, by the contract: kling with credentials, else local."""
    from .kling import has_credentials, provider_from_env
    from .local import LocalProvider

    if gen.provider == "local":
        return LocalProvider(), 'provider = "local" in the recipe'
    if has_credentials():
        kling = provider_from_env(recipe_folder)
        assert kling is not None
        return kling, "KLING_ACCESS_KEY and KLING_SECRET_KEY are set"
    why = "no KLING_ACCESS_KEY/KLING_SECRET_KEY set: offline stand-in, no credits spent"
    if gen.provider == "kling":
        why = 'provider = "kling" but ' + why
    return LocalProvider(), why
