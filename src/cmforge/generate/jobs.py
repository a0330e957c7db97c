"""A scene's [generate] table turned into jobs: one per take, each with its fingerprint (the
content address of the result) and the provider the contract chose."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..media.probe import sha256
from ..recipe.model import Generate, Scene, Still
from .base import (
    ASPECTS,
    CACHE_DIR,
    REGISTRY,
    GenerationJob,
    Provider,
    aspect_for,
    choose,
    request_of,
    take_path,
)


def fingerprint(gen: Generate, provider: str, aspect: str) -> str:
    """sha256 of what the provider makes the clip from (`Provider.fingerprint_request`: for a
    paid API exactly what is sent), each image's bytes in place of its path."""
    maker = REGISTRY["clip"].get(provider)
    if maker is None:  # not registered (any more): the request as the manifest records it
        return _hashed({**request_of(gen, provider), "aspect_ratio": aspect}, gen)
    return _hashed(maker.fingerprint_request(gen, aspect), gen)


def _hashed(req: dict, gen: Generate) -> str:
    req = {**req, "image": _digest(gen.image), "image_tail": _digest(gen.image_tail)}
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
    fp = _hashed(provider.fingerprint_request(gen, aspect), gen)
    earlier = tuple(
        dict.fromkeys(
            e
            for e in (_hashed(r, gen) for r in provider.earlier_fingerprint_requests(gen, aspect))
            if e != fp
        )
    )
    folder = recipe_folder / CACHE_DIR / f"{provider.makes}s"
    jobs = []
    for k in range(1, gen.takes + 1):
        job = GenerationJob(
            scene.key,
            gen,
            fp,
            take_path(scene.src or (folder / f"{fp[:32]}{provider.suffix}"), k, gen.takes),
            ASPECTS[aspect],
            k,
            provider.name,
            why,
            earlier=earlier,
        )
        jobs.append(_adopted(job, provider, recipe_folder) if scene.src is None else job)
    return jobs


def _adopted(job: GenerationJob, provider: type[Provider], recipe_folder: Path) -> GenerationJob:
    """A job whose clip is cached under a name an earlier version gave it, and that this
    provider's records say it made there, keeps that file (a stand-in cached under the same
    old name is not adopted: the provider did not make it)."""
    if job.dest.exists():
        return job
    for old in job.earlier:
        base = job.dest.parent / f"{old[:32]}{job.dest.suffix}"
        path = take_path(base, job.take, job.generate.takes)
        if path.is_file() and provider.provenance(replace(job, dest=path), recipe_folder):
            return replace(job, dest=path)
    return job


# ----- stills, and clips that wait for one ------------------------------------------------

# the pixel size a still is asked for (a provider delivers its nearest valid size)
STILL_SIZES = {"9:16": (1080, 1920), "16:9": (1920, 1080), "1:1": (1440, 1440)}


def still_fingerprint(gen: Generate, provider: str) -> str:
    """sha256 of a still's request (its aspect ratio resolved already; for a paid API what
    is sent)."""
    maker = REGISTRY["still"].get(provider)
    if maker is None:
        req = {**request_of(gen, provider, "still"), "makes": "still"}
    else:
        req = maker.fingerprint_request(gen, gen.aspect_ratio or "9:16")
    return hashlib.sha256(json.dumps(req, sort_keys=True).encode()).hexdigest()


def still_jobs(
    still: Still,
    out_size: tuple[int, int],
    env: Mapping[str, str] | None = None,
) -> list[GenerationJob]:
    """Every take of a still; the recipe uses take `pick` (the still's own path when there
    is one take, NAME.takeK.png beside it otherwise)."""
    gen = still.generate
    provider, why = choose(gen, os.environ if env is None else env, "still")
    gen = replace(gen, aspect_ratio=aspect_for(gen, out_size))
    fp = still_fingerprint(gen, provider.name)
    size = STILL_SIZES[gen.aspect_ratio or "9:16"]
    return [
        GenerationJob(
            still.key,
            gen,
            fp,
            take_path(still.path, k, gen.takes),
            size,
            k,
            provider.name,
            why,
            makes="still",
        )
        for k in range(1, gen.takes + 1)
    ]


def waiting_jobs(
    jobs: list[GenerationJob], stills: Mapping[Path, str], recipe_folder: Path
) -> list[GenerationJob]:
    """A clip's jobs, fingerprinted for the time being from the fingerprints of the stills
    its images will be (`stills`: file not made yet -> that still's fingerprint) instead of
    their bytes, so `plan` can show and price the clip. A clip kept in the cache is named by
    that fingerprint too; once its stills exist, jobs_for gives the ordinary job, and the
    clip is made and found under it."""
    if not jobs:
        return jobs
    gen = jobs[0].generate
    waits = [stills[p] for p in (gen.image, gen.image_tail) if p is not None and p in stills]
    if not waits:
        return jobs
    blob = json.dumps({"request": jobs[0].fingerprint, "stills": waits}).encode()
    fp = hashlib.sha256(blob).hexdigest()
    out = []
    for job in jobs:
        dest = job.dest
        if dest.is_relative_to(recipe_folder / CACHE_DIR):
            base = dest.with_name(f"{fp[:32]}{dest.suffix}")
            dest = take_path(base, job.take, gen.takes) if gen.takes > 1 else base
        out.append(replace(job, fingerprint=fp, dest=dest))
    return out


def waits_for(job: GenerationJob) -> tuple[Path, ...]:
    """The image files a job reads (a clip's still and end frame)."""
    gen = job.generate
    return tuple(p for p in (gen.image, gen.image_tail) if p is not None)
