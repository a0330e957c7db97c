"""A scene's [generate] table turned into jobs: one per take, each with its fingerprint (the
content address of the result) and the provider the contract chose."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from ..media.probe import sha256
from ..recipe.model import Generate, Scene
from .base import ASPECTS, CACHE_DIR, GenerationJob, aspect_for, choose, request_of, take_path


def fingerprint(gen: Generate, provider: str, aspect: str) -> str:
    """sha256 of the request with each image's bytes in place of its path, and the aspect
    ratio the clip is made in."""
    req = {
        **request_of(gen, provider),
        "aspect_ratio": aspect,
        "image": _digest(gen.image),
        "image_tail": _digest(gen.image_tail),
    }
    return hashlib.sha256(json.dumps(req, sort_keys=True).encode()).hexdigest()


def _digest(path: Path | None) -> str | None:
    return sha256(path) if path and path.is_file() else None


def jobs_for(
    scene: Scene,
    recipe_folder: Path,
    out_size: tuple[int, int],
    env: Mapping[str, str] | None = None,
) -> list[GenerationJob]:
    """Every take of a scene's generated clip; the scene plays take `pick`."""
    gen = scene.generate
    assert gen is not None
    provider, why = choose(gen, os.environ if env is None else env)
    aspect = aspect_for(gen, out_size)
    fp = fingerprint(gen, provider.name, aspect)
    folder = recipe_folder / CACHE_DIR / f"{provider.makes}s"
    dest = scene.src or (folder / f"{fp[:32]}{provider.suffix}")
    return [
        GenerationJob(
            scene.key,
            gen,
            fp,
            take_path(dest, k, gen.takes),
            ASPECTS[aspect],
            k,
            provider.name,
            why,
        )
        for k in range(1, gen.takes + 1)
    ]
